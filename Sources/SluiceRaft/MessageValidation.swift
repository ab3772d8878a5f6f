import SluiceCore

/// Bounds every term and log position must respect. They keep all of the core's arithmetic on
/// message fields (`index + 1`, `lastIndex - indexCount`, `term + 1`) far from overflow.
public enum RaftBounds {
    /// The highest term a group may reach. A data partition's term is its Kafka leader epoch, an
    /// Int32 on the wire, so the same bound serves every group: 2^31 - 1 elections.
    public static let termMax = Term(UInt64(Int32.max))
    /// The highest log position: 2^62, beyond any real log and a factor of two below Int64.max.
    public static let indexMax = LogIndex(1 << 62)
    /// The lowest log position a message may name: the one before an empty log.
    public static let indexMin = LogIndex.origin

    static func contains(_ index: LogIndex) -> Bool { index >= indexMin && index <= indexMax }

    /// Terms up to here are taken from any message; above it, only one term past the receiver's
    /// own. Without it one message naming ``termMax`` ends the group: every node adopts it (the
    /// stale-term replies spread it) and none can campaign again. Now a peer can lift the group
    /// only to here in one step, and from here the group still has 2^30 elections of headroom;
    /// using them up takes one accepted message per term, not one message.
    public static let termAcceptedMax = Term(termMax.rawValue / 2)

    /// The highest term a node at `term` accepts anywhere in a message: one past the higher of its
    /// own term and ``termAcceptedMax`` (the step of the next campaign, so a group above the
    /// bound still elects and a node behind it by one election still follows), capped at
    /// ``termMax``.
    public static func termAccepted(at term: Term) -> Term {
        Term(min(max(term.rawValue, termAcceptedMax.rawValue) + 1, termMax.rawValue))
    }
}

/// Why the core dropped a message instead of acting on it. No honest peer sends any of these; the
/// count of each is kept in ``RaftNode/droppedMessages`` so a host can report them.
public enum InvalidMessage: String, Sendable, CaseIterable {
    /// Addressed to another node.
    case wrongRecipient
    /// A term or log term above ``RaftBounds/termMax``, or any term (the message's, its log
    /// term, an entry's, a snapshot's) above ``RaftBounds/termAccepted(at:)`` for the receiver.
    case termOutOfRange
    /// An index, commit or hint outside ``RaftBounds``.
    case indexOutOfRange
    /// Entries that do not attach one to the next starting at the message's index, cover no
    /// index, or carry terms that decrease or exceed ``RaftBounds/termMax``.
    case entriesMalformed
    /// A snapshot whose position or term is out of range.
    case snapshotMalformed
    /// A success naming a position past the end of the leader's log.
    case acknowledgementBeyondLog
    /// An append that would replace entries this node holds committed.
    case conflictBelowCommit
    /// A read-index request or answer without its context (0 means "no read").
    case readWithoutContext
    /// A TimeoutNow from a node other than the leader this node knows for the term: only the
    /// leader hands leadership over.
    case timeoutNowFromNonLeader
}

extension Message {
    /// The first bound this message breaks, or nil. Checked before any field reaches the core, so
    /// nothing a peer sends can overflow arithmetic or trap a precondition.
    public var boundsViolation: InvalidMessage? {
        // A log term may exceed the message's term: a node whose entries reached the disk but
        // whose hard state did not (a crash between the two writes) restarts with a lower term
        // than its last entry, and campaigns or leads with that log.
        guard term <= RaftBounds.termMax, logTerm <= RaftBounds.termMax else { return .termOutOfRange }
        guard RaftBounds.contains(index), RaftBounds.contains(commit), RaftBounds.contains(rejectHint) else {
            return .indexOutOfRange
        }
        if !entries.isEmpty && !entriesAttach { return .entriesMalformed }
        if (kind == .readIndex || kind == .readIndexResponse) && context == 0 { return .readWithoutContext }
        if let meta = snapshot?.metadata, !(RaftBounds.contains(meta.index) && meta.term <= RaftBounds.termMax) {
            return .snapshotMalformed
        }
        return nil
    }

    /// Whether a term in this message is above what a node at `term` accepts; see
    /// ``RaftBounds/termAccepted(at:)``. The caller adopts none of it.
    public func exceedsAcceptedTerm(at term: Term) -> Bool {
        let ceiling = RaftBounds.termAccepted(at: term)
        guard self.term <= ceiling, logTerm <= ceiling else { return true }
        if let meta = snapshot?.metadata, meta.term > ceiling { return true }
        // Entry terms never decrease (checked by `entriesAttach`), so the last is the highest.
        return (entries.last?.term ?? .zero) > ceiling
    }

    /// Whether the entries chain from `index` with no gap or overlap, each covering at least one
    /// position, with terms from `logTerm` up to ``RaftBounds/termMax``, never decreasing.
    private var entriesAttach: Bool {
        var attach = index
        var lastTerm = logTerm
        for e in entries {
            guard e.indexCount >= 1, e.lastIndex <= RaftBounds.indexMax, e.lastIndex >= attach + 1,
                  e.lastIndex.rawValue - attach.rawValue == e.indexCount else { return false }
            guard e.term >= lastTerm, e.term <= RaftBounds.termMax else { return false }
            attach = e.lastIndex
            lastTerm = e.term
        }
        return true
    }
}
