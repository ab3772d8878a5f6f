import SluiceIO

/// Settings of a `RetryingConsumer`.
public struct RetryConfig: Sendable {
    /// The consumer group every level (main topic, retry topics) consumes in.
    public var groupId: String
    /// One retry topic per delay, in order: `<topic>.retry.<delay>`. After the last, records go to `<topic>.dlq`.
    public var retryDelaysMillis: [Int] = [1_000, 10_000, 60_000]
    /// Which handler errors deserve a retry; the others go to the dead-letter topic at once.
    public var isRetriable: @Sendable (any Error) -> Bool = { _ in true }
    /// Consumer settings for every level (`groupId` is replaced by the one above).
    public var consumer = ConsumerConfig()
    /// Producer settings for re-publishing.
    public var producer = ProducerConfig()

    /// Settings for `groupId` with the default delays.
    public init(groupId: String) {
        self.groupId = groupId
    }
}

/// Runs a handler per record with retries and dead letters — what Kafka itself does not ship.
///
/// On a retriable error the record is re-published to the next retry topic
/// (`<topic>.retry.<delay>`, e.g. `orders.retry.10s`), with headers carrying the attempt count,
/// the original topic, partition and offset, and the error; each retry topic is consumed no
/// earlier than its delay after the record was re-published. After the last retry, or on a
/// non-retriable error, the record goes to `<topic>.dlq`. Offsets are committed only after the
/// handler succeeded or the record was re-published (acknowledged), so delivery is at least once.
///
/// Order per key: on the main topic, records of one key (one partition, as the key picks it)
/// are handled one at a time in offset order, each committed before the next is handled. A
/// record that fails leaves that order: it is handled again from its retry topic after the
/// delay, while later records of its key go on being handled on the main topic, so they may be
/// handled before its retry (and before the first failed record reaches the dead-letter topic).
/// Re-published records keep their key, so within one retry topic the records of a key keep
/// their relative order; across levels they do not. Records without a key have no order beyond
/// their partition's. Delivery is at least once: after a crash, or when a rebalance moves a
/// partition while a record of it is being handled, that record (not yet committed) is handled
/// again, possibly by another member, so the handler should be idempotent.
///
/// Each level has its own consumer in the same group; a level's consumer sleeps until the head
/// record of its topic is due, which can delay that level's other partitions (never the main topic).
public final class RetryingConsumer: Sendable {
    /// Header with the number of failed attempts so far (decimal).
    public static let attemptHeader = "sluice.retry.attempt"
    /// Header with the topic the record was first consumed from.
    public static let originalTopicHeader = "sluice.original.topic"
    /// Header with the original partition (decimal).
    public static let originalPartitionHeader = "sluice.original.partition"
    /// Header with the original offset (decimal).
    public static let originalOffsetHeader = "sluice.original.offset"
    /// Header with the description of the last error.
    public static let errorHeader = "sluice.error"

    let topic: String
    let config: RetryConfig
    let producer: Producer
    let consumers: [Consumer]

    /// The retry topic for a delay: `<topic>.retry.<n>s` for whole seconds, else `<topic>.retry.<n>ms`.
    public static func retryTopic(_ topic: String, delayMillis: Int) -> String {
        delayMillis % 1_000 == 0 ? "\(topic).retry.\(delayMillis / 1_000)s" : "\(topic).retry.\(delayMillis)ms"
    }

    /// The dead-letter topic: `<topic>.dlq`.
    public static func deadLetterTopic(_ topic: String) -> String { "\(topic).dlq" }

    /// Creates missing retry and dead-letter topics (with the main topic's partition count),
    /// connects a producer and one consumer per level.
    public init(bootstrap: [String], topic: String, config: RetryConfig) async throws {
        guard config.retryDelaysMillis.allSatisfy({ $0 >= 0 }) else { throw SluiceClientError.invalidArgument("retry delays must be >= 0") }
        self.topic = topic
        self.config = config
        let admin = try Admin(bootstrap: bootstrap, config: config.consumer.connection)
        let partitions = try await admin.describeTopics([topic]).first?.partitions.count ?? 1
        let extra = config.retryDelaysMillis.map { Self.retryTopic(topic, delayMillis: $0) } + [Self.deadLetterTopic(topic)]
        let existing = Set(try await admin.listTopics())
        for name in extra where !existing.contains(name) {
            do {
                try await admin.createTopic(name, partitions: Int32(partitions))
            } catch let error as SluiceClientError where error.code == .topicAlreadyExists {}
        }
        await admin.close()
        producer = try await Producer(bootstrap: bootstrap, config: config.producer)
        var consumerConfig = config.consumer
        consumerConfig.groupId = config.groupId
        var consumers: [Consumer] = []
        for level in [topic] + extra.dropLast() {
            let consumer = try await Consumer(bootstrap: bootstrap, config: consumerConfig)
            try await consumer.subscribe([level])
            consumers.append(consumer)
        }
        self.consumers = consumers
    }

    /// Runs `handler` for every record of the topic and its retry topics until the task is
    /// cancelled or `close()` is called (then it returns). Throws only on errors of the client itself.
    public func run(_ handler: @escaping @Sendable (ConsumerRecord) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (level, consumer) in consumers.enumerated() {
                group.addTask { try await self.loop(level: level, consumer: consumer, handler: handler) }
            }
            try await group.waitForAll()
        }
    }

    /// Closes the consumers (leaving the group) and the producer.
    public func close() async {
        for consumer in consumers { await consumer.close() }
        await producer.close()
    }

    private func loop(level: Int, consumer: Consumer, handler: @escaping @Sendable (ConsumerRecord) async throws -> Void) async throws {
        let delay = level == 0 ? 0 : config.retryDelaysMillis[level - 1]
        while !Task.isCancelled {
            let records: [ConsumerRecord]
            do {
                records = try await consumer.poll(timeoutMillis: 500)
            } catch SluiceClientError.closed {
                return
            }
            for record in records {
                let due = record.timestamp + Int64(delay)
                let wait = due - currentTimeMillis()
                if wait > 0 {
                    do { try await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000) } catch { return }  // cancelled
                }
                do {
                    try await handler(record)
                } catch {
                    try await republish(record, level: level, error: error)
                }
                try await consumer.commit([record.topicPartition: record.offset + 1])
            }
        }
    }

    private func republish(_ record: ConsumerRecord, level: Int, error: any Error) async throws {
        func header(_ key: String) -> String? {
            record.headers.last { $0.key == key }.flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) }
        }
        let attempt = (Int(header(Self.attemptHeader) ?? "") ?? 0) + 1
        let ours: Set<String> = [Self.attemptHeader, Self.originalTopicHeader, Self.originalPartitionHeader, Self.originalOffsetHeader, Self.errorHeader]
        var headers = record.headers.filter { !ours.contains($0.key) }
        headers.append(Header(Self.attemptHeader, String(attempt)))
        headers.append(Header(Self.originalTopicHeader, header(Self.originalTopicHeader) ?? record.topic))
        headers.append(Header(Self.originalPartitionHeader, header(Self.originalPartitionHeader) ?? String(record.partition)))
        headers.append(Header(Self.originalOffsetHeader, header(Self.originalOffsetHeader) ?? String(record.offset)))
        headers.append(Header(Self.errorHeader, String(describing: error)))
        let target = config.isRetriable(error) && level < config.retryDelaysMillis.count
            ? Self.retryTopic(topic, delayMillis: config.retryDelaysMillis[level])
            : Self.deadLetterTopic(topic)
        try await producer.send(topic: target, key: record.key, value: record.value, headers: headers)
    }
}
