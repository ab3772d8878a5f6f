@testable import SluiceClient
import Foundation
import Synchronization
import XCTest

/// What the listeners of the cooperative members saw.
private final class RebalanceLog: Sendable {
    let revoked = Mutex<[String: [TopicPartition]]>([:])
    let assigned = Mutex<[String: [TopicPartition]]>([:])
    let stop = Mutex(false)
}

/// Incremental cooperative rebalancing against a real broker: a second member joins and only
/// the partitions that move are revoked from the first.
final class CooperativeGroupTests: BrokerTestCase {
    func testSecondMemberJoinsAndOnlyMovedPartitionsAreRevoked() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("coop", partitions: 4)
        await admin.close()
        let config = quickGroupConfig("coop-members", assignors: [.cooperativeSticky])
        let log = RebalanceLog()
        func member(_ name: String) async throws -> Consumer {
            let consumer = try await Consumer(bootstrap: bootstrap, config: config)
            try await consumer.subscribe(["coop"], listener: RebalanceListener(
                onRevoked: { partitions in log.revoked.withLock { $0[name, default: []] += partitions } },
                onAssigned: { partitions in log.assigned.withLock { $0[name, default: []] += partitions } }))
            return consumer
        }
        func loop(_ consumer: Consumer) -> Task<Void, any Error> {
            Task { while !log.stop.withLock({ $0 }) { _ = try await consumer.poll(timeoutMillis: 100) } }
        }
        let a = try await member("a")
        var loops = [loop(a)]
        var deadline = Date().addingTimeInterval(15)
        while await a.assignment.count < 4, Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        let alone = await a.assignment
        XCTAssertEqual(alone.count, 4, "the only member gets every partition")

        let b = try await member("b")
        loops.append(loop(b))
        deadline = Date().addingTimeInterval(20)
        var split = false
        while Date() < deadline {
            let (left, right) = (await a.assignment, await b.assignment)
            if left.count == 2, right.count == 2, Set(left).isDisjoint(with: right) { split = true; break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        log.stop.withLock { $0 = true }
        for task in loops { _ = try? await task.value }
        XCTAssertTrue(split, "two cooperative members end with 2 partitions each")
        let revoked = log.revoked.withLock { $0 }
        let assigned = log.assigned.withLock { $0 }
        XCTAssertEqual(revoked["a"]?.count, 2, "a revokes exactly the two partitions that move: \(revoked)")
        XCTAssertEqual(Set(revoked["a"] ?? []), Set(assigned["b"] ?? []), "what a revoked is what b got")
        let kept = await a.assignment
        XCTAssertTrue(Set(kept).isDisjoint(with: revoked["a"] ?? []))
        XCTAssertNil(revoked["b"], "b revoked nothing")
        await a.close()
        await b.close()
    }
}
