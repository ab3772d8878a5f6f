import SluiceCore
import SluiceIO
import SluiceLog
import SluiceWire
import Synchronization

/// Why a produce to one partition was refused, as a Kafka error code.
public enum ProduceFailure: Error, Equatable, Sendable {
    case corruptMessage(String)
    /// A batch whose frame and CRC hold but whose records break Kafka's rules (INVALID_RECORD,
    /// which producers do not retry, where CORRUPT_MESSAGE would be retried until they time out).
    case invalidRecord(String)
    case messageTooLarge(String)
    case unsupportedCompression(String)
    case invalidProducerEpoch
    case outOfOrderSequence(expected: Int32, received: Int32)
    case storage(String)

    public var errorCode: KafkaError {
        switch self {
        case .corruptMessage: return .corruptMessage
        case .invalidRecord: return .invalidRecord
        case .messageTooLarge: return .messageTooLarge
        case .unsupportedCompression: return .unsupportedCompressionType
        case .invalidProducerEpoch: return .invalidProducerEpoch
        case .outOfOrderSequence: return .outOfOrderSequenceNumber
        case .storage: return .kafkaStorageError
        }
    }

    public var message: String {
        switch self {
        case let .corruptMessage(m), let .invalidRecord(m), let .messageTooLarge(m), let .unsupportedCompression(m), let .storage(m): return m
        case .invalidProducerEpoch: return "producer epoch is older than the current one"
        case let .outOfOrderSequence(expected, received): return "expected sequence \(expected), received \(received)"
        }
    }
}

/// One local replica of a partition: its log, its idempotent-producer state and its high
/// watermark. Every replica is a member of its partition's Raft group (a group of one on a single
/// node): the Raft thread appends to the log, checks a batch's idempotence when it proposes it and
/// records every appended batch here, on leaders and followers alike, so a new leader deduplicates
/// retries of batches its predecessor appended. The high watermark is the group's commit:
/// consumers are never shown a record that a crash could take back.
public final class Partition: Sendable {
    public let topicPartition: TopicPartition
    public let log: PartitionLog
    private let producers: Mutex<ProducerStateTable>
    /// Producer ids forgotten at `max.producer.ids.per.partition` so far (logged at the 1st, 10th, 100th…).
    private let producerIdsForgotten = Atomic<Int>(0)

    /// Where the idempotent-producer state is snapshotted (at clean close; at start the log
    /// after the snapshot's offset is read again).
    private let snapshotPath: String

    public init(topicPartition: TopicPartition, directory: String, config: LogConfig,
                producerLimits: ProducerStateTable.Limits = ProducerStateTable.Limits()) throws(StorageError) {
        self.topicPartition = topicPartition
        log = try PartitionLog(directory: directory, config: config)
        snapshotPath = directory + "/producer-state.snapshot"
        // A snapshot is usable only if the log still reaches its offset (a crash may have cut
        // the log below it); then only the batches after it are read.
        var table = ProducerStateTable(limits: producerLimits)
        var scanFrom = log.logStartOffset
        let now = currentTimeMillis()
        if let bytes = try? FileSystem.readSmallFile(snapshotPath, maxBytes: 64 << 20),
           let (restored, offset) = ProducerStateTable.restore(bytes, limits: producerLimits, nowMillis: now),
           offset <= log.logEndOffset, offset >= log.logStartOffset {
            table = restored
            scanFrom = offset
        } else {
            // A stale snapshot must not survive: once the log grows past its offset again it
            // would describe batches that were lost.
            try? FileSystem.remove(snapshotPath)
        }
        if scanFrom < log.logEndOffset {
            try log.forEachBatchHeader(from: scanFrom) { header in if header.baseOffset >= scanFrom { table.record(header, nowMillis: now) } }
        }
        producers = Mutex(table)
    }

    /// Writes the producer-state snapshot for everything appended so far. Called at close, once
    /// the Raft thread has stopped appending, under the producers lock so no record lands between
    /// reading the log end and encoding the table.
    private func writeSnapshot(_ table: ProducerStateTable) {
        try? FileSystem.writeAtomically(table.snapshot(coveringBelow: log.logEndOffset), to: snapshotPath)
    }

    /// Snapshots the producer state and closes the log (clean shutdown).
    public func close() throws(StorageError) {
        producers.withLock { writeSnapshot($0) }
        try log.close()
    }

    /// The group's commit as an offset, set by the Raft thread; -1 until the replica joins its
    /// group at start (until then the fsynced log end stands in, which is what a group of one
    /// would commit).
    private let replicatedHighWatermark = Atomic<Int64>(-1)

    /// Consumers read below this offset: the end of what a majority of the partition's replicas
    /// holds on disk (the Raft commit index; in a group of one, this node's fsynced log end).
    public var highWatermark: Int64 {
        let replicated = replicatedHighWatermark.load(ordering: .acquiring)
        return replicated >= 0 ? min(replicated, log.logEndOffset) : log.flushedOffset
    }

    /// Makes this a replicated partition whose high watermark is `offset` (never moved back).
    public func setReplicatedHighWatermark(_ offset: Int64) {
        var current = replicatedHighWatermark.load(ordering: .relaxed)
        while offset > current {
            let (exchanged, original) = replicatedHighWatermark.compareExchange(expected: current, desired: offset, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Validates a producer's batches (framing, CRC, records) without appending them.
    public func validateFromProducer(_ records: [UInt8]) -> Result<[RecordBatchHeader], ProduceFailure> {
        let maxBatchBytes = log.config.maxBatchBytes
        let headers: [RecordBatchHeader]
        do {
            headers = try records.withWireBytes { (buffer) throws(WireError) in try RecordBatchValidator.validateAll(buffer, maxBatchBytes: maxBatchBytes) }
        } catch {
            return .failure(Self.failure(for: error))
        }
        guard !headers.isEmpty else { return .failure(.corruptMessage("no record batch in the request")) }
        // Control batches mark Raft's own entries in a partition log (membership, a leader's
        // first entry): one written by a client would be read back as one of them.
        guard !headers.contains(where: \.attributes.isControl) else {
            return .failure(.invalidRecord("clients may not write control batches"))
        }
        do {
            try records.withWireBytes { (buffer) throws(WireError) in
                var position = 0
                for header in headers {
                    try RecordBatchValidator.validateRecords(UnsafeRawBufferPointer(rebasing: buffer[position..<(position + header.totalSize)]),
                                                             header: header, maxDecompressedBytes: Self.decompressedBytesMax)
                    position += header.totalSize
                }
            }
        } catch {
            return .failure(Self.recordFailure(for: error))
        }
        return .success(headers)
    }

    /// The idempotence verdict for one batch about to be proposed (leader, Raft thread).
    public func checkProducer(_ header: RecordBatchHeader) -> SequenceVerdict {
        producers.withLock { $0.check(header) }
    }

    /// Records batches now in the log (stamped headers), on leader and followers alike, so a
    /// new leader deduplicates retries of batches its predecessor appended.
    public func recordAppended(_ headers: [RecordBatchHeader]) {
        let now = currentTimeMillis()
        let forgotten = producers.withLock { table in
            headers.reduce(0) { sum, header in header.attributes.isControl ? sum : sum + table.record(header, nowMillis: now) }
        }
        guard forgotten > 0 else { return }
        let total = producerIdsForgotten.add(forgotten, ordering: .relaxed).newValue
        guard Diagnostics.isLogged(anyOf: (total - forgotten + 1)...total) else { return }
        Diagnostics.warn("partition \(topicPartition): \(total) producer ids forgotten so far at max.producer.ids.per.partition "
            + "(\(producerLimit)), the least recently written: their next batches are taken as new, not checked against earlier ones")
    }

    private var producerLimit: Int { producers.withLock { $0.limits.maxProducers } }

    /// Forgets the producer ids idle for `producer.id.expiration.ms` (at each retention check).
    public func expireProducers() {
        let now = currentTimeMillis()
        producers.withLock { _ = $0.expire(nowMillis: now) }
    }

    /// Rebuilds the producer state from the log (after a follower's tail was replaced); the ids
    /// count as written now. The snapshot of the last clean stop goes: the log it describes may
    /// have been cut below its offset, and would pass it again.
    public func rebuildProducerState() {
        if FileSystem.exists(snapshotPath) {
            // Made durable, or a power loss could bring it back after the log has grown past it.
            try? FileSystem.remove(snapshotPath)
            try? FileSystem.syncDirectory(log.directory)
        }
        let now = currentTimeMillis()
        var table = ProducerStateTable(limits: producers.withLock { $0.limits })
        try? log.forEachBatchHeader(from: log.logStartOffset) { header in
            if !header.attributes.isControl { table.record(header, nowMillis: now) }
        }
        producers.withLock { $0 = table }
    }

    /// The most a compressed batch may expand to while its records are checked.
    static let decompressedBytesMax = 256 * 1024 * 1024

    /// What records breaking Kafka's rules get, inside a batch whose frame and CRC hold:
    /// INVALID_RECORD, as Kafka's validator answers, unless the codec is unknown or the records
    /// expand past the limit.
    private static func recordFailure(for error: WireError) -> ProduceFailure {
        switch error {
        case .unsupportedCodec, .lengthTooLarge: return failure(for: error)
        default: return .invalidRecord("\(error)")
        }
    }

    private static func failure(for error: WireError) -> ProduceFailure {
        switch error {
        case .lengthTooLarge: return .messageTooLarge("\(error)")
        case .unsupportedCodec: return .unsupportedCompression("\(error)")
        case .unsupportedMagic: return .invalidRecord("\(error): Produce v3 and later carry record batches of magic 2 only")
        case .negativeRecordCount: return .invalidRecord("\(error)")
        default: return .corruptMessage("\(error)")
        }
    }

    /// A copy of the idempotent-producer state (for tests and diagnostics).
    public var producerState: ProducerStateTable { producers.withLock { $0 } }
}
