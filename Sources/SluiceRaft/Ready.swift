import SluiceCore

/// A node's role. See the state table on ``RaftNode``.
public enum Role: Sendable, Equatable, CustomStringConvertible {
    /// Follows a leader (or waits for one).
    case follower
    /// Asks for pre-votes without raising its term (thesis §9.6).
    case preCandidate
    /// Campaigns in a new term.
    case candidate
    /// Replicates the log and decides commitment.
    case leader

    /// Lower-case name.
    public var description: String {
        switch self {
        case .follower: "follower"
        case .preCandidate: "pre-candidate"
        case .candidate: "candidate"
        case .leader: "leader"
        }
    }
}

/// Volatile state the application may want to observe (not persisted).
public struct SoftState: Sendable, Equatable {
    /// This node's role.
    public var role: Role
    /// The leader this node knows of in its term.
    public var leader: NodeID?

    /// Creates a soft state.
    public init(role: Role, leader: NodeID?) {
        self.role = role
        self.leader = leader
    }
}

/// A linearizable-read answer: once the application has applied up to `index`, reading its state
/// machine reflects every write acknowledged before the read with `context` was requested.
public struct ReadState: Sendable, Equatable {
    /// The commit index the leader held when it confirmed it was still leader.
    public var index: LogIndex
    /// The application's request identifier.
    public var context: UInt64

    /// Creates a read state.
    public init(index: LogIndex, context: UInt64) {
        self.index = index
        self.context = context
    }
}

/// Everything the application must do after the core changed state, in this order:
/// 1. persist `snapshot` (if any), then `entries` (writing an entry discards stored entries at and
///    after its first index), then `hardState` (if any) — durably (fsync);
/// 2. send the messages, obtained with ``messages(afterPersistingTo:)``, which checks step 1 happened;
/// 3. install `snapshot` into the state machine, then apply `committedEntries` in order;
/// 4. call ``RaftNode/advance(_:)`` with this value.
///
/// A host may pipeline instead: write step 1 without waiting for the disk, call `advance` at once
/// (the core only needs the writes readable through its storage), and take later Readies while
/// the fsync runs elsewhere, provided nothing derived from a Ready (its messages, its
/// applications, answers to the proposers) takes effect before every write of that node's
/// Readies up to it is durable, and Readies take effect in the order they were handed out. The core counts a leader's own
/// entries as soon as they are in its log, so this order is what keeps "committed" meaning "on a
/// majority's disks": followers only receive entries after the leader's fsync, and a group of
/// one applies its commit only after it.
public struct Ready: Sendable {
    /// Role or leader changed (informational).
    public let softState: SoftState?
    /// Term, vote or commit changed: persist before sending anything.
    public let hardState: HardState?
    /// A snapshot from the leader replacing the whole log: persist, then install in the state machine.
    public let snapshot: Snapshot?
    /// Entries to persist; they attach at `entries[0].prevIndex`.
    public let entries: [Entry]
    /// Committed entries to apply, in order. Always already durable once step 1 is done.
    public let committedEntries: [Entry]
    /// Answers to read-index requests.
    public let readStates: [ReadState]
    /// Messages to send once everything above is durable.
    let outgoing: [Message]

    /// How many messages are waiting (for callers that only inspect).
    public var messageCount: Int { outgoing.count }

    /// The messages to send. Persist-before-send is asserted here: a reply carrying a vote or an
    /// acknowledgement must never leave before the term, vote and entries it promises are durable.
    public func messages<S: RaftStorage>(afterPersistingTo storage: S) -> [Message] {
        assertPersisted(in: storage)
        return outgoing
    }

    /// Traps unless `storage` holds this Ready's hard state, snapshot and entries.
    func assertPersisted<S: RaftStorage>(in storage: S) {
        if let h = hardState {
            precondition(storage.hardState.term == h.term && storage.hardState.vote == h.vote && storage.hardState.commit >= h.commit,
                         "hard state \(h) not persisted (storage has \(storage.hardState))")
        }
        if let s = snapshot {
            precondition(storage.snapshot.metadata.index >= s.metadata.index, "snapshot \(s.metadata.index) not persisted")
        }
        if let last = entries.last {
            precondition(storage.term(at: last.lastIndex) == last.term || storage.snapshot.metadata.index >= last.lastIndex,
                         "entry \(last) not persisted")
        }
    }
}

/// Options of one Raft group member. Units are in the names.
public struct RaftOptions: Sendable {
    /// Ticks without hearing from a leader before campaigning; the actual timeout is drawn
    /// uniformly from [electionTimeoutTicks, 2 × electionTimeoutTicks) so split votes resolve.
    public var electionTimeoutTicks = 10
    /// Ticks between a leader's heartbeats; must be below `electionTimeoutTicks`.
    public var heartbeatIntervalTicks = 1
    /// Campaign with a pre-vote round first, so a partitioned node cannot inflate terms.
    public var preVote = true
    /// Leader steps down if it has not heard from a quorum within an election timeout, and voters
    /// ignore campaigns while they hear from a leader (leader lease).
    public var checkQuorum = true
    /// Append messages in flight to one follower (pipelining window).
    public var inflightAppendsMax = 64
    /// Bytes of entries in flight to one follower.
    public var inflightBytesMax = 4 << 20
    /// Bytes of entries in one append message (at least one entry is always sent).
    public var appendBytesMax = 256 << 10
    /// Bytes of committed entries handed out in one Ready.
    public var applyBytesMax = 16 << 20
    /// Whether a leader elected with every entry of its log known committed (an empty log, a
    /// clean restart) still appends its no-op. Off, it appends none until a membership change
    /// needs one: its commit index is already the true one, and a log whose positions are record
    /// offsets keeps a fresh partition starting at 0 and a restart from taking an offset.
    public var noopOverCommittedLog = true

    /// Defaults: election 10 ticks, heartbeat 1 tick, PreVote and CheckQuorum on.
    public init() {}
}

/// Errors the application can expect from the core; each names what to do.
public enum RaftError: Error, Sendable, Equatable {
    /// Only the leader accepts this; retry at `leader` if known.
    case notLeader(leader: NodeID?)
    /// A leadership transfer is under way; retry after it finishes or times out.
    case leadershipTransferInProgress
    /// A membership change is not yet committed; one at a time.
    case configChangePending
    /// The leader has not yet committed an entry of its own term (its no-op); membership changes
    /// and reads wait for that, because until then its commit index may lag entries a previous leader
    /// committed, and a read or a second change decided on it could miss them.
    case leaderNotReady
    /// The change does not apply to the current membership.
    case invalidConfigChange(String)
}
