import SluiceClient
import SluiceCommandLine

/// `sluice group reset-offsets GROUP`: Kafka's reset, printed as a plan unless `--execute`.
@MainActor
enum ResetOffsets {
    private struct PlanRow {
        var partition: TopicPartition
        var current: Int64?
        var new: Int64
    }

    static func run(_ context: CommandContext) async throws -> Int32 {
        let group = context.firstArgument
        let strategy = try parseStrategy(context.command)
        let selections = try context.command.strings("topic").map { text throws(UsageError) in try TopicSelection.parse(text) }
        let allTopics = context.command.flag("all-topics")
        guard selections.isEmpty != !allTopics else {
            throw UsageError("say which partitions to reset: --topic TOPIC[:PARTITIONS] (repeatable) or --all-topics, not both",
                             fix: "see `sluice group reset-offsets --help`")
        }
        let admin = try context.admin()
        if let description = try await admin.describeGroups([group]).first, !description.members.isEmpty {
            throw CommandFailure("group '\(group)' has \(counted(description.members.count, "active member")) (state \(description.state)); offsets can only be reset while it has none",
                                 fix: "stop the group's consumers (a closed consumer leaves at once, a crashed one after its session timeout) and run this again")
        }
        let committed = try await admin.groupOffsets(group)
        let partitions = try await selectedPartitions(selections, allTopics: allTopics, committed: committed, group: group, context)
        let plan = try await makePlan(partitions, strategy: strategy, committed: committed, context)
        let execute = context.command.flag("execute")
        if execute {
            try await admin.resetGroupOffsets(group, to: Dictionary(uniqueKeysWithValues: plan.map { ($0.partition, $0.new) }))
        }
        if context.wantsJSON {
            context.print(JSON.object([
                ("group", .string(group)), ("executed", .bool(execute)),
                ("partitions", .array(plan.map {
                    .object([("topic", .string($0.partition.topic)), ("partition", .int(Int64($0.partition.partition))),
                             ("currentOffset", .optional($0.current)), ("newOffset", .int($0.new))])
                })),
            ]))
        } else {
            var table = Table(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"])
            for row in plan {
                table.append([group, row.partition.topic, String(row.partition.partition), row.current.map(String.init) ?? "-", String(row.new)])
            }
            context.print(table.render())
        }
        Terminal.note(execute ? "reset \(counted(plan.count, "partition offset")) of group '\(group)'"
                              : "plan only, nothing changed: add --execute to apply it")
        return ExitStatus.success
    }

    private static func parseStrategy(_ command: ParsedCommand) throws(UsageError) -> ResetStrategy {
        var chosen: [ResetStrategy] = []
        if command.flag("to-earliest") { chosen.append(.earliest) }
        if command.flag("to-latest") { chosen.append(.latest) }
        if let offset: Int64 = try command.integer("to-offset", in: 0...Int64.max) { chosen.append(.offset(offset)) }
        if let text = command.string("to-datetime") {
            guard let millis = DateTime.parseTimestamp(text, nowMillis: Terminal.nowMillis()) else {
                throw UsageError("bad time '\(text)' for --to-datetime", fix: "write 2024-05-01T12:00:00Z, ms since the epoch, or -15m")
            }
            chosen.append(.datetime(millis))
        }
        if let text = command.string("shift-by") {
            guard let delta = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
                throw UsageError("--shift-by takes a whole number such as -100 or 50, not '\(text)'")
            }
            chosen.append(.shift(delta))
        }
        guard chosen.count == 1 else {
            throw UsageError(chosen.isEmpty ? "say where to reset to" : "choose one of the --to-*/--shift-by options, not \(chosen.count)",
                             fix: "give one of --to-earliest, --to-latest, --to-offset N, --to-datetime TIME, --shift-by N")
        }
        return chosen[0]
    }

    private static func selectedPartitions(_ selections: [TopicSelection], allTopics: Bool, committed: [TopicPartition: Int64],
                                           group: String, _ context: CommandContext) async throws -> [TopicPartition] {
        if allTopics {
            guard !committed.isEmpty else {
                throw CommandFailure("group '\(group)' has no committed offsets, so --all-topics selects nothing",
                                     fix: "name the topics with --topic TOPIC")
            }
            return committed.keys.sorted()
        }
        var partitions: Set<TopicPartition> = []
        for selection in selections {
            let topic = try await context.existingTopic(selection.topic)
            let existing = Set(topic.partitions.map(\.partition))
            for partition in selection.partitions ?? existing.sorted() {
                guard existing.contains(partition) else {
                    throw CommandFailure("topic '\(selection.topic)' has no partition \(partition) (it has \(existing.count))",
                                         fix: "pick partitions from 0 to \(existing.count - 1)")
                }
                partitions.insert(TopicPartition(selection.topic, partition))
            }
        }
        return partitions.sorted()
    }

    private static func makePlan(_ partitions: [TopicPartition], strategy: ResetStrategy, committed: [TopicPartition: Int64],
                                 _ context: CommandContext) async throws -> [PlanRow] {
        let (starts, ends) = try await context.offsetRange(partitions)
        var atTime: [TopicPartition: Int64] = [:]
        if case .datetime(let millis) = strategy { atTime = try await context.admin().listOffsets(partitions, spec: .timestamp(millis)) }
        do {
            return try partitions.map { partition throws(UsageError) in
                let new = try strategy.newOffset(partition: partition.description, committed: committed[partition],
                                                 logStart: starts[partition] ?? 0, logEnd: ends[partition] ?? 0, offsetAtTime: atTime[partition])
                return PlanRow(partition: partition, current: committed[partition], new: new)
            }
        } catch {
            throw CommandFailure(error.message, fix: error.fix)  // the group's state, not the command line, is at fault
        }
    }
}
