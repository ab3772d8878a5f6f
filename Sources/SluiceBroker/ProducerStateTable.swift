import SluiceCore
import SluiceWire

/// What the idempotence check decided for an incoming batch.
public enum SequenceVerdict: Equatable, Sendable {
    /// New data in order: append it.
    case append
    /// A retry of one of the last five batches: answer with the offsets it got the first time.
    case duplicate(firstOffset: Int64, lastOffset: Int64)
    /// INVALID_PRODUCER_EPOCH (47): an older epoch than the producer's current one.
    case staleEpoch
    /// OUT_OF_ORDER_SEQUENCE_NUMBER (45): a gap, or a new epoch not starting at 0.
    case outOfOrder(expected: Int32, received: Int32)
}

/// Idempotent-producer state of one partition: per producer id its epoch and the metadata of
/// its last five batches (Kafka's `NUM_BATCHES_TO_RETAIN`). Rebuilt from batch headers after a
/// restart, since every batch carries producer id, epoch, base sequence and offsets.
public struct ProducerStateTable: Sendable, Equatable {
    public static let retainedBatches = 5

    public struct BatchMetadata: Equatable, Sendable {
        public var firstSequence: Int32
        public var lastSequence: Int32
        public var firstOffset: Int64
        public var lastOffset: Int64
    }

    public struct Entry: Equatable, Sendable {
        public var epoch: Int16
        /// Oldest first, at most `retainedBatches`.
        public var batches: [BatchMetadata]
    }

    public private(set) var producers: [Int64: Entry] = [:]

    public init() {}

    /// Checks `header` against the producer's state. Batches without a producer id (−1) are not
    /// idempotent: their sequence is ignored (aiokafka writes 0 there).
    public func check(_ header: RecordBatchHeader) -> SequenceVerdict {
        guard header.producerId >= 0 else { return .append }
        guard let entry = producers[header.producerId] else { return .append }
        if header.producerEpoch < entry.epoch { return .staleEpoch }
        if header.producerEpoch > entry.epoch {
            // A bumped epoch (librdkafka bumps locally after draining) restarts sequences at 0.
            return header.baseSequence == 0 ? .append : .outOfOrder(expected: 0, received: header.baseSequence)
        }
        if let match = entry.batches.first(where: { $0.firstSequence == header.baseSequence && $0.lastSequence == header.lastSequence }) {
            return .duplicate(firstOffset: match.firstOffset, lastOffset: match.lastOffset)
        }
        guard let last = entry.batches.last else { return .append }
        let expected = last.lastSequence == Int32.max ? 0 : last.lastSequence + 1
        return header.baseSequence == expected ? .append : .outOfOrder(expected: expected, received: header.baseSequence)
    }

    /// Records a batch that was appended at `header.baseOffset`.
    public mutating func record(_ header: RecordBatchHeader) {
        guard header.producerId >= 0 else { return }
        var entry = producers[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [])
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch, batches: [])
        }
        entry.batches.append(BatchMetadata(firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                                           firstOffset: header.baseOffset, lastOffset: header.lastOffset))
        if entry.batches.count > Self.retainedBatches { entry.batches.removeFirst(entry.batches.count - Self.retainedBatches) }
        producers[header.producerId] = entry
    }

    /// Forgets batches at or after `offset` (after the log was truncated there).
    public mutating func forget(fromOffset offset: Int64) {
        for (id, var entry) in producers {
            entry.batches.removeAll { $0.lastOffset >= offset }
            producers[id] = entry.batches.isEmpty ? nil : entry
        }
    }
}

extension ProducerStateTable {
    /// The snapshot file format, version 1: magic "SPS1", the log offset the state covers (every
    /// batch below it), the producer count, per producer its id, epoch and batches, and a CRC-32C
    /// of everything before it. A snapshot spares a restart from reading every batch header.
    static let snapshotMagic: [UInt8] = Array("SPS1".utf8)

    /// Encodes the table as it stands after every batch below `offset`.
    public func snapshot(coveringBelow offset: Int64) -> [UInt8] {
        var writer = ByteWriter(capacity: 32 + producers.count * 64)
        writer.writeRaw(Self.snapshotMagic)
        writer.writeInt64(offset)
        writer.writeInt32(Int32(producers.count))
        for id in producers.keys.sorted() {
            guard let entry = producers[id] else { continue }
            writer.writeInt64(id)
            writer.writeInt16(entry.epoch)
            writer.writeInt8(Int8(entry.batches.count))
            for batch in entry.batches {
                writer.writeInt32(batch.firstSequence)
                writer.writeInt32(batch.lastSequence)
                writer.writeInt64(batch.firstOffset)
                writer.writeInt64(batch.lastOffset)
            }
        }
        writer.writeUInt32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes a snapshot; nil if it is damaged in any way (the caller then rebuilds from the log).
    public static func restore(_ bytes: [UInt8]) -> (table: ProducerStateTable, offset: Int64)? {
        guard bytes.count >= 20, Array(bytes[0..<4]) == snapshotMagic else { return nil }
        let body = bytes[0..<(bytes.count - 4)]
        var trailer = ByteReader(bytes, range: (bytes.count - 4)..<bytes.count)
        guard let stored = try? trailer.readUInt32(), stored == CRC32C.checksum(body) else { return nil }
        var reader = ByteReader(bytes, range: 4..<(bytes.count - 4))
        do {
            let offset = try reader.readInt64()
            let count = Int(try reader.readInt32())
            guard count >= 0, count * 11 <= reader.remaining else { return nil }
            var table = ProducerStateTable()
            for _ in 0..<count {
                let id = try reader.readInt64()
                let epoch = try reader.readInt16()
                let batchCount = Int(try reader.readInt8())
                guard (0...retainedBatches).contains(batchCount) else { return nil }
                var batches: [BatchMetadata] = []
                for _ in 0..<batchCount {
                    batches.append(BatchMetadata(firstSequence: try reader.readInt32(), lastSequence: try reader.readInt32(),
                                                 firstOffset: try reader.readInt64(), lastOffset: try reader.readInt64()))
                }
                table.producers[id] = Entry(epoch: epoch, batches: batches)
            }
            guard reader.isAtEnd else { return nil }
            return (table, offset)
        } catch {
            return nil
        }
    }
}
