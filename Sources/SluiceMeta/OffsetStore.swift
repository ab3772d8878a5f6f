import Synchronization

/// One committed position of a consumer group on a partition.
public struct CommittedOffset: Equatable, Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var leaderEpoch: Int32
    public var metadata: String?
    public var commitMillis: Int64

    public init(topic: String, partition: Int32, offset: Int64, leaderEpoch: Int32 = -1, metadata: String? = nil, commitMillis: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitMillis = commitMillis
    }
}

/// A change to committed offsets: a Raft entry of the group's `__consumer_offsets` partition,
/// applied on every replica.
public enum OffsetCommand: Equatable, Sendable {
    /// One OffsetCommit request: all its partitions in one transaction.
    case commit(group: String, offsets: [CommittedOffset])
    /// OffsetDelete: forget these partitions' commits.
    case delete(group: String, partitions: [(topic: String, partition: Int32)])
    /// DeleteGroups, or expiry of an empty group's offsets.
    case deleteGroup(group: String)

    public static func == (a: OffsetCommand, b: OffsetCommand) -> Bool {
        switch (a, b) {
        case let (.commit(g1, o1), .commit(g2, o2)): return g1 == g2 && o1 == o2
        case let (.delete(g1, p1), .delete(g2, p2)): return g1 == g2 && p1.elementsEqual(p2) { $0.topic == $1.topic && $0.partition == $1.partition }
        case let (.deleteGroup(g1), .deleteGroup(g2)): return g1 == g2
        default: return false
        }
    }
}

/// Committed consumer offsets in SQLite: (group, topic, partition, offset, leader epoch,
/// metadata, commit time), this node's copy of what the `__consumer_offsets` partitions hold.
/// Their committed entries are applied in batches without an fsync (`applyReplicated`): the
/// partition's Raft log is the durable copy, and the applied index travels in the same
/// transaction, so a power loss only makes the store apply them again at start.
/// `makeAppliedDurable` fsyncs before the log may be cut.
public final class OffsetStore: Sendable {
    public let database: Database
    /// Whether a replicated apply (not fsynced) happened since the last `makeAppliedDurable`.
    private let appliedSinceBarrier = Atomic<Bool>(false)

    public init(database: Database) throws {
        self.database = database
        for statement in Self.schema { try database.execute(statement) }
    }

    /// The commits, each `__consumer_offsets` partition's applied index, and the row the
    /// durability barrier writes; created once here, not on every apply.
    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS group_offsets (group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
            committed_offset INTEGER NOT NULL, leader_epoch INTEGER NOT NULL, metadata TEXT, commit_ms INTEGER NOT NULL,
            PRIMARY KEY (group_id, topic, partition))
        """,
        "CREATE TABLE IF NOT EXISTS offsets_applied (partition TEXT PRIMARY KEY, last_index INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS offsets_barrier (id INTEGER PRIMARY KEY CHECK (id = 0), count INTEGER NOT NULL)",
    ]

    /// Applies `command` inside a caller's transaction: a replicated batch, or an entry of a
    /// controller log written before offsets moved to `__consumer_offsets` (replayed as it was).
    public static func apply(_ command: OffsetCommand, in tx: Transaction) throws {
        switch command {
        case let .commit(group, offsets):
            for entry in offsets {
                try tx.execute("""
                    INSERT INTO group_offsets (group_id, topic, partition, committed_offset, leader_epoch, metadata, commit_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(group_id, topic, partition) DO UPDATE SET committed_offset = excluded.committed_offset,
                        leader_epoch = excluded.leader_epoch, metadata = excluded.metadata, commit_ms = excluded.commit_ms
                    """, [.text(group), .text(entry.topic), .integer(Int64(entry.partition)), .integer(entry.offset),
                          .integer(Int64(entry.leaderEpoch)), entry.metadata.map(SQLValue.text) ?? .null, .integer(entry.commitMillis)])
            }
        case let .delete(group, partitions):
            for (topic, partition) in partitions {
                try tx.execute("DELETE FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?",
                               [.text(group), .text(topic), .integer(Int64(partition))])
            }
        case let .deleteGroup(group):
            try tx.execute("DELETE FROM group_offsets WHERE group_id = ?", [.text(group)])
        }
    }

    /// The group's commits, optionally only for `topics`.
    public func offsets(group: String, topics: Set<String>? = nil) throws -> [CommittedOffset] {
        try database.execute("""
            SELECT topic, partition, committed_offset, leader_epoch, metadata, commit_ms FROM group_offsets
            WHERE group_id = ? ORDER BY topic, partition
            """, [.text(group)]).compactMap { row in
            guard let topic = row[0].text, let partition = row[1].integer, let offset = row[2].integer,
                  let epoch = row[3].integer, let millis = row[5].integer else { return nil }
            if let topics, !topics.contains(topic) { return nil }
            return CommittedOffset(topic: topic, partition: Int32(partition), offset: offset, leaderEpoch: Int32(epoch),
                                   metadata: row[4].text, commitMillis: millis)
        }
    }

    /// Every group with at least one commit, with its newest commit time.
    public func groups() throws -> [(group: String, lastCommitMillis: Int64)] {
        try database.execute("SELECT group_id, MAX(commit_ms) FROM group_offsets GROUP BY group_id ORDER BY group_id").compactMap { row in
            guard let group = row[0].text, let millis = row[1].integer else { return nil }
            return (group, millis)
        }
    }
}

// MARK: Offsets replicated through a `__consumer_offsets` partition

extension OffsetStore {
    /// The group an offset change belongs to (it decides the partition that carries it).
    public static func group(of command: OffsetCommand) -> String {
        switch command {
        case let .commit(group, _), let .delete(group, _), let .deleteGroup(group): return group
        }
    }

    /// The last log index of `partition` (of the offsets topic) applied to this store, or nil.
    public func appliedIndex(partition: String) throws -> Int64? {
        try database.execute("SELECT last_index FROM offsets_applied WHERE partition = ?", [.text(partition)]).first?.first?.integer
    }

    /// Applies the offset changes of committed entries of `partition`, each ending at its
    /// `index`, in one transaction with the last index; an entry already applied changes nothing.
    /// Not fsynced: the entries are already durable in the partition's Raft log, and a transaction
    /// a power loss undoes takes the applied index back with it, so they are applied again at start.
    public func applyReplicated(_ entries: [(commands: [OffsetCommand], index: Int64)], partition: String) throws {
        try database.transaction(fsync: false) { tx in
            // Marked inside the transaction, under the connection's lock: whoever reads the
            // applied index after this commits (another thread, before a barrier) finds the
            // mark set, so its barrier fsyncs (set after the commit, a barrier could run between).
            appliedSinceBarrier.store(true, ordering: .releasing)
            var applied = try tx.execute("SELECT last_index FROM offsets_applied WHERE partition = ?", [.text(partition)]).first?.first?.integer ?? -1
            for entry in entries where entry.index > applied {
                for command in entry.commands { try Self.apply(command, in: tx) }
                applied = entry.index
            }
            try tx.execute("INSERT OR REPLACE INTO offsets_applied (partition, last_index) VALUES (?, ?)", [.text(partition), .integer(applied)])
        }
    }

    /// Makes every replicated apply so far survive a power loss: one fsynced write, whose commit
    /// syncs the write-ahead log and with it every earlier transaction. Call it before a log is
    /// cut below what was applied (retention, DeleteRecords), so no entry is lost from both the
    /// log and the store. Costs nothing when nothing was applied since the last one.
    public func makeAppliedDurable() throws {
        guard appliedSinceBarrier.exchange(false, ordering: .acquiringAndReleasing) else { return }
        do {
            try database.transaction(fsync: true) { tx in
                _ = try tx.execute("INSERT INTO offsets_barrier (id, count) VALUES (0, 1) ON CONFLICT(id) DO UPDATE SET count = count + 1")
            }
        } catch {
            appliedSinceBarrier.store(true, ordering: .releasing)
            throw error
        }
    }
}
