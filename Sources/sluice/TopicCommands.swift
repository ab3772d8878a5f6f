import SluiceClient
import SluiceCommandLine

/// `sluice topic create|list|describe|delete|alter-config|add-partitions`.
@MainActor
enum TopicCommands {
    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        switch name {
        case "create": return try await create(context)
        case "list": return try await list(context)
        case "describe": return try await describe(context)
        case "delete": return try await delete(context)
        case "alter-config": return try await alterConfig(context)
        case "add-partitions": return try await addPartitions(context)
        default: throw undeclaredCommand("topic", name)
        }
    }

    /// Runs `work` for every topic, printing TOPIC STATUS as rpk does; the first failure is thrown
    /// after the table, so the others are still tried and reported.
    private static func perTopic(_ topics: [String], _ context: CommandContext,
                                 _ work: (String) async throws -> String) async throws -> Int32 {
        var table = Table(["TOPIC", "STATUS"])
        var firstFailure: CommandFailure?
        for topic in topics {
            do {
                table.append([topic, try await work(topic)])
            } catch {
                let failure = CommandFailure.from(error, brokers: context.brokers)
                guard failure.code != nil else { throw failure }  // not about this topic (no broker, bad input): stop here
                table.append([topic, failure.status])
                firstFailure = firstFailure ?? failure
            }
        }
        context.print(table.render())
        if let firstFailure { throw firstFailure }
        return ExitStatus.success
    }

    private static func create(_ context: CommandContext) async throws -> Int32 {
        let partitions: Int32 = try context.command.integer("partitions", in: 1...1_000_000) ?? -1
        let replicas: Int16 = try context.command.integer("replicas", in: 1...Int16.max) ?? -1
        let configs = try ValueParsing.keyValues(context.command.strings("config"), option: "--config")
        let admin = try context.admin()
        return try await perTopic(context.command.positionals, context) { topic in
            do {
                try await admin.createTopic(topic, partitions: partitions, replicationFactor: replicas, configs: configs)
            } catch let error as SluiceClientError where error.code == .topicAlreadyExists {
                throw CommandFailure("topic '\(topic)' already exists", fix: "pick another name, or see it with `sluice topic describe \(topic)`",
                                     code: .topicAlreadyExists)
            }
            return "OK"
        }
    }

    private static func list(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        let names = try await admin.listTopics(includeInternal: context.command.flag("internal"))
        let topics = names.isEmpty ? [] : try await admin.describeTopics(names)
        if context.wantsJSON {
            context.print(JSON.array(topics.map {
                .object([("name", .string($0.name)), ("partitions", .int(Int64($0.partitions.count))),
                         ("replicas", .int(Int64($0.replicationFactor))), ("internal", .bool($0.isInternal))])
            }))
            return ExitStatus.success
        }
        var table = Table(["NAME", "PARTITIONS", "REPLICAS"])
        for topic in topics { table.append([topic.name, String(topic.partitions.count), String(topic.replicationFactor)]) }
        context.print(table.render())
        return ExitStatus.success
    }

    private static func describe(_ context: CommandContext) async throws -> Int32 {
        var documents: [JSON] = []
        for (index, name) in context.command.positionals.enumerated() {
            let topic = try await context.existingTopic(name)
            let configs = try await context.admin().describeConfigs(topic: name).values.sorted { $0.name < $1.name }
            let (starts, ends) = try await context.offsetRange(topic.topicPartitions)
            let offsets = { (partition: PartitionDescription) -> (Int64, Int64) in
                let key = TopicPartition(name, partition.partition)
                return (starts[key] ?? -1, ends[key] ?? -1)
            }
            if context.wantsJSON {
                documents.append(.object([
                    ("name", .string(topic.name)), ("internal", .bool(topic.isInternal)),
                    ("replicas", .int(Int64(topic.replicationFactor))),
                    ("partitions", .array(topic.partitions.map { partition in
                        let (start, end) = offsets(partition)
                        return .object([("partition", .int(Int64(partition.partition))), ("leader", .int(Int64(partition.leader))),
                                        ("replicas", .array(partition.replicas.map { .int(Int64($0)) })),
                                        ("isr", .array(partition.isr.map { .int(Int64($0)) })),
                                        ("logStartOffset", .int(start)), ("highWatermark", .int(end))])
                    })),
                    ("configs", .array(configs.map {
                        .object([("name", .string($0.name)), ("value", .optional($0.value)), ("default", .bool($0.isDefault)),
                                 ("readOnly", .bool($0.isReadOnly))])
                    })),
                ]))
                continue
            }
            if index > 0 { context.print("\n") }
            var summary = Table(["NAME", topic.name])
            summary.append(["INTERNAL", String(topic.isInternal)])
            summary.append(["PARTITIONS", String(topic.partitions.count)])
            summary.append(["REPLICAS", String(topic.replicationFactor)])
            context.printSection("SUMMARY", summary.render(), first: true)
            var configTable = Table(["KEY", "VALUE", "SOURCE"])
            for config in configs { configTable.append([config.name, config.value ?? "-", config.isDefault ? "DEFAULT" : "TOPIC"]) }
            context.printSection("CONFIGS", configTable.render())
            var partitionTable = Table(["PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START-OFFSET", "HIGH-WATERMARK"])
            for partition in topic.partitions {
                let (start, end) = offsets(partition)
                partitionTable.append([String(partition.partition), String(partition.leader), nodeList(partition.replicas),
                                       nodeList(partition.isr), String(start), String(end)])
            }
            context.printSection("PARTITIONS", partitionTable.render())
        }
        if context.wantsJSON { context.print(JSON.array(documents)) }
        return ExitStatus.success
    }

    private static func delete(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        return try await perTopic(context.command.positionals, context) { topic in
            do {
                try await admin.deleteTopics([topic])
            } catch let error as SluiceClientError where error.isUnknownTopic {
                throw CommandFailure.unknownTopic(topic)
            }
            return "OK"
        }
    }

    private static func alterConfig(_ context: CommandContext) async throws -> Int32 {
        let set = try ValueParsing.keyValues(context.command.strings("set"), option: "--set")
        let delete = context.command.strings("delete")
        guard !set.isEmpty || !delete.isEmpty else {
            throw UsageError("nothing to change", fix: "give -c KEY=VALUE to set or --delete KEY to reset; see `sluice topic alter-config --help`")
        }
        let name = context.firstArgument
        _ = try await context.existingTopic(name)
        let admin = try context.admin()
        return try await perTopic([name], context) { topic in
            try await admin.alterConfigs(topic: topic, set: set, delete: delete)
            return "OK"
        }
    }

    private static func addPartitions(_ context: CommandContext) async throws -> Int32 {
        guard let added: Int32 = try context.command.integer("num", in: 1...1_000_000) else {
            throw UsageError("how many partitions to add?", fix: "give -n N; see `sluice topic add-partitions --help`")
        }
        let name = context.firstArgument
        let topic = try await context.existingTopic(name)
        let admin = try context.admin()
        let before = Int32(topic.partitions.count)
        return try await perTopic([name], context) { topic in
            try await admin.createPartitions(topic, totalCount: before + added)
            return "OK, \(before) -> \(before + added) partitions"
        }
    }
}
