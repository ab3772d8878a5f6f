import Foundation
import SluiceMeta
import XCTest

final class ControllerCommandTests: XCTestCase {
    private func databasePath() -> String {
        let directory = NSTemporaryDirectory() + "sluice-controller-tests-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/meta.db"
    }

    private let everyKind: [ControllerCommand] = [
        .metadata(.createTopic(name: "orders", topicID: Array(repeating: 9, count: 16), partitions: 3, replicationFactor: 3, configs: ["retention.ms": "60000"])),
        .metadata(.deleteTopic(name: "old")),
        .metadata(.createPartitions(name: "orders", totalCount: 4)),
        .metadata(.alterTopicConfigs(name: "orders", changes: ["retention.ms": nil, "segment.bytes": "1048576"])),
        .metadata(.allocateProducerIDs(count: 1000)),
        .offsets(.commit(group: "g", offsets: [CommittedOffset(topic: "orders", partition: 2, offset: 41, leaderEpoch: 3, metadata: "m", commitMillis: 1_700_000_000_000)])),
        .offsets(.delete(group: "g", partitions: [(topic: "orders", partition: 1)])),
        .offsets(.deleteGroup(group: "g2")),
        .registerBroker(BrokerRecord(nodeID: 2, host: "10.0.0.2", port: 9092, interNodeHost: "10.0.0.2", interNodePort: 9093, rack: "r1", incarnation: 77)),
        .fenceBroker(nodeID: 3),
        .assignReplicas(topic: "orders", firstPartition: 0, replicas: [[1, 2, 3], [2, 3, 1], [3, 1, 2]]),
        .partitionLeader(topic: "orders", partition: 1, leader: 2, epoch: 5),
        .reassignPartition(topic: "orders", partition: 1, target: [2, 3, 4]),
        .reassignPartition(topic: "orders", partition: 2, target: nil),
        .completeReassignment(topic: "orders", partition: 1, replicas: [2, 3, 4]),
        .upsertScramCredential(user: "alice", credential: ScramCredential(mechanism: 2, salt: [1, 2, 3], storedKey: Array(repeating: 4, count: 64),
                                                                          serverKey: Array(repeating: 5, count: 64), iterations: 8192)),
        .deleteScramCredential(user: "bob", mechanism: 1),
        .createAcls([AclBinding(resourceType: 2, resourceName: "orders", patternType: 4, principal: "User:alice", host: "*", operation: 3, permission: 3)]),
        .deleteAcls([AclBinding(resourceType: 4, resourceName: "kafka-cluster", patternType: 3, principal: "User:*", host: "10.0.0.1", operation: 2, permission: 2)]),
        .setClientQuota(entity: ClientQuotaEntity(user: .named("alice"), clientID: .defaultEntity), key: "producer_byte_rate", value: 1048576.5),
        .setClientQuota(entity: ClientQuotaEntity(user: nil, clientID: .named("app")), key: "consumer_byte_rate", value: nil),
        .partitionISR(topic: "orders", partition: 1, isr: [2, 3], epoch: 7),
        .brokerEndpoints(nodeID: 2, endpoints: [ListenerEndpoint(listener: "PLAINTEXT", host: "10.0.0.2", port: 9092),
                                                ListenerEndpoint(listener: "SASL_SSL", host: "kafka2.example.com", port: 9094)]),
    ]

    func testCredentialsApplyAndTravelInSnapshots() throws {
        let store = try MetadataStore(path: databasePath())
        let alice = ScramCredential(mechanism: 1, salt: [9], storedKey: Array(repeating: 1, count: 32), serverKey: Array(repeating: 2, count: 32), iterations: 4096)
        try store.apply([.upsertScramCredential(user: "alice", credential: alice),
                         .upsertScramCredential(user: "bob", credential: alice)], index: 1)
        try store.apply([.deleteScramCredential(user: "bob", mechanism: 1)], index: 2)
        XCTAssertEqual(try store.scramCredential(user: "alice", mechanism: 1), alice)
        XCTAssertNil(try store.scramCredential(user: "bob", mechanism: 1))
        let other = try MetadataStore(path: databasePath())
        try other.apply([.upsertScramCredential(user: "stale", credential: alice)], index: 1)
        try other.restore(from: try store.snapshotCommands(), index: 2)
        XCTAssertEqual(try other.scramCredentials().map(\.user), ["alice"], "a snapshot replaces every credential")
        let acl = AclBinding(resourceType: 2, resourceName: "t", patternType: 3, principal: "User:bob", host: "*", operation: 4, permission: 3)
        try store.apply([.createAcls([acl, acl])], index: 3)
        XCTAssertEqual(try store.acls(), [acl], "an entry added twice is there once")
        try other.restore(from: try store.snapshotCommands(), index: 3)
        XCTAssertEqual(try other.acls(), [acl])
        try other.apply([.deleteAcls([acl])], index: 4)
        XCTAssertEqual(try other.acls(), [])
        let tenant = ClientQuotaEntity(user: .named("tenant"), clientID: nil)
        try store.apply([.setClientQuota(entity: tenant, key: "producer_byte_rate", value: 2048)], index: 4)
        try other.restore(from: try store.snapshotCommands(), index: 5)
        XCTAssertEqual(try other.clientQuotas(), [tenant: ["producer_byte_rate": 2048]])
        try other.apply([.setClientQuota(entity: tenant, key: "producer_byte_rate", value: nil)], index: 6)
        XCTAssertEqual(try other.clientQuotas(), [:])
    }

    func testEveryCommandRoundTrips() throws {
        let bytes = ControllerCommandCodec.encode(everyKind)
        XCTAssertEqual(try ControllerCommandCodec.decode(bytes), everyKind)
    }

    func testTruncatedOrHostileEntriesAreRefusedNotTrapped() {
        let bytes = ControllerCommandCodec.encode(everyKind)
        for cut in stride(from: 0, to: bytes.count - 1, by: 7) {
            XCTAssertThrowsError(try ControllerCommandCodec.decode(Array(bytes[..<cut])), "cut at \(cut)")
        }
        // A count claiming four billion commands must not allocate them.
        XCTAssertThrowsError(try ControllerCommandCodec.decode([1, 0x7f, 0xff, 0xff, 0xff]))
        XCTAssertThrowsError(try ControllerCommandCodec.decode([9, 0, 0, 0, 0]))
        XCTAssertThrowsError(try ControllerCommandCodec.decode(bytes + [0]))
    }

    func testClusterEntriesApplyOnceWithTheirIndex() throws {
        let path = databasePath()
        do {
            let store = try MetadataStore(path: path)
            let create: [ControllerCommand] = [
                .registerBroker(BrokerRecord(nodeID: 1, host: "h1", port: 9092, interNodeHost: "h1", interNodePort: 9093, rack: nil, incarnation: 1)),
                .registerBroker(BrokerRecord(nodeID: 2, host: "h2", port: 9094, interNodeHost: "h2", interNodePort: 9095, rack: nil, incarnation: 1)),
                .metadata(.createTopic(name: "t", topicID: Array(repeating: 1, count: 16), partitions: 2, replicationFactor: 2, configs: [:])),
                .assignReplicas(topic: "t", firstPartition: 0, replicas: [[1, 2], [2, 1]]),
            ]
            XCTAssertNotNil(try store.apply(create, index: 1))
            XCTAssertNil(try store.apply(create, index: 1), "a replayed index changes nothing")
            try store.apply([.partitionLeader(topic: "t", partition: 0, leader: 2, epoch: 4)], index: 2)
            // An older term's leader report arriving late does not win.
            try store.apply([.partitionLeader(topic: "t", partition: 0, leader: 1, epoch: 3)], index: 3)
            try store.apply([.fenceBroker(nodeID: 2), .offsets(.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 10, commitMillis: 5)]))], index: 4)
        }
        let reopened = try MetadataStore(path: path)
        XCTAssertEqual(try reopened.appliedIndex, 4)
        XCTAssertEqual(try reopened.brokers().map(\.fenced), [false, true])
        let placements = try reopened.partitionRecords()
        XCTAssertEqual(placements.map(\.replicas), [[1, 2], [2, 1]])
        XCTAssertEqual(placements[0].leader, 2)
        XCTAssertEqual(placements[0].leaderEpoch, 4)
        XCTAssertEqual(try OffsetStore(database: reopened.database).offsets(group: "g").map(\.offset), [10])
        try reopened.apply([.reassignPartition(topic: "t", partition: 1, target: [2, 3])], index: 5)
        XCTAssertEqual(try reopened.partitionRecords()[1].targetReplicas, [2, 3])
        XCTAssertEqual(try reopened.partitionRecords()[1].holders, [2, 1, 3])
        try reopened.apply([.completeReassignment(topic: "t", partition: 1, replicas: [2, 3])], index: 6)
        XCTAssertEqual(try reopened.partitionRecords()[1].replicas, [2, 3])
        XCTAssertNil(try reopened.partitionRecords()[1].targetReplicas)
        // The in-sync set the leader reports: current only for its epoch; an older report loses.
        try reopened.apply([.partitionISR(topic: "t", partition: 0, isr: [2], epoch: 4)], index: 7)
        try reopened.apply([.partitionISR(topic: "t", partition: 0, isr: [1, 2], epoch: 3)], index: 8)
        XCTAssertEqual(try reopened.partitionRecords()[0].currentISR, [2])
        try reopened.apply([.partitionLeader(topic: "t", partition: 0, leader: 1, epoch: 5)], index: 9)
        XCTAssertNil(try reopened.partitionRecords()[0].currentISR, "a new leader's set is unknown until it reports")
        try reopened.apply([.metadata(.deleteTopic(name: "t"))], index: 10)
        XCTAssertTrue(try reopened.partitionRecords().isEmpty, "placements go with their topic")
    }

    func testSnapshotCommandsRebuildTheSameState() throws {
        let source = try MetadataStore(path: databasePath())
        try source.apply([
            .registerBroker(BrokerRecord(nodeID: 1, host: "h1", port: 9092, interNodeHost: "h1", interNodePort: 9093, rack: "r1", incarnation: 3)),
            .registerBroker(BrokerRecord(nodeID: 2, host: "h2", port: 9094, interNodeHost: "h2", interNodePort: 9095, rack: nil, incarnation: 4)),
            .metadata(.createTopic(name: "t", topicID: Array(repeating: 5, count: 16), partitions: 2, replicationFactor: 2, configs: ["retention.ms": "9"])),
            .assignReplicas(topic: "t", firstPartition: 0, replicas: [[1, 2], [2, 1]]),
            .partitionLeader(topic: "t", partition: 1, leader: 2, epoch: 7),
            .reassignPartition(topic: "t", partition: 0, target: [2]),
            .brokerEndpoints(nodeID: 2, endpoints: [ListenerEndpoint(listener: "PLAINTEXT", host: "h2", port: 9094),
                                                    ListenerEndpoint(listener: "EXTERNAL", host: "kafka2.example.com", port: 19094)]),
            .fenceBroker(nodeID: 2),
            .offsets(.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 1, offset: 42, leaderEpoch: 7, metadata: "m", commitMillis: 11)])),
            .metadata(.allocateProducerIDs(count: 3000)),
        ], index: 1)
        let target = try MetadataStore(path: databasePath())
        try target.apply([.metadata(.createTopic(name: "stale", topicID: [], partitions: 1, replicationFactor: 1, configs: [:]))], index: 1)
        try target.restore(from: try ControllerCommandCodec.decode(ControllerCommandCodec.encode(source.snapshotCommands())), index: 9)
        XCTAssertEqual(try target.appliedIndex, 9)
        XCTAssertEqual(try target.brokers(), try source.brokers())
        XCTAssertEqual(try target.brokers().map { $0.endpoints.map(\.listener) }, [[], ["EXTERNAL", "PLAINTEXT"]], "each broker's listeners travel too")
        // A new report replaces the listeners recorded before.
        try target.apply([.brokerEndpoints(nodeID: 2, endpoints: [ListenerEndpoint(listener: "PLAINTEXT", host: "h2", port: 9094)])], index: 10)
        XCTAssertEqual(try target.brokers()[1].endpoints, [ListenerEndpoint(listener: "PLAINTEXT", host: "h2", port: 9094)])
        XCTAssertEqual(try target.topics(), try source.topics(), "the stale topic is gone, the snapshot's is there")
        XCTAssertEqual(try target.partitionRecords(), try source.partitionRecords())
        // Group offsets are not controller state (they live in __consumer_offsets partitions).
        XCTAssertEqual(try OffsetStore(database: target.database).offsets(group: "g"), [])
        XCTAssertEqual(try target.apply([.metadata(.allocateProducerIDs(count: 1))], index: 11)?.allocatedProducerID, 4000)
    }

    func testReplicatedOffsetEntriesApplyOncePerPartitionIndex() throws {
        let store = try MetadataStore(path: databasePath())
        let offsets = try OffsetStore(database: store.database)
        let first = OffsetCommand.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 5, commitMillis: 1)])
        let second = OffsetCommand.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 9, commitMillis: 2)])
        XCTAssertNil(offsets.appliedIndex(partition: "__consumer_offsets-3"))
        try offsets.applyReplicated([([first], 10)], partition: "__consumer_offsets-3")
        try offsets.applyReplicated([([second], 20)], partition: "__consumer_offsets-3")
        try offsets.applyReplicated([([first], 10)], partition: "__consumer_offsets-3") // replay after a restart
        XCTAssertEqual(try offsets.offsets(group: "g").map(\.offset), [9])
        XCTAssertEqual(offsets.appliedIndex(partition: "__consumer_offsets-3"), 20)
        // A replay straddling what was applied: only the entries after it change anything.
        let third = OffsetCommand.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 12, commitMillis: 3)])
        try offsets.applyReplicated([([first], 10), ([second], 20), ([third], 30)], partition: "__consumer_offsets-3")
        XCTAssertEqual(try offsets.offsets(group: "g").map(\.offset), [12])
        XCTAssertEqual(offsets.appliedIndex(partition: "__consumer_offsets-3"), 30)
        try offsets.applyReplicated([([first], 10), ([second], 20)], partition: "__consumer_offsets-3")
        XCTAssertEqual(try offsets.offsets(group: "g").map(\.offset), [12])
        XCTAssertEqual(offsets.appliedIndex(partition: "__consumer_offsets-3"), 30)
        XCTAssertEqual(OffsetStore.group(of: .deleteGroup(group: "x")), "x")
    }

    /// Flushes of replicated applies skip their fsync, and only theirs: the shared connection is
    /// back to fsynced commits after each, and a barrier makes them durable (one write, none when
    /// nothing was applied since the last).
    func testReplicatedAppliesAreNotFsyncedOneByOneAndABarrierMakesThemDurable() throws {
        let store = try MetadataStore(path: databasePath())
        let offsets = try OffsetStore(database: store.database)
        let commit = OffsetCommand.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 5, commitMillis: 1)])
        func barriers() throws -> Int64 {
            try store.database.execute("SELECT count FROM offsets_barrier WHERE id = 0").first?.first?.integer ?? 0
        }
        try offsets.applyReplicated([([commit], 10)], partition: "__consumer_offsets-1")
        try offsets.flush()
        XCTAssertEqual(try store.database.execute("PRAGMA synchronous").first?.first?.integer, 2, "FULL again after the flush")
        try offsets.makeAppliedDurable()
        XCTAssertEqual(try barriers(), 1)
        try offsets.makeAppliedDurable()
        XCTAssertEqual(try barriers(), 1, "nothing applied since: no write")
        try offsets.applyReplicated([([commit], 20)], partition: "__consumer_offsets-1")
        try offsets.makeAppliedDurable()
        XCTAssertEqual(try barriers(), 2)
        // A failing transaction restores the setting too.
        XCTAssertThrowsError(try store.database.transaction(fsync: false) { tx in try tx.execute("SELECT * FROM no_such_table") })
        XCTAssertEqual(try store.database.execute("PRAGMA synchronous").first?.first?.integer, 2)
    }
}
