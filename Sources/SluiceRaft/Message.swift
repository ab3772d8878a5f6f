import SluiceCore

/// The kinds of message Raft nodes exchange.
public enum MessageKind: Sendable, Equatable, CaseIterable {
    /// Leader → follower: entries after (`index`, `logTerm`), plus the leader's commit index.
    case append
    /// Follower → leader: success with the last index now matching, or a rejection with a hint.
    case appendResponse
    /// Candidate → voter: a vote for `term`, with the candidate's last (`index`, `logTerm`).
    case vote
    /// Voter → candidate.
    case voteResponse
    /// Pre-candidate → voter: "would you vote for me in `term`?" Changes no one's term (thesis §9.6).
    case preVote
    /// Voter → pre-candidate.
    case preVoteResponse
    /// Leader → follower: liveness and commit; `context` carries a read-index request.
    case heartbeat
    /// Follower → leader; echoes `context`, with the follower's commit index in `commit`.
    case heartbeatResponse
    /// Leader → follower: install `snapshot` because the entries it needs are compacted away.
    case snapshot
    /// Leader → transfer target: start an election now, ignoring leases.
    case timeoutNow
    /// Follower → leader: ask for a read index for `context`.
    case readIndex
    /// Leader → follower: the read index (`index`) for `context`.
    case readIndexResponse
}

/// One Raft message. A flat record (like etcd's `raftpb.Message`) so a transport can encode it
/// without knowing the algorithm; fields a kind does not use keep their defaults.
public struct Message: Sendable, Equatable, CustomStringConvertible {
    /// What the message is.
    public var kind: MessageKind
    /// Sender.
    public var from: NodeID
    /// Receiver.
    public var to: NodeID
    /// The sender's term (for vote and pre-vote messages: the term being campaigned for).
    public var term: Term
    /// Term of the entry at `index` (append: previous entry; vote: candidate's last entry;
    /// rejection: term of the hint).
    public var logTerm: Term
    /// A log position (append: previous entry; vote: candidate's last; response: matched or rejected).
    public var index: LogIndex
    /// Entries to append; each attaches to the one before, the first to `index`.
    public var entries: [Entry]
    /// The leader's commit index, capped at what the receiver is known to hold; in a heartbeat
    /// response, the follower's.
    public var commit: LogIndex
    /// For responses: whether the request was refused.
    public var reject: Bool
    /// For a refused append: the follower's best guess of the last position where the logs may agree.
    public var rejectHint: LogIndex
    /// For `.snapshot`.
    public var snapshot: Snapshot?
    /// Read-index request identifier chosen by the application (0 = none).
    public var context: UInt64
    /// Set on votes caused by a leadership transfer, so voters ignore their leader lease.
    public var leadershipTransfer: Bool
    /// Set on a follower's responses while it rebuilds a log that lost entries it had
    /// acknowledged: the leader must forget the match it recorded and probe again from `index`.
    public var logLost: Bool

    /// Creates a message; unused fields default to empty values.
    public init(
        kind: MessageKind, from: NodeID, to: NodeID, term: Term,
        logTerm: Term = .zero, index: LogIndex = .origin, entries: [Entry] = [],
        commit: LogIndex = .origin, reject: Bool = false, rejectHint: LogIndex = .origin,
        snapshot: Snapshot? = nil, context: UInt64 = 0, leadershipTransfer: Bool = false, logLost: Bool = false
    ) {
        self.kind = kind
        self.from = from
        self.to = to
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.reject = reject
        self.rejectHint = rejectHint
        self.snapshot = snapshot
        self.context = context
        self.leadershipTransfer = leadershipTransfer
        self.logLost = logLost
    }

    /// Bytes counted against flow control.
    public var byteCount: Int { entries.reduce(64) { $0 + $1.byteCount } + (snapshot?.data.count ?? 0) }

    /// One line for traces.
    public var description: String {
        var s = "\(from)->\(to) \(kind) t\(term)"
        switch kind {
        case .append:
            s += " prev=\(index)@\(logTerm) n=\(entries.count) commit=\(commit)"
            if let f = entries.first, let l = entries.last { s += " [\(f.firstIndex)...\(l.lastIndex)]" }
        case .appendResponse:
            s += reject ? " REJECT \(index) hint=\(rejectHint)@\(logTerm)" : " ok \(index)"
            if logLost { s += " LOST" }
        case .vote, .preVote:
            s += " last=\(index)@\(logTerm)" + (leadershipTransfer ? " transfer" : "")
        case .voteResponse, .preVoteResponse:
            s += reject ? " REJECT" : " GRANT"
        case .heartbeat:
            s += " commit=\(commit) ctx=\(context)"
        case .heartbeatResponse, .readIndex:
            s += " ctx=\(context)"
        case .readIndexResponse:
            s += " index=\(index) ctx=\(context)"
        case .snapshot:
            if let m = snapshot?.metadata { s += " snap=\(m.index)@\(m.term) \(m.configuration)" }
        case .timeoutNow:
            break
        }
        return s
    }
}
