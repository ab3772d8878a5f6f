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
}
