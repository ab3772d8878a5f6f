@testable import SluiceClient
import XCTest

final class AssignorTests: XCTestCase {
    func testRangeGivesConsecutiveRangesExtraToFirstMembers() {
        let plan = PartitionAssignor.range.assign(subscriptions: ["c": ["t"], "a": ["t"], "b": ["t", "u"]],
                                                  partitionCounts: ["t": 7, "u": 2])
        XCTAssertEqual(plan["a"], [0, 1, 2].map { TopicPartition("t", $0) })
        XCTAssertEqual(plan["b"], [3, 4].map { TopicPartition("t", $0) } + [0, 1].map { TopicPartition("u", $0) })
        XCTAssertEqual(plan["c"], [5, 6].map { TopicPartition("t", $0) })
    }

    func testRoundRobinDealsInTurnSkippingUnsubscribed() {
        let plan = PartitionAssignor.roundRobin.assign(subscriptions: ["a": ["t", "u"], "b": ["t"]], partitionCounts: ["t": 3, "u": 2])
        XCTAssertEqual(plan["a"], [TopicPartition("t", 0), TopicPartition("t", 2), TopicPartition("u", 0), TopicPartition("u", 1)])
        XCTAssertEqual(plan["b"], [TopicPartition("t", 1)])
        let lonely = PartitionAssignor.roundRobin.assign(subscriptions: ["a": ["x"]], partitionCounts: [:])
        XCTAssertEqual(lonely["a"], [])
    }

    func testConsumerProtocolRoundTripAndJavaBytes() throws {
        let partitions = [TopicPartition("t1", 0)]
        let bytes = ConsumerProtocol.encodeAssignment(partitions)
        // As observed from real clients: version 0, one topic "t1" with partition 0, empty user data.
        XCTAssertEqual(bytes, [0, 0, 0, 0, 0, 1, 0, 2, 0x74, 0x31, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try ConsumerProtocol.decodeAssignment(bytes), partitions)
        XCTAssertEqual(try ConsumerProtocol.decodeSubscription(ConsumerProtocol.encodeSubscription(topics: ["b", "a"])), ["a", "b"])
        XCTAssertThrowsError(try ConsumerProtocol.decodeAssignment([0, 0, 0x7f, 0xff, 0xff, 0xff]))
    }

    // MARK: cooperative-sticky

    private func tps(_ topic: String, _ partitions: [Int32]) -> [TopicPartition] { partitions.map { TopicPartition(topic, $0) } }

    /// Every partition at most once, and the counts within one of each other.
    private func assertValid(_ plan: [String: [TopicPartition]], total: Int, file: StaticString = #filePath, line: UInt = #line) {
        let all = plan.values.flatMap { $0 }
        XCTAssertEqual(all.count, Set(all).count, "a partition assigned twice: \(plan)", file: file, line: line)
        XCTAssertLessThanOrEqual(all.count, total, file: file, line: line)
    }

    func testCooperativeStickyFreshGroupIsBalancedAndComplete() {
        let plan = PartitionAssignor.cooperativeSticky.assign(subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"]], owned: [:],
                                                              partitionCounts: ["t": 7])
        assertValid(plan, total: 7)
        XCTAssertEqual(plan.values.map(\.count).sorted(), [2, 2, 3])
        XCTAssertEqual(plan.values.flatMap { $0 }.count, 7)
    }

    func testCooperativeStickyKeepsAStableAssignment() {
        let owned = ["a": tps("t", [0, 4, 5]), "b": tps("t", [1, 2]), "c": tps("t", [3, 6])]
        let plan = PartitionAssignor.cooperativeSticky.assign(subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"]], owned: owned,
                                                              partitionCounts: ["t": 7])
        XCTAssertEqual(plan, owned)
    }

    /// A member joins: round one only takes partitions away (never from one owner straight to
    /// another); once the owners revoked them, round two gives them to the newcomer.
    func testCooperativeStickyNewMemberTakesOverInTwoRounds() {
        let subscriptions = ["a": ["t"], "b": ["t"], "c": ["t"]]
        let before = ["a": tps("t", [0, 1, 2]), "b": tps("t", [3, 4, 5])]
        let first = PartitionAssignor.cooperativeSticky.assign(subscriptions: subscriptions, owned: before, partitionCounts: ["t": 6])
        assertValid(first, total: 6)
        XCTAssertEqual(first["c"], [], "nothing goes to the newcomer while another member still owns it")
        XCTAssertEqual(Set(first["a"] ?? []).isSubset(of: before["a"] ?? []), true)
        XCTAssertEqual(Set(first["b"] ?? []).isSubset(of: before["b"] ?? []), true)
        XCTAssertEqual((first["a"]?.count ?? 0) + (first["b"]?.count ?? 0), 4, "two partitions are revoked")
        // The owners revoked what round one left out; they rejoin announcing what they still own.
        let second = PartitionAssignor.cooperativeSticky.assign(subscriptions: subscriptions, owned: ["a": first["a"] ?? [], "b": first["b"] ?? []],
                                                               partitionCounts: ["t": 6])
        assertValid(second, total: 6)
        XCTAssertEqual(second["a"], first["a"])
        XCTAssertEqual(second["b"], first["b"])
        XCTAssertEqual(second["c"]?.count, 2)
        XCTAssertEqual(second.values.flatMap { $0 }.count, 6)
    }

    func testCooperativeStickyLeaverPartitionsGoToTheOthersAtOnce() {
        let owned = ["a": tps("t", [0, 1]), "b": tps("t", [2, 3])]  // c (4, 5) left the group
        let plan = PartitionAssignor.cooperativeSticky.assign(subscriptions: ["a": ["t"], "b": ["t"]], owned: owned, partitionCounts: ["t": 6])
        assertValid(plan, total: 6)
        XCTAssertEqual(plan.values.flatMap { $0 }.count, 6)
        XCTAssertTrue(Set(owned["a"] ?? []).isSubset(of: plan["a"] ?? []))
        XCTAssertTrue(Set(owned["b"] ?? []).isSubset(of: plan["b"] ?? []))
    }

    func testCooperativeStickyRespectsSubscriptionsAndDoubleClaims() {
        // Both claim t-0 (a stale member): the first by id keeps it; u goes only to b.
        let plan = PartitionAssignor.cooperativeSticky.assign(subscriptions: ["a": ["t"], "b": ["t", "u"]],
                                                              owned: ["a": tps("t", [0]), "b": tps("t", [0])],
                                                              partitionCounts: ["t": 2, "u": 2])
        assertValid(plan, total: 4)
        XCTAssertEqual(plan["a"]?.contains(TopicPartition("t", 0)), true)
        XCTAssertFalse(plan["a"]?.contains { $0.topic == "u" } ?? true)
        XCTAssertEqual(plan.values.flatMap { $0 }.count, 4)
    }

    func testSubscriptionVersionOneCarriesOwnedPartitions() throws {
        let bytes = ConsumerProtocol.encodeSubscription(topics: ["t", "u"], owned: [TopicPartition("u", 1), TopicPartition("t", 0)])
        let decoded = try ConsumerProtocol.decodeSubscriptionWithOwned(bytes)
        XCTAssertEqual(decoded.topics, ["t", "u"])
        XCTAssertEqual(decoded.owned, [TopicPartition("t", 0), TopicPartition("u", 1)])
        XCTAssertEqual(Array(bytes.prefix(2)), [0, 1])
        XCTAssertEqual(try ConsumerProtocol.decodeSubscriptionWithOwned(ConsumerProtocol.encodeSubscription(topics: ["t"])).owned, [])
    }
}
