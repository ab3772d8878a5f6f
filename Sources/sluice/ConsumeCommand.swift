import SluiceClient
import SluiceCommandLine

/// `sluice consume TOPIC`.
@MainActor
enum ConsumeCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let command = context.command
        let topicName = context.firstArgument
        let spec = try ConsumeOffsetSpec.parse(command.string("offset") ?? "end", nowMillis: Terminal.nowMillis())
        let limit: Int? = try command.integer("count", in: 1...Int.max)
        let group = command.string("group")
        let format = try command.string("format").map { text throws(UsageError) in try RecordFormat.parse(text) } ?? .valueOnly
        let wanted = try command.strings("partition").map { text throws(UsageError) -> Int32 in
            guard let partition = Int32(text), partition >= 0 else { throw UsageError("-p takes a partition number, not '\(text)'") }
            return partition
        }
        if group != nil {
            switch spec.start {
            case .beginning, .end: break
            default:
                throw UsageError("-o \(command.string("offset") ?? "") cannot be combined with -g: a group starts at its committed offsets",
                                 fix: "move the group with `sluice group reset-offsets`, or consume without -g")
            }
        }

        let topic = try await context.existingTopic(topicName)
        let missing = wanted.filter { $0 >= topic.partitions.count }
        guard missing.isEmpty else {
            throw CommandFailure("topic '\(topicName)' has no partition \(missing[0]) (it has \(topic.partitions.count))",
                                 fix: "use -p 0 to -p \(topic.partitions.count - 1)")
        }
        let partitions = wanted.isEmpty ? topic.topicPartitions : Array(Set(wanted)).sorted().map { TopicPartition(topicName, $0) }

        var config = ConsumerConfig()
        config.connection = context.connection
        config.groupId = group
        config.autoOffsetReset = spec.start == .beginning ? .earliest : .latest
        if let limit { config.maxPollRecords = min(config.maxPollRecords, limit) }
        let consumer = try await Consumer(bootstrap: context.brokers, config: config)
        try await closing({ await consumer.close() }) {
            try await consume(consumer, partitions, spec, limit: limit, format: format, context)
        }
        return ExitStatus.success
    }

    private static func consume(_ consumer: Consumer, _ partitions: [TopicPartition], _ spec: ConsumeOffsetSpec, limit: Int?,
                                format: RecordFormat, _ context: CommandContext) async throws {
        let group = context.command.string("group")
        if group != nil && context.command.strings("partition").isEmpty {
            try await consumer.subscribe([context.firstArgument])
        } else {
            try await consumer.assign(partitions)
            if group == nil { try await seek(consumer, partitions, spec, context) }
        }
        Terminal.catchInterrupt()
        let loop = RecordLoop(consumer: consumer, admin: try context.admin(), stopsAtEnd: context.command.flag("exit") || spec.stopTimestamp != nil)
        var progress = TerminalProgress(verb: "consumed", alsoWhenStdoutIsTerminal: false)
        var printed: Int64 = 0
        var nextOffsets: [TopicPartition: Int64] = [:]
        try await loop.run { records in
            for record in records {
                if let stop = spec.stopTimestamp, record.timestamp >= stop {
                    await loop.finish(record.topicPartition)
                    continue
                }
                if loop.finished.contains(record.topicPartition) { continue }
                let view = RecordView(record)
                Terminal.standardOutput.write(context.wantsJSON ? view.json.renderedBytes() + [UInt8(ascii: "\n")] : format.render(view))
                printed += 1
                nextOffsets[record.topicPartition] = record.offset + 1
                if let limit, printed >= limit { break }
            }
            Terminal.standardOutput.flush()
            progress.update(done: printed)
            if group != nil, !nextOffsets.isEmpty {
                try await consumer.commit(nextOffsets)  // exactly what was printed, not what was fetched
            }
            return limit.map { printed < $0 } ?? true
        }
        progress.finish()
    }

    /// Moves every partition to where `spec` starts, clamped to the partition's offsets.
    private static func seek(_ consumer: Consumer, _ partitions: [TopicPartition], _ spec: ConsumeOffsetSpec,
                             _ context: CommandContext) async throws {
        if case .timestamp(let millis) = spec.start {
            for partition in partitions { try await consumer.seek(partition, to: .timestamp(millis)) }
            return
        }
        let (starts, ends) = try await context.offsetRange(partitions)
        for partition in partitions {
            let offset = spec.startOffset(logStart: starts[partition] ?? 0, logEnd: ends[partition] ?? 0) ?? 0
            try await consumer.seek(partition, to: .offset(offset))
        }
    }
}
