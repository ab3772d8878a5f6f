import SluiceCore
import SluiceLog
import SluiceWire
import Synchronization

/// Why a produce to one partition was refused, as a Kafka error code.
public enum ProduceFailure: Error, Equatable, Sendable {
    case corruptMessage(String)
    case messageTooLarge(String)
    case unsupportedCompression(String)
    case invalidProducerEpoch
    case outOfOrderSequence(expected: Int32, received: Int32)
    case storage(String)

    public var errorCode: KafkaError {
        switch self {
        case .corruptMessage: return .corruptMessage
        case .messageTooLarge: return .messageTooLarge
        case .unsupportedCompression: return .unsupportedCompressionType
        case .invalidProducerEpoch: return .invalidProducerEpoch
        case .outOfOrderSequence: return .outOfOrderSequenceNumber
        case .storage: return .kafkaStorageError
        }
    }

    public var message: String {
        switch self {
        case let .corruptMessage(m), let .messageTooLarge(m), let .unsupportedCompression(m), let .storage(m): return m
        case .invalidProducerEpoch: return "producer epoch is older than the current one"
        case let .outOfOrderSequence(expected, received): return "expected sequence \(expected), received \(received)"
        }
    }
}

/// A partition this broker leads: its log and its idempotent-producer state.
///
/// Appends are serialized by `producers`' lock so the idempotence check, the append and the
/// state update happen as one step. The high watermark is the durable log end: consumers are
/// never shown a record that a crash could take back.
public final class Partition: Sendable {
    public let topicPartition: TopicPartition
    public let log: PartitionLog
    private let producers: Mutex<ProducerStateTable>

    /// What an accepted produce got.
    public struct AppendOutcome: Equatable, Sendable {
        public var firstOffset: Int64
        public var lastOffset: Int64
        public var logStartOffset: Int64
        public var isDuplicate: Bool

        public init(firstOffset: Int64, lastOffset: Int64, logStartOffset: Int64, isDuplicate: Bool) {
            self.firstOffset = firstOffset
            self.lastOffset = lastOffset
            self.logStartOffset = logStartOffset
            self.isDuplicate = isDuplicate
        }
    }

    public init(topicPartition: TopicPartition, directory: String, config: LogConfig) throws(StorageError) {
        self.topicPartition = topicPartition
        log = try PartitionLog(directory: directory, config: config)
        var table = ProducerStateTable()
        try log.forEachBatchHeader(from: log.logStartOffset) { table.record($0) }
        producers = Mutex(table)
    }

    public var highWatermark: Int64 { log.flushedOffset }

    /// The most a compressed batch may expand to while its records are checked.
    static let decompressedBytesMax = 256 * 1024 * 1024

    /// Validates and appends a producer's batches; a retry of a recent batch gets its original
    /// offsets back instead of a second copy.
    public func appendFromProducer(_ records: inout [UInt8], leaderEpoch: Int32) -> Result<AppendOutcome, ProduceFailure> {
        let maxBatchBytes = log.config.maxBatchBytes
        let headers: [RecordBatchHeader]
        do {
            headers = try records.withWireBytes { (buffer) throws(WireError) in try RecordBatchValidator.validateAll(buffer, maxBatchBytes: maxBatchBytes) }
        } catch {
            return .failure(Self.failure(for: error))
        }
        guard !headers.isEmpty else { return .failure(.corruptMessage("no record batch in the request")) }
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
            return .failure(Self.failure(for: error))
        }
        return records.withUnsafeMutableBytes { buffer in
            producers.withLock { table -> Result<AppendOutcome, ProduceFailure> in
                for header in headers {
                    switch table.check(header) {
                    case .append: continue
                    case let .duplicate(first, last):
                        return .success(AppendOutcome(firstOffset: first, lastOffset: last, logStartOffset: log.logStartOffset, isDuplicate: true))
                    case .staleEpoch: return .failure(.invalidProducerEpoch)
                    case let .outOfOrder(expected, received): return .failure(.outOfOrderSequence(expected: expected, received: received))
                    }
                }
                do {
                    let result = try log.append(buffer, leaderEpoch: leaderEpoch, assignOffsets: true, validatedHeaders: headers)
                    var next = result.firstOffset
                    for var header in headers {
                        header.baseOffset = next
                        table.record(header)
                        next = header.lastOffset + 1
                    }
                    return .success(AppendOutcome(firstOffset: result.firstOffset, lastOffset: result.lastOffset,
                                                  logStartOffset: log.logStartOffset, isDuplicate: false))
                } catch {
                    if case let StorageError.invalidBatch(wire) = error { return .failure(Self.failure(for: wire)) }
                    return .failure(.storage("\(error)"))
                }
            }
        }
    }

    private static func failure(for error: WireError) -> ProduceFailure {
        switch error {
        case .lengthTooLarge: return .messageTooLarge("\(error)")
        case .unsupportedCodec: return .unsupportedCompression("\(error)")
        default: return .corruptMessage("\(error)")
        }
    }

    /// A copy of the idempotent-producer state (for tests and diagnostics).
    public var producerState: ProducerStateTable { producers.withLock { $0 } }
}
