import SluiceCore
import SluiceIO
import SluiceLog
import SluiceRaft
import SluiceWire

/// One local partition replica as a Raft group member: the core, its storage (the partition's
/// own segment log) and the produce requests waiting on it. Lives on the Raft thread.
struct PartitionGroup {
    let partition: Partition
    let storage: PartitionRaftStorage
    var node: RaftNode<PartitionRaftStorage>
    /// What committed entries drive beyond the log itself (an offset store), if anything.
    let machine: RaftStateMachine?
    /// Produce requests waiting for their entry to be appended (acks=1) or committed (acks=all).
    private var pending: [Pending] = []
    /// The last entry this replica proposed and recorded in its producer state (a leader records
    /// at propose, so the next batch of the producer is checked against it), until a persist
    /// finds it written. A newer leader's entries may replace it first (a step-down in the same
    /// turn); the producer state then names a batch the log never got, and a retry of it would
    /// be answered as a duplicate at offsets holding another batch.
    private var proposalRecorded: (index: LogIndex, term: Term)?

    private struct Pending {
        var lastIndex: LogIndex
        var term: Term
        var firstOffset: Int64
        var waitsForCommit: Bool
        var deadlineNanos: UInt64
        var done: @Sendable (ProduceOutcome) -> Void
    }

    init(partition: Partition, storage: PartitionRaftStorage, node: RaftNode<PartitionRaftStorage>, machine: RaftStateMachine?) {
        self.partition = partition
        self.storage = storage
        self.node = node
        self.machine = machine
    }

    /// The log end offset once the entry ending at `index` is in the log: a partition's Raft
    /// index is its log end offset (a batch at offsets b...l is the entry (b, l + 1]).
    static func offsetEnd(_ index: LogIndex) -> Int64 { index.rawValue }

    /// Stamps, checks idempotence and proposes each batch; answers at once on refusal.
    mutating func propose(records: [UInt8], headers: [RecordBatchHeader], acks: Int16, timeoutMillis: Int64,
                          done: @escaping @Sendable (ProduceOutcome) -> Void) {
        guard node.role == .leader else {
            return done(.failed(.notLeaderOrFollower, "not the leader of \(partition.topicPartition); leader is \(node.leader.map { "node \($0)" } ?? "unknown")"))
        }
        guard node.transferTarget == nil else {
            return done(.failed(.notLeaderOrFollower, "leadership of \(partition.topicPartition) is moving"))
        }
        // Every replica's storage refuses a larger entry, this one's included: refused here, before
        // anything is proposed, it is one client's error instead of a log write that stops the node.
        if let large = headers.first(where: { $0.totalSize > PartitionRaftStorage.batchBytesMax }) {
            return done(.failed(.messageTooLarge, "a batch of \(large.totalSize) bytes; a replicated batch holds at most \(PartitionRaftStorage.batchBytesMax)"))
        }
        var bytes = records
        var position = 0
        var firstOffset: Int64?
        var lastProposed: (index: LogIndex, term: Term)?
        for var header in headers {
            switch partition.checkProducer(header) {
            case .append:
                break
            case let .duplicate(first, last):
                // A retry: answer with the original offsets once they are as durable as asked.
                // For acks=all that is the high watermark, which moves only once the commit is
                // on disk (the core's commit index may run ahead of this node's fsync).
                let lastIndex = LogIndex(last + 1)
                if acks != -1 || partition.highWatermark >= Self.offsetEnd(lastIndex) {
                    return done(.appended(firstOffset: first, logStartOffset: partition.log.logStartOffset))
                }
                pending.append(Pending(lastIndex: lastIndex, term: node.term(at: lastIndex) ?? node.term, firstOffset: first, waitsForCommit: true,
                                       deadlineNanos: monotonicNanos() + UInt64(max(timeoutMillis, 0)) * 1_000_000, done: done))
                return
            case .staleEpoch:
                return done(.failed(.invalidProducerEpoch, "producer epoch is older than the current one"))
            case let .outOfOrder(expected, received):
                return done(.failed(.outOfOrderSequenceNumber, "expected sequence \(expected), received \(received)"))
            }
            let base = Self.offsetEnd(node.lastIndex)
            let term = node.term
            let size = header.totalSize
            bytes.withUnsafeMutableBytes { buffer in
                RecordBatch.stamp(UnsafeMutableRawBufferPointer(rebasing: buffer[position..<(position + size)]),
                                  baseOffset: base, partitionLeaderEpoch: Int32(truncatingIfNeeded: term.rawValue))
            }
            header.baseOffset = base
            header.partitionLeaderEpoch = Int32(truncatingIfNeeded: term.rawValue)
            do {
                // The usual request holds one batch: propose the stamped buffer itself, not a copy of it.
                let batch = size == bytes.count ? bytes : Array(bytes[position..<(position + size)])
                let (index, proposedTerm) = try node.propose(batch, indexCount: Int64(header.lastOffsetDelta) + 1)
                precondition(index.rawValue == header.lastOffset + 1, "entry \(index) does not end after the batch's last offset \(header.lastOffset)")
                lastProposed = (index, proposedTerm)
                // Recorded as soon as it is proposed: the next batch of the request is checked
                // against it, and a later batch refused leaves this one in the log, known.
                partition.recordAppended([header])
                proposalRecorded = (index, proposedTerm)
            } catch {
                return done(.failed(.notLeaderOrFollower, "\(partition.topicPartition): \(error)"))
            }
            if firstOffset == nil { firstOffset = base }
            position += size
        }
        guard let lastProposed, let firstOffset else { return }
        pending.append(Pending(lastIndex: lastProposed.index, term: lastProposed.term, firstOffset: firstOffset, waitsForCommit: acks == -1,
                               deadlineNanos: monotonicNanos() + UInt64(max(timeoutMillis, 0)) * 1_000_000, done: done))
    }

    /// Persists a Ready for this group (the caller syncs and sends).
    mutating func persist(_ ready: Ready) throws {
        let replacesTail = ready.entries.first.map { $0.prevIndex < storage.lastIndex } ?? false
        if let snapshot = ready.snapshot { try storage.persist(snapshot: snapshot) }
        if !ready.entries.isEmpty { try storage.persist(entries: ready.entries) }
        if let hardState = ready.hardState { try storage.persist(hardState: hardState) }
        // Every entry the core held is written now: a recorded proposal not in the log is gone.
        let recorded = proposalRecorded
        proposalRecorded = nil
        if ready.snapshot != nil || replacesTail || recorded.map({ storage.term(at: $0.index) != $0.term }) == true {
            partition.rebuildProducerState()
        } else if node.role != .leader {
            // Followers learn producer state from what they append; a leader recorded it at propose
            // (and so did this replica for its own proposals it still holds after stepping down).
            var headers: [RecordBatchHeader] = []
            for entry in ready.entries where entry.kind == .normal && entry.data.count >= RecordBatchHeader.size {
                if let recorded, entry.term == recorded.term, entry.lastIndex <= recorded.index { continue }
                if let header = try? entry.data.withUnsafeBytes({ (buffer) throws(WireError) in try RecordBatchHeader.read(from: buffer) }) {
                    headers.append(header)
                }
            }
            partition.recordAppended(headers)
        }
    }

    /// After writing (before the round's fsync): acks=1 produces whose entries are now in the log are answered.
    mutating func afterPersist(_ ready: Ready) {
        guard !pending.isEmpty else { return }
        let last = storage.lastIndex
        pending.removeAll { p in
            guard !p.waitsForCommit, p.lastIndex <= last else { return false }
            if storage.term(at: p.lastIndex) == p.term {
                p.done(.appended(firstOffset: p.firstOffset, logStartOffset: partition.log.logStartOffset))
            } else {
                p.done(.failed(.notLeaderOrFollower, "leadership changed before the batch was appended"))
            }
            return true
        }
    }

    /// The answers to acks=all produces whose entries are committed (or lost to a newer term),
    /// taken from the pending ones; the caller gives them once what they wait for is done (a
    /// state machine's apply, perhaps on another thread).
    mutating func takeCommitted(through commit: LogIndex) -> [@Sendable () -> Void] {
        var answers: [@Sendable () -> Void] = []
        let logStart = partition.log.logStartOffset
        pending.removeAll { p in
            guard p.lastIndex <= commit else { return false }
            let done = p.done
            if node.term(at: p.lastIndex) == p.term || storage.term(at: p.lastIndex) == p.term {
                let first = p.firstOffset
                answers.append { done(.appended(firstOffset: first, logStartOffset: logStart)) }
            } else {
                answers.append { done(.failed(.notLeaderOrFollower, "the batch was replaced by a new leader's log; retry")) }
            }
            return true
        }
        return answers
    }

    mutating func failPending(_ error: KafkaError, _ message: String? = nil) {
        let why = message ?? "leadership of \(partition.topicPartition) moved; retry at the new leader"
        for p in pending { p.done(.failed(error, why)) }
        pending.removeAll()
    }

    mutating func expire(now: UInt64) {
        pending.removeAll { p in
            guard p.deadlineNanos <= now else { return false }
            p.done(.failed(.requestTimedOut, "not replicated to a majority within the request timeout"))
            return true
        }
    }
}
