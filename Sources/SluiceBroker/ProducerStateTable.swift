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
