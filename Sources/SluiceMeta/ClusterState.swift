/// The cluster half of the metadata store: brokers and partition placement, written only by
/// applying committed controller entries, so every node holds the same rows at the same index.
extension MetadataStore {
    static func createClusterTables(_ tx: Transaction) throws {
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS brokers (node_id INTEGER PRIMARY KEY, host TEXT NOT NULL, port INTEGER NOT NULL,
                inter_node_host TEXT NOT NULL, inter_node_port INTEGER NOT NULL, rack TEXT, incarnation INTEGER NOT NULL,
                fenced INTEGER NOT NULL)
            """)
        // Their own tables, so data directories from before them need no migration.
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS broker_endpoints (node_id INTEGER NOT NULL, listener TEXT NOT NULL, host TEXT NOT NULL,
                port INTEGER NOT NULL, PRIMARY KEY (node_id, listener))
            """)
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS partition_isr (topic TEXT NOT NULL, partition INTEGER NOT NULL, isr TEXT NOT NULL,
                leader_epoch INTEGER NOT NULL, PRIMARY KEY (topic, partition))
            """)
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS partition_assignments (topic TEXT NOT NULL, partition INTEGER NOT NULL,
                replicas TEXT NOT NULL, leader INTEGER NOT NULL, leader_epoch INTEGER NOT NULL, target_replicas TEXT,
                PRIMARY KEY (topic, partition))
            """)
    }

    /// What applying one controller entry produced, for the node's reaction (open replicas, answer waiters).
    public struct AppliedEntry: Sendable {
        public var index: Int64
        public var commands: [ControllerCommand]
        /// The first id of a producer-id block the entry allocated.
        public var allocatedProducerID: Int64?
    }

    /// Applies a controller entry's commands and its index in one transaction; an index already
    /// applied (replay after a restart) changes nothing and returns nil.
    @discardableResult
    public func apply(_ commands: [ControllerCommand], index: Int64) throws -> AppliedEntry? {
        try database.transaction { tx -> AppliedEntry? in
            let applied = try tx.execute("SELECT value FROM meta WHERE key = 'applied_index'").first?.first?.integer ?? 0
            guard index > applied else { return nil }
            let allocated = try Self.apply(commands, in: tx)
            try tx.execute("UPDATE meta SET value = ? WHERE key = 'applied_index'", [.integer(index)])
            return AppliedEntry(index: index, commands: commands, allocatedProducerID: allocated)
        }
    }

    /// Applies commands inside a caller's transaction; returns an allocated producer-id block's first id.
    static func apply(_ commands: [ControllerCommand], in tx: Transaction) throws -> Int64? {
        var allocated: Int64?
        for command in commands {
            switch command {
            case let .metadata(m):
                if let first = try Self.apply(m, in: tx) { allocated = first }
            case let .offsets(o):
                // Nothing proposes these any more (offsets live in `__consumer_offsets`); a
                // controller log written before that still replays its commits.
                try OffsetStore.apply(o, in: tx)
            case let .registerBroker(b):
                try tx.execute("""
                    INSERT INTO brokers (node_id, host, port, inter_node_host, inter_node_port, rack, incarnation, fenced)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(node_id) DO UPDATE SET host = excluded.host, port = excluded.port, inter_node_host = excluded.inter_node_host,
                        inter_node_port = excluded.inter_node_port, rack = excluded.rack, incarnation = excluded.incarnation, fenced = excluded.fenced
                    """, [.integer(Int64(b.nodeID)), .text(b.host), .integer(Int64(b.port)), .text(b.interNodeHost), .integer(Int64(b.interNodePort)),
                          b.rack.map(SQLValue.text) ?? .null, .integer(b.incarnation), .integer(b.fenced ? 1 : 0)])
            case let .fenceBroker(id):
                try tx.execute("UPDATE brokers SET fenced = 1 WHERE node_id = ?", [.integer(Int64(id))])
            case let .assignReplicas(topic, first, replicas):
                for (offset, members) in replicas.enumerated() {
                    try tx.execute("""
                        INSERT INTO partition_assignments (topic, partition, replicas, leader, leader_epoch) VALUES (?, ?, ?, -1, -1)
                        ON CONFLICT(topic, partition) DO UPDATE SET replicas = excluded.replicas
                        """, [.text(topic), .integer(Int64(first) + Int64(offset)), .text(members.map(String.init).joined(separator: ","))])
                }
            case let .reassignPartition(topic, partition, target):
                try tx.execute("UPDATE partition_assignments SET target_replicas = ? WHERE topic = ? AND partition = ?",
                               [target.map { .text($0.map(String.init).joined(separator: ",")) } ?? .null, .text(topic), .integer(Int64(partition))])
            case let .completeReassignment(topic, partition, replicas):
                try tx.execute("UPDATE partition_assignments SET replicas = ?, target_replicas = NULL WHERE topic = ? AND partition = ?",
                               [.text(replicas.map(String.init).joined(separator: ",")), .text(topic), .integer(Int64(partition))])
            case let .partitionLeader(topic, partition, leader, epoch):
                try tx.execute("UPDATE partition_assignments SET leader = ?, leader_epoch = ? WHERE topic = ? AND partition = ? AND leader_epoch <= ?",
                               [.integer(Int64(leader)), .integer(epoch), .text(topic), .integer(Int64(partition)), .integer(epoch)])
            case let .upsertScramCredential(user, credential):
                try Self.upsert(user: user, credential, in: tx)
            case let .deleteScramCredential(user, mechanism):
                try Self.deleteCredential(user: user, mechanism: mechanism, in: tx)
            case let .createAcls(acls):
                for acl in acls { try Self.insert(acl, in: tx) }
            case let .deleteAcls(acls):
                for acl in acls { try Self.delete(acl, in: tx) }
            case let .setClientQuota(entity, key, value):
                try Self.setQuota(entity, key: key, value: value, in: tx)
            case let .partitionISR(topic, partition, isr, epoch):
                try tx.execute("""
                    INSERT INTO partition_isr (topic, partition, isr, leader_epoch) VALUES (?, ?, ?, ?)
                    ON CONFLICT(topic, partition) DO UPDATE SET isr = excluded.isr, leader_epoch = excluded.leader_epoch
                        WHERE excluded.leader_epoch >= partition_isr.leader_epoch
                    """, [.text(topic), .integer(Int64(partition)), .text(isr.map(String.init).joined(separator: ",")), .integer(epoch)])
            case let .brokerEndpoints(id, endpoints):
                try tx.execute("DELETE FROM broker_endpoints WHERE node_id = ?", [.integer(Int64(id))])
                for e in endpoints {
                    try tx.execute("INSERT OR REPLACE INTO broker_endpoints (node_id, listener, host, port) VALUES (?, ?, ?, ?)",
                                   [.integer(Int64(id)), .text(e.listener), .text(e.host), .integer(Int64(e.port))])
                }
            }
        }
        return allocated
    }

    /// Every registered broker, by id.
    public func brokers() throws -> [BrokerRecord] {
        var endpoints: [Int32: [ListenerEndpoint]] = [:]
        for row in try database.execute("SELECT node_id, listener, host, port FROM broker_endpoints ORDER BY node_id, listener") {
            guard let id = row[0].integer, let listener = row[1].text, let host = row[2].text, let port = row[3].integer else { continue }
            endpoints[Int32(truncatingIfNeeded: id), default: []].append(ListenerEndpoint(listener: listener, host: host, port: Int32(truncatingIfNeeded: port)))
        }
        return try database.execute("SELECT node_id, host, port, inter_node_host, inter_node_port, rack, incarnation, fenced FROM brokers ORDER BY node_id").compactMap { row in
            guard let id = row[0].integer, let host = row[1].text, let port = row[2].integer, let iHost = row[3].text, let iPort = row[4].integer,
                  let incarnation = row[6].integer, let fenced = row[7].integer else { return nil }
            var record = BrokerRecord(nodeID: Int32(truncatingIfNeeded: id), host: host, port: Int32(truncatingIfNeeded: port), interNodeHost: iHost,
                                      interNodePort: Int32(truncatingIfNeeded: iPort), rack: row[5].text, incarnation: incarnation, fenced: fenced != 0)
            record.endpoints = endpoints[record.nodeID] ?? []
            return record
        }
    }

    /// Every partition's placement, by topic then partition.
    public func partitionRecords() throws -> [PartitionRecord] {
        try database.execute("""
            SELECT a.topic, a.partition, a.replicas, a.leader, a.leader_epoch, a.target_replicas, i.isr, i.leader_epoch
            FROM partition_assignments a LEFT JOIN partition_isr i ON i.topic = a.topic AND i.partition = a.partition
            ORDER BY a.topic, a.partition
            """).compactMap { row in
            guard let topic = row[0].text, let partition = row[1].integer, let replicas = row[2].text, let leader = row[3].integer,
                  let epoch = row[4].integer else { return nil }
            return PartitionRecord(topic: topic, partition: Int32(truncatingIfNeeded: partition),
                                   replicas: replicas.split(separator: ",").compactMap { Int32($0) },
                                   leader: Int32(truncatingIfNeeded: leader), leaderEpoch: epoch,
                                   targetReplicas: row[5].text.map { $0.split(separator: ",").compactMap { Int32($0) } },
                                   isr: row[6].text.map { $0.split(separator: ",").compactMap { Int32($0) } }, isrEpoch: row[7].integer ?? -1)
        }
    }
}

// MARK: Snapshots of the controller state

extension MetadataStore {
    /// The whole replicated state as the commands that rebuild it from empty: the data of a
    /// controller snapshot, so the controller log can drop the entries it covers and a node that
    /// fell behind the compaction point still catches up.
    public func snapshotCommands() throws -> [ControllerCommand] {
        let brokers = try brokers()
        var commands: [ControllerCommand] = brokers.map { .registerBroker($0) }
        commands += brokers.filter { !$0.endpoints.isEmpty }.map { .brokerEndpoints(nodeID: $0.nodeID, endpoints: $0.endpoints) }
        let placements = Dictionary(grouping: try partitionRecords(), by: \.topic)
        for topic in try topics() {
            commands.append(.metadata(.createTopic(name: topic.name, topicID: topic.topicID, partitions: topic.partitionCount,
                                                   replicationFactor: topic.replicationFactor, configs: topic.configs)))
            let records = (placements[topic.name] ?? []).sorted { $0.partition < $1.partition }
            for record in records {
                commands.append(.assignReplicas(topic: topic.name, firstPartition: record.partition, replicas: [record.replicas]))
                if record.leader >= 0 {
                    commands.append(.partitionLeader(topic: topic.name, partition: record.partition, leader: record.leader, epoch: record.leaderEpoch))
                }
                if let target = record.targetReplicas {
                    commands.append(.reassignPartition(topic: topic.name, partition: record.partition, target: target))
                }
                if let isr = record.isr {
                    commands.append(.partitionISR(topic: topic.name, partition: record.partition, isr: isr, epoch: record.isrEpoch))
                }
            }
        }
        for broker in brokers where broker.fenced { commands.append(.fenceBroker(nodeID: broker.nodeID)) }
        for (user, credential) in try scramCredentials() { commands.append(.upsertScramCredential(user: user, credential: credential)) }
        let acls = try acls()
        if !acls.isEmpty { commands.append(.createAcls(acls)) }
        for (entity, values) in try clientQuotas() {
            for (key, value) in values.sorted(by: { $0.key < $1.key }) { commands.append(.setClientQuota(entity: entity, key: key, value: value)) }
        }
        // Group offsets are not controller state: they live in the `__consumer_offsets` partitions.
        let next = try database.execute("SELECT value FROM meta WHERE key = 'next_producer_id'").first?.first?.integer ?? 1000
        commands.append(.metadata(.allocateProducerIDs(count: next - 1000)))
        return commands
    }

    /// Replaces the whole replicated state by a snapshot's, as of entry `index`, in one transaction.
    public func restore(from commands: [ControllerCommand], index: Int64) throws {
        try database.transaction { tx in
            for table in ["partition_assignments", "partition_isr", "topic_configs", "topics", "brokers", "broker_endpoints", "scram_credentials", "acls", "client_quotas"] {
                try tx.execute("DELETE FROM \(table)")
            }
            try tx.execute("UPDATE meta SET value = 1000 WHERE key = 'next_producer_id'")
            _ = try Self.apply(commands, in: tx)
            try tx.execute("UPDATE meta SET value = ? WHERE key = 'applied_index'", [.integer(index)])
        }
    }
}
