import Foundation
@testable import SluiceClient
import XCTest

/// The controller quorum's voters through `Admin`, against four real nodes (voters 1-3, node 4
/// following the quorum as an observer): node 4 is made a voter, a second try is refused as a
/// duplicate, and voted out again it goes back to observing.
final class QuorumClusterTests: XCTestCase {
    func testAnObserverBecomesAVoterAndGoesBack() async throws {
        let cluster = try ClusterFixture(size: 4)
        defer { cluster.stop() }
        let admin = try Admin(bootstrap: cluster.bootstrap)
        defer { Task { await admin.close() } }
        let observing = try await eventually("node 4 to follow the quorum", cluster) {
            let quorum = try await admin.describeQuorum()
            return quorum.observers.map(\.id) == [4] ? quorum : nil
        }
        XCTAssertEqual(observing.voters.map(\.id), [1, 2, 3])
        XCTAssertTrue([1, 2, 3].contains(observing.leader))

        try await admin.addRaftVoter(4)
        let grown = try await admin.describeQuorum()
        XCTAssertEqual(grown.voters.map(\.id), [1, 2, 3, 4])
        XCTAssertEqual(grown.observers, [])
        do {
            try await admin.addRaftVoter(4)
            XCTFail("a second AddRaftVoter for node 4 succeeded")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, KafkaErrorCode(126), "\(error)")
        }

        try await admin.removeRaftVoter(4)
        let back = try await eventually("node 4 to observe again", cluster) {
            let quorum = try await admin.describeQuorum()
            return quorum.observers.map(\.id) == [4] ? quorum : nil
        }
        XCTAssertEqual(back.voters.map(\.id), [1, 2, 3])
    }

    /// Polls `probe` until it returns a value (errors count as not yet), for at most 60 s.
    private func eventually<T>(_ what: String, _ cluster: ClusterFixture, _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(60)
        var lastError: (any Error)?
        while Date() < deadline {
            do {
                if let value = try await probe() { return value }
            } catch {
                lastError = error
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let logs = cluster.nodes.map { "node \($0.id):\n\(cluster.tail($0.id, lines: 10))" }.joined(separator: "\n")
        throw FixtureError(message: "timed out waiting for \(what) (last error: \(lastError.map { "\($0)" } ?? "none"))\n\(logs)")
    }
}
