import SluiceClient
import Synchronization
import SluiceCommandLine

/// `sluice dlq list [TOPIC.dlq]` and `sluice dlq redrive TOPIC.dlq`: the dead-letter topics the
/// client's `RetryingConsumer` writes (`<topic>.dlq`, with `sluice.*` headers saying where each
/// record came from and why it failed).
@MainActor
enum DeadLetterCommands {
    /// The group a redrive commits its progress in, so the next redrive starts after it.
    static let redriveGroup = "sluice-redrive"
    /// Headers the retrying consumer adds; a redriven record goes back without them, as if new.
    static let bookkeepingHeaders: Set<String> = [
        RetryingConsumer.attemptHeader, RetryingConsumer.originalTopicHeader, RetryingConsumer.originalPartitionHeader,
        RetryingConsumer.originalOffsetHeader, RetryingConsumer.errorHeader,
    ]

    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        do {
            switch name {
            case "redrive": return try await redrive(context)
            case "list":
                if let topic = context.command.positionals.first { return try await listRecords(topic, context) }
                return try await listTopics(context)
            default: throw undeclaredCommand("dlq", name)
            }
        } catch var failure as CommandFailure where failure.code == .unknownTopicOrPartition && failure.message.contains(".dlq'") {
            failure.fix = "list dead-letter topics with `sluice dlq list`"
            throw failure
        }
    }

    /// The topic a dead-letter topic collects for: `orders` for `orders.dlq`.
    static func originalTopic(ofDeadLetterTopic topic: String) -> String? {
        topic.hasSuffix(".dlq") && topic.count > 4 ? String(topic.dropLast(4)) : nil
    }

    private static func listTopics(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        let names = try await admin.listTopics().filter { originalTopic(ofDeadLetterTopic: $0) != nil }
        let topics = names.isEmpty ? [] : try await admin.describeTopics(names)
        var rows: [(topic: TopicDescription, records: Int64)] = []
        for topic in topics {
            let (starts, ends) = try await context.offsetRange(topic.topicPartitions)
            rows.append((topic, topic.topicPartitions.reduce(0) { $0 + max(0, (ends[$1] ?? 0) - (starts[$1] ?? 0)) }))
        }
        if context.wantsJSON {
            context.print(JSON.array(rows.map {
                .object([("topic", .string($0.topic.name)), ("originalTopic", .optional(originalTopic(ofDeadLetterTopic: $0.topic.name))),
                         ("partitions", .int(Int64($0.topic.partitions.count))), ("records", .int($0.records))])
            }))
            return ExitStatus.success
        }
        var table = Table(["TOPIC", "ORIGINAL-TOPIC", "PARTITIONS", "RECORDS"])
        for row in rows {
            table.append([row.topic.name, originalTopic(ofDeadLetterTopic: row.topic.name) ?? "-", String(row.topic.partitions.count), String(row.records)])
        }
        context.print(table.render())
        return ExitStatus.success
    }

    /// Every dead letter now in `topicName`: a table, or one JSON object per line.
    private static func listRecords(_ topicName: String, _ context: CommandContext) async throws -> Int32 {
        let topic = try await context.existingTopic(topicName)
        var table = Table(["PARTITION", "OFFSET", "TIMESTAMP", "KEY", "ORIGIN", "ATTEMPTS", "ERROR"])
        try await readAll(topic, from: nil, context) { record in
            let view = RecordView(record)
            let origin = [view.header(RetryingConsumer.originalTopicHeader), view.header(RetryingConsumer.originalPartitionHeader),
                          view.header(RetryingConsumer.originalOffsetHeader)]
            if context.wantsJSON {
                guard case .object(var members) = view.json else { return }
                members += [("originalTopic", .optional(origin[0])), ("originalPartition", .optional(origin[1].flatMap { Int64($0) })),
                            ("originalOffset", .optional(origin[2].flatMap { Int64($0) })),
                            ("attempts", .optional(view.header(RetryingConsumer.attemptHeader).flatMap { Int64($0) })),
                            ("error", .optional(view.header(RetryingConsumer.errorHeader)))]
                context.print(JSON.object(members))
                return
            }
            let originText = origin[0].map { "\($0)/\(origin[1] ?? "?")@\(origin[2] ?? "?")" } ?? "-"
            table.append([String(record.partition), String(record.offset), DateTime.formatISO8601(millis: record.timestamp),
                          record.key.map { shorten(RecordView.text($0), 24) } ?? "-", originText,
                          view.header(RetryingConsumer.attemptHeader) ?? "-", shorten(view.header(RetryingConsumer.errorHeader) ?? "-", 60)])
        }
        if !context.wantsJSON { context.print(table.render()) }
        return ExitStatus.success
    }

    /// Text cut to `limit` characters with an ellipsis, and on one line.
    private static func shorten(_ text: String, _ limit: Int) -> String {
        let line = text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : String($0) }.joined()
        return line.count <= limit ? line : String(line.prefix(limit - 3)) + "..."
    }

    /// Reads every partition of `topic` from `from` (else the log start) to the end it has now.
    private static func readAll(_ topic: TopicDescription, from: [TopicPartition: Int64]?, _ context: CommandContext,
                                _ handle: (ConsumerRecord) async throws -> Void, afterBatch: () async throws -> Void = {}) async throws {
        var config = ConsumerConfig()
        config.connection = context.connection
        let consumer = try await Consumer(bootstrap: context.brokers, config: config)
        try await closing({ await consumer.close() }) {
            try await consumer.assign(topic.topicPartitions)
            let (starts, _) = try await context.offsetRange(topic.topicPartitions)
            for partition in topic.topicPartitions {
                try await consumer.seek(partition, to: .offset(max(from?[partition] ?? 0, starts[partition] ?? 0)))
            }
            Terminal.catchInterrupt()
            let loop = RecordLoop(consumer: consumer, admin: try context.admin(), stopsAtEnd: true)
            try await loop.run { records in
                for record in records { try await handle(record) }
                try await afterBatch()
                return true
            }
        }
    }

    private static func redrive(_ context: CommandContext) async throws -> Int32 {
        let dlqName = context.firstArgument
        let filters = try context.command.strings("filter").map { text throws(UsageError) in try RecordFilter.parse(text) }
        let dryRun = context.command.flag("dry-run")
        let target = context.command.string("to")
        let topic = try await context.existingTopic(dlqName)
        let admin = try context.admin()
        let committed = context.command.flag("from-beginning") ? [:]
            : try await admin.groupOffsets(redriveGroup).filter { $0.key.topic == dlqName }
        let (starts, ends) = try await context.offsetRange(topic.topicPartitions)
        let total = topic.topicPartitions.reduce(Int64(0)) { sum, partition in
            sum + max(0, (ends[partition] ?? 0) - max(committed[partition] ?? 0, starts[partition] ?? 0))
        }
        var producerConfig = ProducerConfig()
        producerConfig.connection = context.connection
        let producer = try await Producer(bootstrap: context.brokers, config: producerConfig)
        let tally = RedriveTally()
        var checkedTopics: Set<String> = []
        var progress = TerminalProgress(verb: dryRun ? "checked" : "redriven", total: total)
        var seen: Int64 = 0
        var pending: [TopicPartition: Int64] = [:]
        try await closing({ await producer.close(); progress.finish() }) {
            try await readAll(topic, from: committed, context, { record in
                seen += 1
                pending[record.topicPartition] = record.offset + 1
                let view = RecordView(record)
                guard filters.allSatisfy({ $0.matches(view) }) else {
                    tally.skip()
                    return
                }
                guard let destination = target ?? view.header(RetryingConsumer.originalTopicHeader) ?? originalTopic(ofDeadLetterTopic: dlqName) else {
                    throw CommandFailure("dead letter \(record.partition)/\(record.offset) does not say where it came from (no \(RetryingConsumer.originalTopicHeader) header)",
                                         fix: "name the topic to redrive to with --to TOPIC")
                }
                if !checkedTopics.contains(destination) {
                    _ = try await context.existingTopic(destination)
                    checkedTopics.insert(destination)
                }
                guard !dryRun else {
                    tally.redriven(to: destination)
                    return
                }
                let headers = record.headers.filter { !bookkeepingHeaders.contains($0.key) }
                try await producer.send(topic: destination, key: record.key, value: record.value, headers: headers) { result in
                    tally.delivered(to: destination, result)
                }
            }, afterBatch: {
                // Commit only what is acknowledged, so a failed or interrupted redrive resumes without loss.
                if !dryRun {
                    await producer.flush()
                    if let failure = tally.firstFailure { throw CommandFailure.from(failure, brokers: context.brokers) }
                    if !pending.isEmpty { try await admin.resetGroupOffsets(redriveGroup, to: pending) }
                }
                pending = [:]
                progress.update(done: seen)
            })
        }
        var table = Table(["SOURCE", "TARGET", dryRun ? "WOULD-REDRIVE" : "REDRIVEN"])
        for (destination, count) in tally.counts.sorted(by: { $0.key < $1.key }) { table.append([dlqName, destination, String(count)]) }
        context.print(table.render())
        let skipped = tally.skipped
        if seen == 0 {
            Terminal.note("nothing new in \(dlqName) since the last redrive (--from-beginning reads it all again)")
        } else {
            Terminal.note((dryRun ? "dry run, nothing produced or committed; " : "") + "\(counted(Int(seen), "dead letter")) read, \(skipped) skipped by the filters"
                          + (skipped > 0 ? " (--from-beginning reads them again)" : ""))
        }
        return ExitStatus.success
    }
}

/// Redrive counts, updated from the producer's completions.
final class RedriveTally: Sendable {
    private struct State {
        var counts: [String: Int64] = [:]
        var skipped: Int64 = 0
        var firstFailure: SluiceClientError?
    }

    private let state = Mutex(State())

    func skip() { state.withLock { $0.skipped += 1 } }

    func redriven(to topic: String) { state.withLock { $0.counts[topic, default: 0] += 1 } }

    func delivered(to topic: String, _ result: Result<RecordMetadata, SluiceClientError>) {
        state.withLock { state in
            switch result {
            case .success: state.counts[topic, default: 0] += 1
            case .failure(let error): state.firstFailure = state.firstFailure ?? error
            }
        }
    }

    var counts: [String: Int64] { state.withLock { $0.counts } }
    var skipped: Int64 { state.withLock { $0.skipped } }
    var firstFailure: SluiceClientError? { state.withLock { $0.firstFailure } }
}
