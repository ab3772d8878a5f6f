@testable import SluiceClient
import XCTest

/// The decommission planner on its own: spread, order, and refusal without a spare broker.
final class DecommissionPlanTests: XCTestCase {
    private func tp(_ partition: Int32) -> TopicPartition { TopicPartition("orders", partition) }

    func testReplacementTakesThePlaceOfTheRemovedBrokerExceptFirst() throws {
        let plan = try Admin.plan(decommissioning: 3, replicas: [(tp(0), [1, 2, 3]), (tp(1), [3, 1, 2]), (tp(2), [2, 3, 1])],
                                  liveBrokers: [1, 2, 3, 4])
        XCTAssertEqual(plan.moves.map(\.to), [[1, 2, 4], [1, 4, 2], [2, 4, 1]])
        XCTAssertEqual(plan.moves.map(\.from), [[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    }

    func testSpreadsOverTheLeastLoadedBrokers() throws {
        // Brokers 4 and 5 start empty: the moves alternate between them, ties to the lower id.
        let replicas = (0..<4).map { (tp(Int32($0)), [Int32(1), 2, 3]) }
        let plan = try Admin.plan(decommissioning: 1, replicas: replicas, liveBrokers: [1, 2, 3, 4, 5])
        XCTAssertEqual(plan.moves.map { $0.to[1] }, [4, 5, 4, 5])
        XCTAssertEqual(plan.moves.map { $0.to[0] }, [2, 2, 2, 2], "leadership moves off the decommissioned broker")
    }

    func testPartitionsWithoutTheBrokerAreLeftAlone() throws {
        let plan = try Admin.plan(decommissioning: 4, replicas: [(tp(0), [1, 2, 3]), (tp(1), [4, 2, 3])], liveBrokers: [1, 2, 3, 4])
        XCTAssertEqual(plan.moves, [PlannedMove(topicPartition: tp(1), from: [4, 2, 3], to: [2, 1, 3])])
    }

    func testRefusesWithoutASpareBroker() {
        XCTAssertThrowsError(try Admin.plan(decommissioning: 2, replicas: [(tp(0), [1, 2, 3])], liveBrokers: [1, 2, 3])) { error in
            XCTAssertEqual(error as? ReassignmentError, .noSpareBroker(tp(0), replicas: [1, 2, 3], liveBrokers: [1, 2, 3]))
        }
        XCTAssertThrowsError(try Admin.plan(decommissioning: 9, replicas: [(tp(0), [1, 2, 3])], liveBrokers: [1, 2, 3])) { error in
            XCTAssertEqual(error as? ReassignmentError, .unknownBroker(9, liveBrokers: [1, 2, 3]))
        }
    }
}

/// Against a cluster of one: a move to the replicas a partition has is done at once (nothing is
/// listed as moving), a move to a broker that is not registered is refused for that partition.
final class ReassignmentSingleBrokerTests: BrokerTestCase {
    func testClusterOfOneHasNowhereToMove() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("alone", partitions: 1)
        let stay = try await admin.alterPartitionReassignments([TopicPartition("alone", 0): [0]])
        XCTAssertEqual(stay, [:])
        let listed = try await admin.listPartitionReassignments()
        XCTAssertEqual(listed, [])
        let refused = try await admin.alterPartitionReassignments([TopicPartition("alone", 0): [7]])
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue("\(refused.values.first.map { "\($0)" } ?? "")".contains("broker 7 is not registered"), "\(refused)")
        let stillNone = try await admin.listPartitionReassignments()
        XCTAssertEqual(stillNone, [])
        await admin.close()
    }
}

/// Against four real nodes (three controller voters, one learner): move a partition, cancel
/// mistakes, then decommission a broker and wait for it to be empty.
final class ReassignmentClusterTests: XCTestCase {
    /// How long a move may take on a loaded machine with debug builds.
    static let moveMillisMax = 120_000

    func testReassignAndDecommissionOnFourNodes() async throws {
        let cluster = try ClusterFixture(size: 4)
        defer { cluster.stop() }
        let admin = try Admin(bootstrap: cluster.bootstrap)
        defer { Task { await admin.close() } }
        try await waitFor("4 brokers and a controller", cluster) {
            let description = try await admin.describeCluster()
            return description.brokers.count == 4 && description.controllerId > 0
        }
        try await admin.createTopic("moves", partitions: 2, replicationFactor: 3)
        try await waitFor("leaders of 'moves'", cluster) {
            try await admin.describeTopics(["moves"])[0].partitions.allSatisfy { $0.leader > 0 }
        }

        // One partition onto the broker that holds none of its replicas.
        let first = try await admin.describeTopics(["moves"])[0].partitions[0]
        let spare = try XCTUnwrap(([1, 2, 3, 4] as [Int32]).first { !first.replicas.contains($0) })
        let target = [spare] + first.replicas.dropFirst()
        let refused = try await admin.alterPartitionReassignments([TopicPartition("moves", 0): target])
        XCTAssertEqual(refused, [:])
        try await waitFor("moves-0 on \(target)", cluster) {
            let moves = try await admin.listPartitionReassignments()
            let replicas = try await admin.describeTopics(["moves"])[0].partitions[0].replicas
            return moves.isEmpty && Set(replicas) == Set(target)
        }

        // Mistakes come back per partition.
        let mistakes = try await admin.alterPartitionReassignments([TopicPartition("moves", 1): nil, TopicPartition("moves", 0): [1, 2, 9]])
        XCTAssertEqual(mistakes[TopicPartition("moves", 1)]?.code, KafkaErrorCode(85), "\(mistakes)")
        XCTAssertEqual(mistakes[TopicPartition("moves", 0)]?.code, KafkaErrorCode(39), "\(mistakes)")

        // Empty a broker that holds replicas of both partitions.
        let partitions = try await admin.describeTopics(["moves"])[0].partitions
        let victim = try XCTUnwrap(([1, 2, 3, 4] as [Int32]).first { id in partitions.allSatisfy { $0.replicas.contains(id) } })
        let plan = try await admin.decommissionBroker(victim, waitMillis: Self.moveMillisMax)
        XCTAssertEqual(plan.moves.count, 2)
        for move in plan.moves { XCTAssertFalse(move.to.contains(victim)) }
        let after = try await admin.describeTopics(["moves"])[0].partitions
        XCTAssertTrue(after.allSatisfy { !$0.replicas.contains(victim) && $0.replicas.count == 3 }, "\(after)")
        let again = try await admin.decommissionPlan(broker: victim)
        XCTAssertEqual(again.moves, [])
    }

    /// Polls `condition` (errors count as not yet) until it holds, at most `moveMillisMax`.
    private func waitFor(_ what: String, _ cluster: ClusterFixture, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(TimeInterval(Self.moveMillisMax) / 1000)
        var lastError: (any Error)?
        while Date() < deadline {
            do {
                if try await condition() { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let logs = cluster.nodes.map { "node \($0.id):\n\(cluster.tail($0.id, lines: 10))" }.joined(separator: "\n")
        XCTFail("timed out waiting for \(what) (last error: \(lastError.map { "\($0)" } ?? "none"))\n\(logs)")
        throw FixtureError(message: "timed out waiting for \(what)")
    }
}
