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
///
/// Any client may write batches under any producer id (Kafka does not check that an id was
/// handed out), so the ids kept are bounded (`Limits`). A forgotten id is an unknown one again:
/// its next batch is appended whatever its sequence, as for a producer never seen, so only a
/// retry of a batch written before the id was forgotten could be appended twice.
public struct ProducerStateTable: Sendable, Equatable {
    public static let retainedBatches = 5

    /// How many producer ids a partition keeps, and for how long.
    public struct Limits: Sendable, Equatable {
        /// `max.producer.ids.per.partition`: past it, the least recently written tenth is
        /// forgotten (by their last batch's offset, the same order on every replica).
        public var maxProducers: Int
        /// `producer.id.expiration.ms`: an id this replica has not recorded a batch of for this
        /// long is forgotten at the next retention check, as Kafka expires producer ids.
        public var expirationMillis: Int64

        public init(maxProducers: Int = 10_000, expirationMillis: Int64 = 86_400_000) {
            self.maxProducers = max(1, maxProducers)
            self.expirationMillis = min(max(1, expirationMillis), Int64(Int32.max))
        }
    }

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
    public let limits: Limits
    /// When this replica last recorded a batch of each id, on this process's monotonic clock: not
    /// part of the state (a restart counts from then), so tables compare without it.
    private var lastRecordedNanos: [Int64: UInt64] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public static func == (lhs: ProducerStateTable, rhs: ProducerStateTable) -> Bool {
        lhs.producers == rhs.producers
    }

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

    /// Records a batch that was appended at `header.baseOffset`, at `nowNanos` on the monotonic
    /// clock. Returns how many ids it made the table forget (see `Limits.maxProducers`).
    @discardableResult
    public mutating func record(_ header: RecordBatchHeader, nowNanos: UInt64) -> Int {
        guard header.producerId >= 0 else { return 0 }
        var entry = producers[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [])
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch, batches: [])
        }
        entry.batches.append(BatchMetadata(firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                                           firstOffset: header.baseOffset, lastOffset: header.lastOffset))
        if entry.batches.count > Self.retainedBatches { entry.batches.removeFirst(entry.batches.count - Self.retainedBatches) }
        producers[header.producerId] = entry
        lastRecordedNanos[header.producerId] = nowNanos
        return producers.count > limits.maxProducers ? forgetLeastRecentlyWritten() : 0
    }

    /// Keeps the most recently written nine tenths of the limit, ordered by each id's last batch
    /// offset (the same on every replica, unlike any clock). A tenth at once keeps the sort rare.
    private mutating func forgetLeastRecentlyWritten() -> Int {
        let keep = limits.maxProducers - limits.maxProducers / 10
        let excess = producers.count - keep
        guard excess > 0 else { return 0 }
        let oldestFirst = producers.map { (id: $0.key, last: $0.value.batches.last?.lastOffset ?? -1) }.sorted { $0.last < $1.last }
        for (id, _) in oldestFirst.prefix(excess) { forgetProducer(id) }
        return excess
    }

    /// Forgets the ids this replica has not recorded a batch of for `Limits.expirationMillis`
    /// before `nowNanos`; returns how many.
    public mutating func expire(nowNanos: UInt64) -> Int {
        let idleNanos = UInt64(limits.expirationMillis) * 1_000_000
        guard nowNanos > idleNanos else { return 0 }
        let expired = lastRecordedNanos.filter { $0.value < nowNanos - idleNanos }.map(\.key)
        for id in expired { forgetProducer(id) }
        return expired.count
    }

    private mutating func forgetProducer(_ id: Int64) {
        producers[id] = nil
        lastRecordedNanos[id] = nil
    }

    /// Forgets batches at or after `offset` (after the log was truncated there).
    public mutating func forget(fromOffset offset: Int64) {
        for (id, var entry) in producers {
            entry.batches.removeAll { $0.lastOffset >= offset }
            if entry.batches.isEmpty { forgetProducer(id) } else { producers[id] = entry }
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

    /// Decodes a snapshot into a table of `limits` whose ids count as recorded at `nowNanos`; nil
    /// if it is damaged in any way (the caller then rebuilds from the log).
    public static func restore(_ bytes: [UInt8], limits: Limits = Limits(),
                               nowNanos: UInt64 = 0) -> (table: ProducerStateTable, offset: Int64)? {
        guard bytes.count >= 20, Array(bytes[0..<4]) == snapshotMagic else { return nil }
        let body = bytes[0..<(bytes.count - 4)]
        var trailer = ByteReader(bytes, range: (bytes.count - 4)..<bytes.count)
        guard let stored = try? trailer.readUInt32(), stored == CRC32C.checksum(body) else { return nil }
        var reader = ByteReader(bytes, range: 4..<(bytes.count - 4))
        do {
            let offset = try reader.readInt64()
            let count = Int(try reader.readInt32())
            guard count >= 0, count * 11 <= reader.remaining else { return nil }
            var table = ProducerStateTable(limits: limits)
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
                table.lastRecordedNanos[id] = nowNanos
            }
            guard reader.isAtEnd else { return nil }
            // Kept under a higher limit than this start's.
            _ = table.producers.count > limits.maxProducers ? table.forgetLeastRecentlyWritten() : 0
            return (table, offset)
        } catch {
            return nil
        }
    }
}
