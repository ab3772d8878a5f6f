@testable import SluiceClient
import XCTest
import Synchronization

/// State shared by the member loops of a test.
private final class Observed: Sendable {
    let seen = Mutex<[TopicPartition: [Int64]]>([:])
    let revocations = Mutex(0)
    let stop = Mutex(false)
}

final class GroupTests: BrokerTestCase {
    private func groupConfig() -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = "members"
        config.heartbeatIntervalMillis = 100
        config.sessionTimeoutMillis = 10_000
        config.rebalanceTimeoutMillis = 5_000
        return config
    }

    func testTwoMembersSplitPartitionsThenOneTakesOverOnLeave() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("shared", partitions: 4)
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<40 { try await producer.send(topic: "shared", key: bytes("key-\(i)"), value: bytes("\(i)")) { _ in } }
        await producer.close()

        let observed = Observed()
        func member() async throws -> Consumer {
            let consumer = try await Consumer(bootstrap: bootstrap, config: groupConfig())
            try await consumer.subscribe(["shared"], listener: RebalanceListener(onRevoked: { _ in
                observed.revocations.withLock { $0 += 1 }
                try? await consumer.commit()
            }))
            return consumer
        }
        let a = try await member()
        let b = try await member()
        func loop(_ consumer: Consumer) -> Task<Void, any Error> {
            Task { [observed] in
                while !observed.stop.withLock({ $0 }) {
                    let records = try await consumer.poll(timeoutMillis: 100)
                    observed.seen.withLock { map in for record in records { map[record.topicPartition, default: []].append(record.offset) } }
                    if !records.isEmpty { try await consumer.commit() }
                }
            }
        }
        let loops = [loop(a), loop(b)]
        var split = false
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let (left, right) = (await a.assignment, await b.assignment)
            let total = observed.seen.withLock { $0.values.reduce(0) { $0 + $1.count } }
            if left.count == 2 && right.count == 2 && Set(left).isDisjoint(with: right) && total >= 40 { split = true; break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTAssertTrue(split, "range assignment splits 4 partitions 2/2 and all 40 records are read")
        let (left, right) = (await a.assignment, await b.assignment)
        XCTAssertEqual(Set(left).union(right), Set((0..<4).map { TopicPartition("shared", $0) }))
        let offsets = observed.seen.withLock { $0 }
        for (partition, list) in offsets {
            XCTAssertEqual(list, Array(Set(list)).sorted(), "\(partition) read once, in order")
        }
        XCTAssertEqual(offsets.values.reduce(0) { $0 + $1.count }, 40)

        // b leaves: a takes every partition after the rebalance.
        observed.stop.withLock { $0 = true }
        for task in loops { _ = try? await task.value }
        await b.close()
        var all = false
        for _ in 0..<100 where !all {
            _ = try await a.poll(timeoutMillis: 100)
            all = await a.assignment.count == 4
        }
        XCTAssertTrue(all, "the remaining member owns all four partitions")
        let membership = await a.groupMembership
        XCTAssertGreaterThanOrEqual(membership.generation, 2)
        let described = try await admin.describeGroups(["members"])
        XCTAssertEqual(described.first?.members.count, 1)
        XCTAssertEqual(described.first?.protocolName, "range")
        XCTAssertGreaterThanOrEqual(observed.revocations.withLock { $0 }, 1)
        await a.close()
        await admin.close()
    }

    func testAddedPartitionsTriggerARebalance() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("growing", partitions: 1)
        var config = groupConfig()
        config.groupId = "growers"
        config.connection.metadataMaxAgeMillis = 200
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.subscribe(["growing"])
        _ = try await consumer.poll(timeoutMillis: 300)
        var assigned = await consumer.assignment
        XCTAssertEqual(assigned, [TopicPartition("growing", 0)])
        try await admin.createPartitions("growing", totalCount: 3)
        for _ in 0..<30 where assigned.count < 3 {
            _ = try await consumer.poll(timeoutMillis: 100)
            assigned = await consumer.assignment
        }
        XCTAssertEqual(assigned, (0..<3).map { TopicPartition("growing", $0) })
        await consumer.close()
        await admin.close()
    }

    func testStaticMemberKeepsItsPartitionsAcrossARestart() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("static", partitions: 2)
        var config = groupConfig()
        config.groupId = "statics"
        config.groupInstanceId = "worker-1"
        let first = try await Consumer(bootstrap: bootstrap, config: config)
        try await first.subscribe(["static"])
        var assigned: [TopicPartition] = []
        for _ in 0..<20 where assigned.isEmpty {
            _ = try await first.poll(timeoutMillis: 100)
            assigned = await first.assignment
        }
        XCTAssertEqual(assigned, [TopicPartition("static", 0), TopicPartition("static", 1)])
        await first.close()  // a static member does not leave
        let described = try await admin.describeGroups(["statics"])
        XCTAssertEqual(described.first?.members.count, 1, "the static member is still in the group")

        let second = try await Consumer(bootstrap: bootstrap, config: config)
        try await second.subscribe(["static"])
        var again: [TopicPartition] = []
        for _ in 0..<20 where again.isEmpty {
            _ = try await second.poll(timeoutMillis: 100)
            again = await second.assignment
        }
        XCTAssertEqual(again, assigned)
        let after = try await admin.describeGroups(["statics"])
        XCTAssertEqual(after.first?.members.count, 1)
        await second.close()
        await admin.close()
    }
}
