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
/// handed out), so the ids kept are bounded (`Limits`): the table keeps the most recently written
/// ones, in the order of their last batch's offset. A forgotten id is an unknown one again: its
/// next batch is appended whatever its sequence and epoch, as for a producer never seen.
public struct ProducerStateTable: Sendable, Equatable {
    public static let retainedBatches = 5

    /// How many producer ids a partition keeps, and for how long.
    public struct Limits: Sendable, Equatable {
        /// `max.producer.ids.per.partition`: a new id past it forgets the least recently written.
        public let maxProducers: Int
        /// `producer.id.expiration.ms`: an id with no batch recorded for this long is forgotten
        /// at the next retention check, as Kafka expires producer ids.
        public let expirationMillis: Int64

        /// At most 400,000: a snapshot of as many ids with five batches each (139 bytes an id)
        /// stays under the 64 MiB a start reads of it.
        public static let maxProducersRange = 1...400_000
        public static let expirationMillisRange: ClosedRange<Int64> = 1...Int64(Int32.max)

        public init(maxProducers: Int = 10_000, expirationMillis: Int64 = 86_400_000) {
            self.maxProducers = min(max(maxProducers, Self.maxProducersRange.lowerBound), Self.maxProducersRange.upperBound)
            self.expirationMillis = min(max(expirationMillis, Self.expirationMillisRange.lowerBound), Self.expirationMillisRange.upperBound)
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
        /// Oldest first, at most `retainedBatches`, never empty.
        public var batches: [BatchMetadata]
        /// The wall clock (ms) when a batch of this id was last recorded here: kept in the
        /// snapshot, so a clean restart does not restart the expiration.
        public var lastWriteMillis: Int64
    }

    public private(set) var producers: [Int64: Entry] = [:]
    public let limits: Limits
    /// Every id recorded, with the offset of the batch recorded, oldest first from
    /// `recencyStart`: an id's place is valid while that offset is still its last batch's. The
    /// front valid place is the least recently written id, so forgetting and expiring take the
    /// front without a sort; stale places are dropped when they outnumber the valid ones.
    private var recency: [(id: Int64, lastOffset: Int64)] = []
    private var recencyStart = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The order of places is bookkeeping: tables holding the same entries are equal.
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

    /// Records a batch appended at `header.baseOffset` (offsets only grow from one call to the
    /// next), at `nowMillis` on the wall clock. Returns how many ids it made the table forget:
    /// one when a new id passes `Limits.maxProducers`.
    @discardableResult
    public mutating func record(_ header: RecordBatchHeader, nowMillis: Int64) -> Int {
        guard header.producerId >= 0 else { return 0 }
        var entry = producers[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [], lastWriteMillis: nowMillis)
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch, batches: [], lastWriteMillis: nowMillis)
        }
        entry.batches.append(BatchMetadata(firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                                           firstOffset: header.baseOffset, lastOffset: header.lastOffset))
        if entry.batches.count > Self.retainedBatches { entry.batches.removeFirst(entry.batches.count - Self.retainedBatches) }
        entry.lastWriteMillis = nowMillis
        producers[header.producerId] = entry
        recency.append((header.producerId, header.lastOffset))
        let forgotten = forgetPastLimit()
        dropStalePlacesIfMany()
        return forgotten
    }

    /// Forgets the least recently written ids until the table is within its limit; how many.
    private mutating func forgetPastLimit() -> Int {
        var forgotten = 0
        while producers.count > limits.maxProducers, let oldest = takeLeastRecentlyWritten() {
            producers[oldest] = nil
            forgotten += 1
        }
        return forgotten
    }

    /// Forgets the ids with no batch recorded for `Limits.expirationMillis` before `nowMillis`,
    /// from the least recently written on (it stops at the first id still in time, so an id whose
    /// clock reading is out of order waits for those written before it); returns how many.
    public mutating func expire(nowMillis: Int64) -> Int {
        let cutoff = nowMillis - limits.expirationMillis
        var expired = 0
        while let oldest = leastRecentlyWritten(), let entry = producers[oldest], entry.lastWriteMillis < cutoff {
            recencyStart += 1
            producers[oldest] = nil
            expired += 1
        }
        dropStalePlacesIfMany()
        return expired
    }

    /// The id at the front valid place, dropping stale places before it; nil when none is left.
    private mutating func leastRecentlyWritten() -> Int64? {
        while recencyStart < recency.count {
            let place = recency[recencyStart]
            if isCurrent(place) { return place.id }
            recencyStart += 1
        }
        return nil
    }

    private mutating func takeLeastRecentlyWritten() -> Int64? {
        guard let id = leastRecentlyWritten() else { return nil }
        recencyStart += 1
        return id
    }

    /// Keeps the places array at most about twice the ids kept, in linear time amortised over the
    /// records that made the stale places.
    private mutating func dropStalePlacesIfMany() {
        guard recency.count - recencyStart > 2 * producers.count + 64 || recencyStart > recency.count / 2 + 64 else { return }
        recency = recency[recencyStart...].filter(isCurrent)
        recencyStart = 0
    }

    /// Whether `place` is still its id's last batch (an id has exactly one such place).
    private func isCurrent(_ place: (id: Int64, lastOffset: Int64)) -> Bool {
        producers[place.id]?.batches.last?.lastOffset == place.lastOffset
    }

    /// Places for entries put in directly (a restore), least recently written first; then down
    /// to the limit.
    private mutating func orderRestoredEntries() {
        recency = producers.compactMap { id, entry in entry.batches.last.map { (id, $0.lastOffset) } }.sorted { $0.lastOffset < $1.lastOffset }
        recencyStart = 0
        _ = forgetPastLimit()
    }
}

extension ProducerStateTable {
    /// The snapshot file format, version 2: magic "SPS2", the log offset the state covers (every
    /// batch below it), the producer count, per producer its id, epoch, last write time (ms) and
    /// batches, and a CRC-32C of everything before it. A snapshot spares a restart from reading
    /// every batch header. Version 1 ("SPS1", written before write times were kept) is read with
    /// every id written at the restore.
    static let snapshotMagic: [UInt8] = Array("SPS2".utf8)
    static let snapshotMagicWithoutTimes: [UInt8] = Array("SPS1".utf8)

    /// Encodes the table as it stands after every batch below `offset`.
    public func snapshot(coveringBelow offset: Int64) -> [UInt8] {
        var writer = ByteWriter(capacity: 32 + producers.count * 72)
        writer.writeRaw(Self.snapshotMagic)
        writer.writeInt64(offset)
        writer.writeInt32(Int32(producers.count))
        for id in producers.keys.sorted() {
            guard let entry = producers[id] else { continue }
            writer.writeInt64(id)
            writer.writeInt16(entry.epoch)
            writer.writeInt64(entry.lastWriteMillis)
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

    /// Decodes a snapshot into a table of `limits` (its least recently written ids forgotten past
    /// them); nil if it is damaged in any way (the caller then rebuilds from the log).
    public static func restore(_ bytes: [UInt8], limits: Limits = Limits(), nowMillis: Int64) -> (table: ProducerStateTable, offset: Int64)? {
        guard bytes.count >= 20 else { return nil }
        let magic = Array(bytes[0..<4])
        guard magic == snapshotMagic || magic == snapshotMagicWithoutTimes else { return nil }
        let hasTimes = magic == snapshotMagic
        let body = bytes[0..<(bytes.count - 4)]
        var trailer = ByteReader(bytes, range: (bytes.count - 4)..<bytes.count)
        guard let stored = try? trailer.readUInt32(), stored == CRC32C.checksum(body) else { return nil }
        var reader = ByteReader(bytes, range: 4..<(bytes.count - 4))
        do {
            let offset = try reader.readInt64()
            let count = Int(try reader.readInt32())
            guard count >= 0, count * (hasTimes ? 19 : 11) <= reader.remaining else { return nil }
            var table = ProducerStateTable(limits: limits)
            for _ in 0..<count {
                let id = try reader.readInt64()
                let epoch = try reader.readInt16()
                // A time ahead of this clock (it was stepped back) would hold up expiry behind it.
                let lastWriteMillis = hasTimes ? min(try reader.readInt64(), nowMillis) : nowMillis
                let batchCount = Int(try reader.readInt8())
                guard (0...retainedBatches).contains(batchCount) else { return nil }
                var batches: [BatchMetadata] = []
                for _ in 0..<batchCount {
                    batches.append(BatchMetadata(firstSequence: try reader.readInt32(), lastSequence: try reader.readInt32(),
                                                 firstOffset: try reader.readInt64(), lastOffset: try reader.readInt64()))
                }
                if !batches.isEmpty { table.producers[id] = Entry(epoch: epoch, batches: batches, lastWriteMillis: lastWriteMillis) }
            }
            guard reader.isAtEnd else { return nil }
            table.orderRestoredEntries()
            return (table, offset)
        } catch {
            return nil
        }
    }
}
