import SluiceCore

/// What must survive a crash besides the log: the current term, the vote cast in it, and the
/// commit index. Term and vote are written together, atomically, before any message that depends
/// on them is sent (otherwise a restarted node could vote twice in one term).
public struct HardState: Sendable, Equatable, CustomStringConvertible {
    /// The latest term this node has seen.
    public var term: Term
    /// Whom this node voted for in `term`, if anyone.
    public var vote: NodeID?
    /// The highest index known committed.
    public var commit: LogIndex

    /// Creates a hard state.
    public init(term: Term = .zero, vote: NodeID? = nil, commit: LogIndex = .origin) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    /// `t3 v2 c17`.
    public var description: String { "t\(term) v\(vote.map(\.description) ?? "-") c\(commit)" }
}

/// Where a snapshot sits in the log, and the membership in force there.
public struct SnapshotMetadata: Sendable, Equatable {
    /// The last index the snapshot covers.
    public var index: LogIndex
    /// The term of the entry at `index`.
    public var term: Term
    /// The membership as of `index`.
    public var configuration: Configuration

    /// Creates snapshot metadata.
    public init(index: LogIndex, term: Term, configuration: Configuration) {
        self.index = index
        self.term = term
        self.configuration = configuration
    }
}

/// A state-machine image covering every entry up to `metadata.index`. A fresh log starts from an
/// empty snapshot at ``LogIndex/origin`` in term 0 carrying the bootstrap membership.
public struct Snapshot: Sendable, Equatable {
    /// Position and membership.
    public var metadata: SnapshotMetadata
    /// The state machine's image; opaque to Raft.
    public var data: [UInt8]

    /// Creates a snapshot.
    public init(metadata: SnapshotMetadata, data: [UInt8] = []) {
        self.metadata = metadata
        self.data = data
    }

    /// The starting point of a new group whose initial members are `configuration`.
    public static func bootstrap(_ configuration: Configuration) -> Snapshot {
        Snapshot(metadata: SnapshotMetadata(index: .origin, term: .zero, configuration: configuration))
    }
}

/// The durable log as the Raft core reads it. The core never writes through this protocol: the
/// application persists each ``Ready`` (hard state, snapshot, entries) itself, then calls
/// ``RaftNode/advance(_:)``; this keeps the core free of I/O and lets the simulator decide what a
/// crash loses.
///
/// The log is a snapshot (everything up to `snapshot.metadata.index`, compacted) followed by
/// entries. Positions inside an entry are not entry boundaries: ``term(at:)`` answers only for the
/// snapshot index and for indexes where an entry ends.
///
/// The core is generic over its storage (`RaftNode<Storage: RaftStorage>`, STYLE habit 2) rather
/// than holding an existential, so the in-memory and the disk storage are compiled straight into
/// the core's calls and the simulator exercises exactly the code production runs.
public protocol RaftStorage {
    /// The last persisted term, vote and commit.
    var hardState: HardState { get }
    /// The snapshot the entries follow (a bootstrap snapshot at ``LogIndex/origin`` for a fresh log).
    var snapshot: Snapshot { get }
    /// The last index held: the last entry's, or the snapshot's if there are no entries.
    var lastIndex: LogIndex { get }
    /// The term of the entry ending exactly at `index`, or of the snapshot if `index` is its index;
    /// `nil` if `index` is compacted away, beyond the log, or inside an entry.
    func term(at index: LogIndex) -> Term?
    /// The last entry boundary at or before `index` (an entry's last index and term, or the snapshot
    /// position); `nil` if `index` is below the snapshot.
    func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)?
    /// The last entry boundary at or before `index` whose term is at most `term` (where a log with
    /// an entry of `term` at `index` can at best agree with this one); `nil` if there is none at
    /// or after the snapshot index. The default walks ``boundary(atOrBefore:)`` back one entry at
    /// a time; a log that knows where each term starts answers in one step.
    func boundary(atOrBefore index: LogIndex, termAtMost term: Term) -> (index: LogIndex, term: Term)?
    /// Entries following the boundary `prev`, up to and including the one ending at `last`, stopping
    /// once `bytesMax` is reached but always returning at least one entry if any follows `prev`.
    /// `prev` must be a boundary at or after the snapshot index.
    func entries(after prev: LogIndex, through last: LogIndex, bytesMax: Int) -> [Entry]
    /// The configuration entries after `index` (a boundary at or after the snapshot index), oldest
    /// first, each with the index of its entry. ``RaftNode`` calls this once, when it is built, to
    /// learn the membership in force without reading the log: a disk log keeps this list beside
    /// the log. The default implementation scans ``entries(after:through:bytesMax:)``.
    func configurations(after index: LogIndex) -> [(index: LogIndex, configuration: Configuration)]
}

extension RaftStorage {
    /// Walks back entry by entry.
    public func boundary(atOrBefore index: LogIndex, termAtMost term: Term) -> (index: LogIndex, term: Term)? {
        let base = snapshot.metadata.index
        var b = boundary(atOrBefore: index)
        // Bounded by the number of entries between `index` and the snapshot.
        while let cur = b, cur.term > term {
            b = cur.index > base ? boundary(atOrBefore: cur.index - 1) : nil
        }
        return b
    }

    /// Scans every entry after `index` (fine for an in-memory log; a disk log overrides this).
    public func configurations(after index: LogIndex) -> [(index: LogIndex, configuration: Configuration)] {
        var found: [(index: LogIndex, configuration: Configuration)] = []
        for e in entries(after: index, through: lastIndex, bytesMax: Int.max) {
            if case .configuration(let c) = e.kind { found.append((e.lastIndex, c)) }
        }
        return found
    }

    /// The first index not covered by the snapshot.
    public var firstIndex: LogIndex { snapshot.metadata.index + 1 }
}
