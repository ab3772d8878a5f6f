import SluiceClient
import SluiceCommandLine

/// `sluice partition reassign|list-reassignments|decommission-broker`.
@MainActor
enum PartitionCommands {
    /// How long `--wait` waits unless `--wait-timeout-ms` says otherwise.
    static let waitMillisDefault = 600_000
    /// Pause between two looks at a move under `--wait`.
    static let pollNanos: UInt64 = 250_000_000

    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        switch name {
        case "reassign": return try await reassign(context)
        case "list-reassignments": return try await listReassignments(context)
        case "decommission-broker": return try await decommissionBroker(context)
        default: throw undeclaredCommand("partition", name)
        }
    }

    // MARK: reassign

    private static func reassign(_ context: CommandContext) async throws -> Int32 {
        let cancel = context.command.flag("cancel")
        let replicaText = context.command.string("replicas")
        guard cancel != (replicaText != nil) else {
            throw UsageError(cancel ? "--cancel and --replicas do not go together" : "where to? --replicas is missing",
                             fix: "give --replicas ID,ID,... to move, or --cancel to stop a move; see `sluice partition reassign --help`")
        }
        let target = try replicaText.map { text throws(UsageError) in try ValueParsing.brokerIds(text, option: "--replicas") }
        let waitMillis = try waitBudget(context)
        var partitions: [TopicPartition] = []
        for key in try await namedPartitions(context) where !partitions.contains(key) { partitions.append(key) }
        let current = try await currentReplicas(partitions, context)
        let admin = try context.admin()
        let refused = try await admin.alterPartitionReassignments(Dictionary(uniqueKeysWithValues: partitions.map { ($0, target) }))
        var table = Table(target == nil ? ["TOPIC", "PARTITION", "REPLICAS", "STATUS"] : ["TOPIC", "PARTITION", "FROM", "TO", "STATUS"])
        var firstFailure: CommandFailure?
        for partition in partitions {
            var status = target == nil ? "CANCELLED" : (target == current[partition] ? "IN PLACE" : "MOVING")
            if let error = refused[partition] {
                let failure = CommandFailure.from(error, brokers: context.brokers)
                status = failure.status
                firstFailure = firstFailure ?? failure
            }
            let from = nodeList(current[partition] ?? [])
            table.append([partition.topic, String(partition.partition)] + (target.map { [from, nodeList($0)] } ?? [from]) + [status])
        }
        context.print(table.render())
        if let firstFailure { throw firstFailure }
        if let waitMillis {
            let moving = partitions.filter { refused[$0] == nil }
            try await waitForMoves(moving, target: target, waitMillis: waitMillis, context)
            context.print("done: \(counted(moving.count, "partition")) \(target == nil ? "settled" : "moved to \(nodeList(target ?? []))")\n")
        }
        return ExitStatus.success
    }

    /// The partitions the positionals name: `TOPIC:PARTITION` one, a bare `TOPIC` all of them
    /// (topic names cannot hold ':').
    private static func namedPartitions(_ context: CommandContext) async throws -> [TopicPartition] {
        var named: [TopicPartition] = []
        for text in context.command.positionals {
            if text.contains(":") {
                let (topic, partition) = try ValueParsing.topicPartition(text)
                named.append(TopicPartition(topic, partition))
            } else {
                let topic = try await context.existingTopic(text)
                named += topic.partitions.map { TopicPartition(text, $0.partition) }.sorted()
            }
        }
        return named
    }

    /// Replicas of each partition as Metadata shows them; a missing topic or partition is a failure with the fix.
    private static func currentReplicas(_ partitions: [TopicPartition], _ context: CommandContext) async throws -> [TopicPartition: [Int32]] {
        var result: [TopicPartition: [Int32]] = [:]
        var described: [String: TopicDescription] = [:]
        for partition in partitions {
            if described[partition.topic] == nil { described[partition.topic] = try await context.existingTopic(partition.topic) }
            let topic = described[partition.topic]
            guard let found = topic?.partitions.first(where: { $0.partition == partition.partition }) else {
                let count = topic?.partitions.count ?? 0
                throw CommandFailure("partition \(partition.partition) of topic '\(partition.topic)' does not exist",
                                     fix: "'\(partition.topic)' has partitions 0 to \(count - 1); see `sluice topic describe \(partition.topic)`",
                                     code: .unknownTopicOrPartition)
            }
            result[partition] = found.replicas
        }
        return result
    }

    /// Waits until no move of `partitions` is listed and, for a move (not a cancel), Metadata shows `target`.
    private static func waitForMoves(_ partitions: [TopicPartition], target: [Int32]?, waitMillis: Int,
                                     _ context: CommandContext) async throws {
        guard !partitions.isEmpty else { return }
        let admin = try context.admin()
        let deadline = Terminal.monotonicNanos() + UInt64(waitMillis) * 1_000_000
        defer { Terminal.clearProgress() }
        while true {
            let listed = Set(try await admin.listPartitionReassignments(partitions).map(\.topicPartition))
            var left = listed.count
            if listed.isEmpty, let target {
                let replicas = try await currentReplicas(partitions, context)
                left = partitions.filter { Set(replicas[$0] ?? []) != Set(target) }.count
            }
            if left == 0 { return }
            if Terminal.standardError.isTerminal { Terminal.showProgress("waiting: \(counted(left, "partition")) still moving") }
            if Terminal.monotonicNanos() >= deadline {
                throw CommandFailure("\(counted(left, "partition")) still moving after \(waitMillis) ms",
                                     fix: "the move goes on without this command: follow it with `sluice partition list-reassignments`")
            }
            try await Task.sleep(nanoseconds: pollNanos)
        }
    }

    /// `--wait-timeout-ms` when `--wait` is given, else nil; the timeout alone is a mistake.
    private static func waitBudget(_ context: CommandContext) throws(UsageError) -> Int? {
        let millis: Int? = try context.command.integer("wait-timeout-ms", in: 1...86_400_000)
        guard context.command.flag("wait") else {
            if millis != nil { throw UsageError("--wait-timeout-ms needs --wait", fix: "add --wait, or drop --wait-timeout-ms") }
            return nil
        }
        return millis ?? waitMillisDefault
    }

    // MARK: list-reassignments

    private static func listReassignments(_ context: CommandContext) async throws -> Int32 {
        let moves = try await context.admin().listPartitionReassignments()
        if context.wantsJSON {
            context.print(JSON.array(moves.map {
                .object([("topic", .string($0.topicPartition.topic)), ("partition", .int(Int64($0.topicPartition.partition))),
                         ("replicas", ids($0.replicas)), ("adding", ids($0.adding)), ("removing", ids($0.removing))])
            }))
            return ExitStatus.success
        }
        guard !moves.isEmpty else {
            context.print("no partition moves under way\n")
            return ExitStatus.success
        }
        var table = Table(["TOPIC", "PARTITION", "REPLICAS", "ADDING", "REMOVING"])
        for move in moves {
            table.append([move.topicPartition.topic, String(move.topicPartition.partition), nodeList(move.replicas),
                          nodeList(move.adding), nodeList(move.removing)])
        }
        context.print(table.render())
        return ExitStatus.success
    }

    // MARK: decommission-broker

    private static func decommissionBroker(_ context: CommandContext) async throws -> Int32 {
        guard let broker = Int32(context.firstArgument), broker >= 0 else {
            throw UsageError("broker id '\(context.firstArgument)' is not a number", fix: "give the node id, e.g. `sluice partition decommission-broker 3`")
        }
        let dryRun = context.command.flag("dry-run")
        let waitMillis = try waitBudget(context)
        if dryRun && waitMillis != nil { throw UsageError("--dry-run and --wait do not go together", fix: "drop one of them") }
        let admin = try context.admin()
        let plan = try await admin.decommissionPlan(broker: broker)
        let refused = dryRun || plan.moves.isEmpty ? [:] : try await admin.alterPartitionReassignments(plan.targets)
        printPlan(plan, applied: !dryRun, refused: refused, context)
        if let first = refused.sorted(by: { $0.key < $1.key }).first {
            throw CommandFailure.from(first.value, brokers: context.brokers)
        }
        if dryRun {
            if !plan.moves.isEmpty && !context.wantsJSON { Terminal.note("dry run: nothing moved; run it again without --dry-run to apply the plan") }
            return ExitStatus.success
        }
        guard let waitMillis else {
            if !plan.moves.isEmpty && !context.wantsJSON {
                Terminal.note("moving \(counted(plan.moves.count, "partition")) off broker \(broker); follow with `sluice partition list-reassignments`")
            }
            return ExitStatus.success
        }
        let draw = Terminal.standardError.isTerminal
        try await admin.waitUntilDecommissioned(broker: broker, timeoutMillis: waitMillis) { progress in
            guard draw, !progress.isDone else { return }
            await Terminal.showProgress("broker \(progress.broker): \(counted(progress.partitionsOnBroker.count, "partition")) left, "
                                        + "\(counted(progress.reassignmentsInProgress, "move")) under way")
        }
        Terminal.clearProgress()
        if !context.wantsJSON { context.print("broker \(broker) holds no replicas; it can be stopped\n") }
        return ExitStatus.success
    }

    private static func printPlan(_ plan: DecommissionPlan, applied: Bool, refused: [TopicPartition: SluiceClientError],
                                  _ context: CommandContext) {
        if context.wantsJSON {
            context.print(JSON.object([
                ("broker", .int(Int64(plan.broker))), ("applied", .bool(applied && refused.isEmpty)),
                ("moves", .array(plan.moves.map {
                    .object([("topic", .string($0.topicPartition.topic)), ("partition", .int(Int64($0.topicPartition.partition))),
                             ("from", ids($0.from)), ("to", ids($0.to)),
                             ("error", .optional(refused[$0.topicPartition].map { $0.code?.name ?? "FAILED" }))])
                })),
            ]))
            return
        }
        guard !plan.moves.isEmpty else {
            context.print("broker \(plan.broker) holds no replicas: nothing to move\n")
            return
        }
        var table = Table(refused.isEmpty ? ["TOPIC", "PARTITION", "FROM", "TO"] : ["TOPIC", "PARTITION", "FROM", "TO", "STATUS"])
        for move in plan.moves {
            var row = [move.topicPartition.topic, String(move.topicPartition.partition), nodeList(move.from), nodeList(move.to)]
            if !refused.isEmpty { row.append(refused[move.topicPartition].map { $0.code?.name ?? "FAILED" } ?? "MOVING") }
            table.append(row)
        }
        context.print(table.render())
    }

    private static func ids(_ list: [Int32]) -> JSON { .array(list.map { .int(Int64($0)) }) }
}
