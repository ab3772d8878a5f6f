import SluiceCore

/// One Raft log entry: a run of `indexCount` consecutive positions ending at `lastIndex`, all
/// written in `term`.
///
/// Designed so the cluster layer can map one Kafka record batch to one entry: `term` is the batch's
/// `partitionLeaderEpoch`, `lastIndex` its last offset + 1 (the log end offset after it),
/// `indexCount` its `lastOffsetDelta + 1`, and `data` the encoded batch. A new leader's no-op and membership changes are control batches that
/// cover one index each.
///
/// Log matching works on (`lastIndex`, `term`): two logs holding an entry that ends at the same
/// index with the same term are identical up to and including it, because a leader creates at most
/// one entry ending at a given index in its term and never moves entry boundaries.
public struct Entry: Sendable, Equatable, CustomStringConvertible {
    /// The term of the leader that created the entry.
    public var term: Term
    /// The last position the entry covers; its name in the log.
    public var lastIndex: LogIndex
    /// How many positions the entry covers (at least 1).
    public var indexCount: Int64
    /// What the entry means to Raft itself.
    public var kind: EntryKind
    /// Opaque payload for the state machine (empty for control entries).
    public var data: [UInt8]

    /// Creates an entry; `indexCount` must be at least 1.
    public init(term: Term, lastIndex: LogIndex, indexCount: Int64 = 1, kind: EntryKind = .normal, data: [UInt8] = []) {
        precondition(indexCount >= 1, "an entry covers at least one index")
        self.term = term
        self.lastIndex = lastIndex
        self.indexCount = indexCount
        self.kind = kind
        self.data = data
    }

    /// The first position the entry covers.
    public var firstIndex: LogIndex { lastIndex - (indexCount - 1) }
    /// The last position of the entry before this one: where this entry attaches to a log.
    public var prevIndex: LogIndex { lastIndex - indexCount }
    /// Bytes counted against flow-control budgets (payload plus a fixed header estimate).
    public var byteCount: Int { data.count + 32 }

    /// Short form for traces.
    public var description: String {
        let what: String
        switch kind {
        case .normal: what = "data(\(data.count)B)"
        case .noop: what = "noop"
        case .configuration(let c): what = "conf\(c)"
        }
        return "[\(firstIndex)...\(lastIndex)@\(term) \(what)]"
    }
}

/// The kinds of entry Raft distinguishes.
public enum EntryKind: Sendable, Equatable {
    /// Client data for the state machine.
    case normal
    /// The empty entry a new leader appends so it can commit something of its own term.
    case noop
    /// A membership change; carries the *whole* resulting configuration so a log read from any
    /// point (or by a node that joined late) knows the membership without replaying deltas.
    case configuration(Configuration)
}

/// Group membership: voters decide elections and commitment, learners only receive the log.
public struct Configuration: Sendable, Equatable, CustomStringConvertible {
    /// Voting members, sorted, unique. Sorted arrays (not sets) keep iteration deterministic.
    public private(set) var voters: [NodeID]
    /// Non-voting members, sorted, unique, disjoint from `voters`.
    public private(set) var learners: [NodeID]

    /// Creates a configuration; duplicates are removed and a node may not be both.
    public init(voters: [NodeID], learners: [NodeID] = []) {
        self.voters = Array(Set(voters)).sorted()
        self.learners = Array(Set(learners)).sorted()
        precondition(Set(self.voters).isDisjoint(with: self.learners), "a node is either a voter or a learner")
    }

    /// The empty membership of a node that has not yet been told which group it is in.
    public static let empty = Configuration(voters: [])

    /// Voters then learners, each sorted.
    public var members: [NodeID] { voters + learners }
    /// Whether `id` votes.
    public func isVoter(_ id: NodeID) -> Bool { voters.contains(id) }
    /// Whether `id` receives the log.
    public func isMember(_ id: NodeID) -> Bool { voters.contains(id) || learners.contains(id) }
    /// Votes needed for a majority of the voters.
    public var quorum: Int { voters.count / 2 + 1 }

    /// The configuration after a single-server change, or an error if the change makes no sense here.
    public func applying(_ change: ConfigChange) throws(RaftError) -> Configuration {
        switch change {
        case .addLearner(let id):
            guard !isMember(id) else { throw .invalidConfigChange("\(id) is already a member") }
            return Configuration(voters: voters, learners: learners + [id])
        case .addVoter(let id):
            guard !isVoter(id) else { throw .invalidConfigChange("\(id) is already a voter") }
            return Configuration(voters: voters + [id], learners: learners.filter { $0 != id })
        case .promoteLearner(let id):
            guard learners.contains(id) else { throw .invalidConfigChange("\(id) is not a learner") }
            return Configuration(voters: voters + [id], learners: learners.filter { $0 != id })
        case .remove(let id):
            guard isMember(id) else { throw .invalidConfigChange("\(id) is not a member") }
            let remaining = voters.filter { $0 != id }
            guard !remaining.isEmpty else { throw .invalidConfigChange("cannot remove the last voter") }
            return Configuration(voters: remaining, learners: learners.filter { $0 != id })
        }
    }

    /// `{v:1,2,3 l:4}`.
    public var description: String {
        let v = voters.map(\.description).joined(separator: ",")
        let l = learners.map(\.description).joined(separator: ",")
        return l.isEmpty ? "{v:\(v)}" : "{v:\(v) l:\(l)}"
    }
}

/// A single-server membership change (Raft thesis §4.1). Each changes the voter set by at most one,
/// so any majority of the old voters overlaps any majority of the new ones.
public enum ConfigChange: Sendable, Equatable {
    /// Add a node that receives the log but does not vote (to catch up before promotion).
    case addLearner(NodeID)
    /// Add a voter directly.
    case addVoter(NodeID)
    /// Turn a learner into a voter.
    case promoteLearner(NodeID)
    /// Remove a voter or learner. Node ids must never be reused afterwards.
    case remove(NodeID)
}
