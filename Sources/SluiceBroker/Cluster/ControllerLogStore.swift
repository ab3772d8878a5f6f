import SluiceCore
import SluiceMeta
import SluiceRaft

/// The controller quorum's Raft log, in its own SQLite file: entries, hard state and the snapshot
/// position. Controller entries are few and small (metadata changes, broker registrations), so all
/// of them are also kept in memory for the core's reads; SQLite's WAL with synchronous=FULL makes
/// each `persist` one fsync.
///
/// `@unchecked Sendable`: handed to the Raft thread at start and used only there afterwards.
public final class ControllerLogStore: RaftStorage, @unchecked Sendable {
    private let database: Database
    /// The same entries, hard state and snapshot in memory, for the core's reads.
    private let memory: MemoryStorage

    /// Opens the store at `path`; `bootstrap` is the membership of a store created now (kept in
    /// it), and is ignored for one that has kept its own (in its snapshot row and entries).
    public convenience init(path: String, bootstrap: Configuration) throws {
        try self.init(path: path) { _ in bootstrap }
    }

    /// Opens the store at `path`. A store that has not kept a membership yet takes
    /// `bootstrap(hasLog)`, where `hasLog` says whether it already holds Raft state (a store
    /// written before memberships were kept), rather than being new or left half-created by a
    /// crash during its first start.
    public init(path: String, bootstrap: (_ hasLog: Bool) -> Configuration) throws {
        database = try Database(path: path)
        try database.transaction { tx in
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS raft_entries (last_index INTEGER PRIMARY KEY, term INTEGER NOT NULL, index_count INTEGER NOT NULL,
                    kind INTEGER NOT NULL, voters TEXT NOT NULL, learners TEXT NOT NULL, data BLOB NOT NULL)
                """)
            try tx.execute("CREATE TABLE IF NOT EXISTS raft_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS raft_snapshot (id INTEGER PRIMARY KEY CHECK (id = 0), idx INTEGER NOT NULL, term INTEGER NOT NULL,
                    voters TEXT NOT NULL, learners TEXT NOT NULL, data BLOB NOT NULL)
                """)
        }
        var state: [String: Int64] = [:]
        for row in try database.execute("SELECT key, value FROM raft_state") {
            if let key = row[0].text, let value = row[1].integer { state[key] = value }
        }
        var hardState = HardState(term: Term(UInt64(max(0, state["term"] ?? 0))),
                                  vote: (state["vote"] ?? -1) >= 0 ? NodeID(Int32(truncatingIfNeeded: state["vote"] ?? 0)) : nil,
                                  commit: LogIndex(state["commit"] ?? LogIndex.origin.rawValue))
        let hasLog = !state.isEmpty
        var snapshot = Snapshot.bootstrap(.empty)
        if let row = try database.execute("SELECT idx, term, voters, learners, data FROM raft_snapshot WHERE id = 0").first,
           let index = row[0].integer, let term = row[1].integer, let voters = row[2].text, let learners = row[3].text {
            snapshot = Snapshot(metadata: SnapshotMetadata(index: LogIndex(index), term: Term(UInt64(max(0, term))),
                                                           configuration: Self.configuration(voters, learners)),
                                data: row[4].blob ?? [])
        } else {
            // The first membership is kept with the store, so a later start never takes it from
            // a settings line that may have changed meanwhile (a node restarted with another
            // voters line would otherwise count votes, or elect itself, in a quorum of its own).
            // A store that already has a log is never given an empty membership to keep.
            let first = bootstrap(hasLog)
            snapshot = Snapshot.bootstrap(first)
            if !first.voters.isEmpty || !hasLog {
                let kept = snapshot
                try database.transaction { tx in try Self.writeSnapshot(kept, tx) }
            }
        }
        var entries: [Entry] = []
        for row in try database.execute("SELECT last_index, term, index_count, kind, voters, learners, data FROM raft_entries ORDER BY last_index") {
            guard let last = row[0].integer, let term = row[1].integer, let count = row[2].integer, count >= 1, let kind = row[3].integer,
                  let voters = row[4].text, let learners = row[5].text else { continue }
            let entryKind: EntryKind
            switch kind {
            case 1: entryKind = .noop
            case 2: entryKind = .configuration(Self.configuration(voters, learners))
            default: entryKind = .normal
            }
            let entry = Entry(term: Term(UInt64(max(0, term))), lastIndex: LogIndex(last), indexCount: count, kind: entryKind, data: row[6].blob ?? [])
            // Only a contiguous run after the snapshot is a log; anything else is not ours to trust.
            guard entry.prevIndex == (entries.last?.lastIndex ?? snapshot.metadata.index) else { break }
            entries.append(entry)
        }
        let last = entries.last?.lastIndex ?? snapshot.metadata.index
        if hardState.commit > last { hardState.commit = last }
        memory = MemoryStorage(snapshot: snapshot, hardState: hardState)
        memory.append(entries)
    }

    private static func configuration(_ voters: String, _ learners: String) -> Configuration {
        let v = voters.split(separator: ",").compactMap { Int32($0) }.map { NodeID($0) }
        let l = learners.split(separator: ",").compactMap { Int32($0) }.map { NodeID($0) }.filter { !v.contains($0) }
        return Configuration(voters: v, learners: l)
    }

    private static func text(_ ids: [NodeID]) -> String { ids.map { String($0.rawValue) }.joined(separator: ",") }

    // MARK: RaftStorage (reads from memory)

    public var hardState: HardState { memory.hardState }
    public var snapshot: Snapshot { memory.snapshot }
    public var lastIndex: LogIndex { memory.lastIndex }
    public func term(at index: LogIndex) -> Term? { memory.term(at: index) }
    public func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)? { memory.boundary(atOrBefore: index) }
    public func entries(after prev: LogIndex, through last: LogIndex, bytesMax: Int) -> [Entry] {
        memory.entries(after: prev, through: last, bytesMax: bytesMax)
    }

    // MARK: Writing

    private static func writeSnapshot(_ s: Snapshot, _ tx: Transaction) throws {
        try tx.execute("INSERT OR REPLACE INTO raft_snapshot (id, idx, term, voters, learners, data) VALUES (0, ?, ?, ?, ?, ?)",
                       [.integer(s.metadata.index.rawValue), .integer(Int64(s.metadata.term.rawValue)),
                        .text(text(s.metadata.configuration.voters)), .text(text(s.metadata.configuration.learners)), .blob(s.data)])
    }

    /// How many entries follow the snapshot.
    public var entryCount: Int { memory.entries.count }

    /// The membership in force at `index`: the last configuration entry at or before it, else the snapshot's.
    public func configuration(at index: LogIndex) -> Configuration {
        var configuration = memory.snapshot.metadata.configuration
        for entry in memory.entries where entry.lastIndex <= index {
            if case .configuration(let c) = entry.kind { configuration = c }
        }
        return configuration
    }

    /// Replaces the entries up to the applied `index` by a snapshot holding `data` (the state
    /// machine as of `index`), in one transaction.
    public func compact(through index: LogIndex, data: [UInt8]) throws {
        guard index > memory.snapshot.metadata.index, let term = memory.term(at: index) else { return }
        let configuration = configuration(at: index)
        try database.transaction { tx in
            try Self.writeSnapshot(Snapshot(metadata: SnapshotMetadata(index: index, term: term, configuration: configuration), data: data), tx)
            try tx.execute("DELETE FROM raft_entries WHERE last_index <= ?", [.integer(index.rawValue)])
        }
        memory.compact(through: index, data: data, configuration: configuration)
    }

    /// Persists a Ready's snapshot position, entries and hard state in one transaction (one fsync),
    /// then mirrors them in memory.
    public func persist(_ ready: Ready) throws {
        guard ready.snapshot != nil || !ready.entries.isEmpty || ready.hardState != nil else { return }
        try database.transaction { tx in
            if let s = ready.snapshot {
                try tx.execute("DELETE FROM raft_entries")
                try Self.writeSnapshot(s, tx)
            }
            if let first = ready.entries.first {
                try tx.execute("DELETE FROM raft_entries WHERE last_index > ?", [.integer(first.prevIndex.rawValue)])
                for e in ready.entries {
                    var kind: Int64 = 0
                    var voters = "", learners = ""
                    switch e.kind {
                    case .normal: kind = 0
                    case .noop: kind = 1
                    case .configuration(let c):
                        kind = 2
                        voters = Self.text(c.voters)
                        learners = Self.text(c.learners)
                    }
                    try tx.execute("INSERT INTO raft_entries (last_index, term, index_count, kind, voters, learners, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   [.integer(e.lastIndex.rawValue), .integer(Int64(e.term.rawValue)), .integer(e.indexCount), .integer(kind),
                                    .text(voters), .text(learners), .blob(e.data)])
                }
            }
            if let h = ready.hardState {
                try tx.execute("INSERT OR REPLACE INTO raft_state (key, value) VALUES ('term', ?), ('vote', ?), ('commit', ?)",
                               [.integer(Int64(h.term.rawValue)), .integer(Int64(h.vote?.rawValue ?? -1)), .integer(h.commit.rawValue)])
            }
        }
        memory.persist(ready)
    }
}
