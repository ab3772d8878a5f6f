@testable import SluiceClient
import XCTest

final class AdminTests: BrokerTestCase {
    func testCreateDescribeListDeleteTopics() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("alpha", partitions: 3, replicationFactor: 1)
        try await admin.createTopic("beta", partitions: 1)
        let topics = try await admin.listTopics()
        XCTAssertTrue(topics.contains("alpha") && topics.contains("beta"), "\(topics)")

        let described = try await admin.describeTopics(["alpha"])
        XCTAssertEqual(described.count, 1)
        XCTAssertEqual(described[0].partitions.map(\.partition), [0, 1, 2])
        XCTAssertTrue(described[0].partitions.allSatisfy { $0.leader == 0 })

        do {
            try await admin.createTopic("alpha", partitions: 1)
            XCTFail("creating an existing topic must fail")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, .topicAlreadyExists, "\(error)")
        }

        try await admin.createPartitions("alpha", totalCount: 5)
        let grown = try await admin.describeTopics(["alpha"])
        XCTAssertEqual(grown[0].partitions.count, 5)

        try await admin.deleteTopics(["beta"])
        let remaining = try await admin.listTopics()
        XCTAssertFalse(remaining.contains("beta"))
        let cluster = try await admin.describeCluster()
        XCTAssertEqual(cluster.brokers.map(\.port), [broker.port])
        await admin.close()
    }

    func testDescribeAndAlterConfigs() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("configured", partitions: 1, configs: ["retention.ms": "3600000"])
        var configs = try await admin.describeConfigs(topic: "configured")
        XCTAssertEqual(configs["retention.ms"]?.value, "3600000")
        try await admin.alterConfigs(topic: "configured", set: ["retention.ms": "7200000"])
        configs = try await admin.describeConfigs(topic: "configured")
        XCTAssertEqual(configs["retention.ms"]?.value, "7200000")
        await admin.close()
    }

    func testDeleteRecordsAndOffsets() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("trim", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<10 { try await producer.send(topic: "trim", key: nil, value: bytes("v\(i)"), completion: { _ in }) }
        await producer.flush()
        let tp = TopicPartition("trim", 0)
        let end = try await admin.listOffsets([tp], spec: .latest)
        XCTAssertEqual(end[tp], 10)
        let low = try await admin.deleteRecords([tp: 4])
        XCTAssertEqual(low[tp], 4)
        let start = try await admin.listOffsets([tp], spec: .earliest)
        XCTAssertEqual(start[tp], 4)
        await producer.close()
        await admin.close()
    }

    func testGroupsOffsetsAndLag() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("lagged", partitions: 2)
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<20 { try await producer.send(topic: "lagged", key: bytes("k\(i)"), value: bytes("v\(i)"), completion: { _ in }) }
        await producer.flush()
        await producer.close()

        var config = ConsumerConfig()
        config.groupId = "lag-group"
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.commit([TopicPartition("lagged", 0): 1, TopicPartition("lagged", 1): 2])
        await consumer.close()

        let offsets = try await admin.groupOffsets("lag-group")
        XCTAssertEqual(offsets, [TopicPartition("lagged", 0): 1, TopicPartition("lagged", 1): 2])
        let ends = try await admin.listOffsets([TopicPartition("lagged", 0), TopicPartition("lagged", 1)], spec: .latest)
        let lag = try await admin.groupLag("lag-group")
        XCTAssertEqual(lag.map(\.lag), [(ends[TopicPartition("lagged", 0)] ?? 0) - 1, (ends[TopicPartition("lagged", 1)] ?? 0) - 2])
        XCTAssertEqual(lag.reduce(0) { $0 + $1.lag }, 17)

        let groups = try await admin.listGroups()
        XCTAssertTrue(groups.contains { $0.groupId == "lag-group" }, "\(groups)")
        let described = try await admin.describeGroups(["lag-group"])
        XCTAssertEqual(described.first?.members.count, 0)
        try await admin.resetGroupOffsets("lag-group", to: [TopicPartition("lagged", 0): 0])
        let reset = try await admin.groupOffsets("lag-group")
        XCTAssertEqual(reset[TopicPartition("lagged", 0)], 0)
        try await admin.deleteGroups(["lag-group"])
        let after = try await admin.listGroups()
        XCTAssertFalse(after.contains { $0.groupId == "lag-group" })
        await admin.close()
    }

    func testDescribeGroupsShowsEachMembersAssignment() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("owned", partitions: 2)
        var config = ConsumerConfig()
        config.groupId = "owners"
        config.groupInstanceId = "owner-1"
        config.connection.clientId = "owner-client"
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.subscribe(["owned"])
        var polls = 0
        while await consumer.assignment.isEmpty && polls < 50 {
            polls += 1
            _ = try await consumer.poll(timeoutMillis: 100)
        }
        let member = try await admin.describeGroups(["owners"]).first?.members.first
        XCTAssertEqual(member?.assignment, [TopicPartition("owned", 0), TopicPartition("owned", 1)])
        XCTAssertEqual(member?.groupInstanceId, "owner-1")
        XCTAssertEqual(member?.clientId, "owner-client")
        await consumer.close()
        await admin.close()
    }
}
