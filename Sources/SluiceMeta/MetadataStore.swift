import SluiceCore

/// A change to cluster metadata: the payload of a committed controller Raft entry, applied in log
/// order on every node.
public enum MetadataCommand: Equatable, Sendable {
    case createTopic(name: String, topicID: [UInt8], partitions: Int32, replicationFactor: Int16, configs: [String: String])
    case deleteTopic(name: String)
    case createPartitions(name: String, totalCount: Int32)
    /// Sets (value non-nil) or removes (nil) topic config keys.
    case alterTopicConfigs(name: String, changes: [String: String?])
    /// Reserves `count` producer ids; the block starts at the store's next id.
    case allocateProducerIDs(count: Int64)
}

/// A topic as the metadata store knows it.
public struct TopicRecord: Equatable, Sendable {
    public var name: String
    public var topicID: [UInt8]
    public var partitionCount: Int32
    public var replicationFactor: Int16
    public var configs: [String: String]

    public init(name: String, topicID: [UInt8], partitionCount: Int32, replicationFactor: Int16, configs: [String: String]) {
        self.name = name
        self.topicID = topicID
        self.partitionCount = partitionCount
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// The node's metadata in SQLite: topics, their configs, and the index of the last applied
/// command, written in the same transaction as the change so a crash can never apply a command
/// twice or lose one. Its producer-id counter (`allocateProducerIDs`) is kept only so controller
/// logs and snapshots that carry it still replay: brokers take producer ids from a node-local
/// file, not from here.
public final class MetadataStore: Sendable {
    public let database: Database

    public init(path: String) throws {
        database = try Database(path: path)
        try database.transaction { tx in
            try tx.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, topic_id BLOB NOT NULL, partitions INTEGER NOT NULL,
                    replication_factor INTEGER NOT NULL)
                """)
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS topic_configs (topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
                    key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (topic, key))
                """)
            try tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('applied_index', 0), ('next_producer_id', 1000)")
            try Self.createClusterTables(tx)
            try Self.createCredentialTables(tx)
            try Self.createAclTables(tx)
            try Self.createQuotaTables(tx)
            for statement in OffsetStore.schema { try tx.execute(statement) }
        }
    }

    /// The index of the last applied command.
    public var appliedIndex: Int64 {
        get throws { try database.execute("SELECT value FROM meta WHERE key = 'applied_index'").first?.first?.integer ?? 0 }
    }

    /// Applies `command` as entry `index` (ignored if already applied). Returns the first
    /// producer id of an allocated block, when the command allocates one.
    @discardableResult
    public func apply(_ command: MetadataCommand, index: Int64) throws -> Int64? {
        try database.transaction { tx -> Int64? in
            let applied = try tx.execute("SELECT value FROM meta WHERE key = 'applied_index'").first?.first?.integer ?? 0
            guard index > applied else { return nil }
            let allocated = try Self.apply(command, in: tx)
            try tx.execute("UPDATE meta SET value = ? WHERE key = 'applied_index'", [.integer(index)])
            return allocated
        }
    }

    /// Applies one metadata command inside a caller's transaction; returns an allocated block's first id.
    static func apply(_ command: MetadataCommand, in tx: Transaction) throws -> Int64? {
        var allocated: Int64?
        switch command {
        case let .createTopic(name, topicID, partitions, replicationFactor, configs):
            try tx.execute("INSERT INTO topics (name, topic_id, partitions, replication_factor) VALUES (?, ?, ?, ?)",
                           [.text(name), .blob(topicID), .integer(Int64(partitions)), .integer(Int64(replicationFactor))])
            for (key, value) in configs {
                try tx.execute("INSERT INTO topic_configs (topic, key, value) VALUES (?, ?, ?)", [.text(name), .text(key), .text(value)])
            }
        case let .deleteTopic(name):
            try tx.execute("DELETE FROM partition_assignments WHERE topic = ?", [.text(name)])
            try tx.execute("DELETE FROM partition_isr WHERE topic = ?", [.text(name)])
            try tx.execute("DELETE FROM topic_configs WHERE topic = ?", [.text(name)])
            try tx.execute("DELETE FROM topics WHERE name = ?", [.text(name)])
        case let .createPartitions(name, totalCount):
            try tx.execute("UPDATE topics SET partitions = ? WHERE name = ? AND partitions < ?", [.integer(Int64(totalCount)), .text(name), .integer(Int64(totalCount))])
        case let .alterTopicConfigs(name, changes):
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
                if let value {
                    try tx.execute("INSERT INTO topic_configs (topic, key, value) VALUES (?, ?, ?) ON CONFLICT(topic, key) DO UPDATE SET value = excluded.value",
                                   [.text(name), .text(key), .text(value)])
                } else {
                    try tx.execute("DELETE FROM topic_configs WHERE topic = ? AND key = ?", [.text(name), .text(key)])
                }
            }
        case let .allocateProducerIDs(count):
            let next = try tx.execute("SELECT value FROM meta WHERE key = 'next_producer_id'").first?.first?.integer ?? 1000
            try tx.execute("UPDATE meta SET value = ? WHERE key = 'next_producer_id'", [.integer(next + count)])
            allocated = next
        }
        return allocated
    }

    /// Every topic with its configs, by name.
    public func topics() throws -> [TopicRecord] {
        var configs: [String: [String: String]] = [:]
        for row in try database.execute("SELECT topic, key, value FROM topic_configs") {
            guard let topic = row[0].text, let key = row[1].text, let value = row[2].text else { continue }
            configs[topic, default: [:]][key] = value
        }
        return try database.execute("SELECT name, topic_id, partitions, replication_factor FROM topics ORDER BY name").compactMap { row in
            guard let name = row[0].text, let partitions = row[2].integer, let replication = row[3].integer else { return nil }
            return TopicRecord(name: name, topicID: row[1].blob ?? [], partitionCount: Int32(partitions),
                               replicationFactor: Int16(replication), configs: configs[name] ?? [:])
        }
    }
}
