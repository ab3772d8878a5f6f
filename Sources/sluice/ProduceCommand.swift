import SluiceClient
import SluiceCommandLine
import Synchronization

/// `sluice produce TOPIC`: one record per line of stdin or `--file`.
@MainActor
enum ProduceCommand {
    /// Bytes buffered before `send` waits: bounds memory when a file is much bigger than the broker is fast.
    private static let bufferBytesMax = 32 * 1024 * 1024

    static func run(_ context: CommandContext) async throws -> Int32 {
        let command = context.command
        let topicName = context.firstArgument
        let fixedKey = command.string("key").map { Array($0.utf8) }
        let delimiter = try command.string("key-delimiter").map { text throws(UsageError) in try ValueParsing.delimiter(text, option: "-K") }
        guard fixedKey == nil || delimiter == nil else {
            throw UsageError("-k and -K cannot be used together", fix: "use -k for one key on every record, or -K to read a key from each line")
        }
        let headers = try command.strings("header").map { text throws(UsageError) in
            let (key, value) = try ValueParsing.keyValue(text, option: "-H")
            return Header(key, value)
        }
        let partition: Int32? = try command.integer("partition", in: 0...Int32.max)
        var config = ProducerConfig()
        config.connection = context.connection
        config.bufferBytesMax = bufferBytesMax
        config.acks = Acks(rawValue: try ValueParsing.acks(command.string("acks") ?? "all")) ?? .all
        config.idempotent = config.acks == .all
        switch command.string("compression") ?? "lz4" {
        case "lz4": config.compression = .lz4
        case "none": config.compression = .none
        case let other: throw UsageError("--compression takes lz4 or none, not '\(other)'")
        }
        let reader = try command.string("file").map { path throws(CommandFailure) in try LineReader(path: path) } ?? LineReader()

        // Fail before reading input when the topic or partition is not there (the producer would wait for it).
        let topic = try await context.existingTopic(topicName)
        if let partition, partition >= topic.partitions.count {
            throw CommandFailure("partition \(partition) of topic '\(topicName)' does not exist (it has \(topic.partitions.count))",
                                 fix: "use -p 0 to -p \(topic.partitions.count - 1), or add partitions with `sluice topic add-partitions`")
        }
        let producer = try await Producer(bootstrap: context.brokers, config: config)
        let tally = DeliveryTally()
        var progress = TerminalProgress(verb: "produced")
        var sent: Int64 = 0
        try await closing({ await producer.close(); progress.finish() }) {
            while let line = try reader.next() {
                let (key, value) = delimiter.map { splitKey(line, delimiter: $0) } ?? (fixedKey, line)
                try await producer.send(topic: topicName, partition: partition, key: key, value: value, headers: headers) { result in
                    tally.record(result)
                }
                sent += 1
                progress.update(done: tally.acknowledged)
            }
            await producer.flush()
        }
        let summary = tally.summary()
        if !command.flag("quiet") { context.print(summary.table(topic: topicName)) }
        if let failure = summary.firstFailure {
            throw CommandFailure("\(summary.failed) of \(sent) records were not produced: \(failure)",
                                 fix: CommandFailure.from(failure, brokers: context.brokers).fix)
        }
        return ExitStatus.success
    }
}

/// Acknowledgements as they arrive on the producer's executor, summed per partition.
final class DeliveryTally: Sendable {
    struct PartitionCount {
        var records: Int64 = 0
        var firstOffset: Int64 = .max
        var lastOffset: Int64 = -1
    }

    struct Summary {
        var partitions: [Int32: PartitionCount]
        var failed: Int64
        var firstFailure: SluiceClientError?

        /// TOPIC PARTITION RECORDS FIRST-OFFSET LAST-OFFSET (offsets are `-` with acks=0).
        func table(topic: String) -> String {
            var table = Table(["TOPIC", "PARTITION", "RECORDS", "FIRST-OFFSET", "LAST-OFFSET"])
            for (partition, count) in partitions.sorted(by: { $0.key < $1.key }) {
                let known = count.lastOffset >= 0
                table.append([topic, String(partition), String(count.records), known ? String(count.firstOffset) : "-",
                              known ? String(count.lastOffset) : "-"])
            }
            return table.render()
        }
    }

    private let state = Mutex(Summary(partitions: [:], failed: 0, firstFailure: nil))

    /// Counts one delivery result.
    func record(_ result: Result<RecordMetadata, SluiceClientError>) {
        state.withLock { summary in
            switch result {
            case .success(let meta):
                var count = summary.partitions[meta.partition, default: PartitionCount()]
                count.records += 1
                if meta.offset >= 0 {
                    count.firstOffset = min(count.firstOffset, meta.offset)
                    count.lastOffset = max(count.lastOffset, meta.offset)
                }
                summary.partitions[meta.partition] = count
            case .failure(let error):
                summary.failed += 1
                summary.firstFailure = summary.firstFailure ?? error
            }
        }
    }

    /// Records acknowledged so far.
    var acknowledged: Int64 { state.withLock { $0.partitions.values.reduce(0) { $0 + $1.records } } }

    /// Everything counted.
    func summary() -> Summary { state.withLock { $0 } }
}
