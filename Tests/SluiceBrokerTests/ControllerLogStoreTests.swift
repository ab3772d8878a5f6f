import Foundation
import SluiceCore
import SluiceMeta
import SluiceRaft
import XCTest
@testable import SluiceBroker

final class ControllerLogStoreTests: XCTestCase {
    private func path() -> String {
        let directory = NSTemporaryDirectory() + "sluice-controller-log-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/controller-raft.db"
    }

    /// Drives a one-voter group through the Ready contract until nothing is left to do.
    private func settle(_ node: inout RaftNode<ControllerLogStore>, _ store: ControllerLogStore) throws -> [Entry] {
        var applied: [Entry] = []
        while node.hasReady {
            let ready = node.ready()
            try store.persist(ready)
            _ = ready.messages(afterPersistingTo: store)
            applied += ready.committedEntries
            node.advance(ready)
        }
        return applied
    }

    func testEntriesTermVoteAndCommitSurviveReopen() throws {
        let file = path()
        let me = NodeID(1)
        var written: [Entry] = []
        do {
            let store = try ControllerLogStore(path: file, bootstrap: Configuration(voters: [me]))
            var node = RaftNode(id: me, storage: store, random: SeededRandom(seed: 7))
            node.campaign()
            _ = try settle(&node, store)
            XCTAssertEqual(node.role, .leader)
            for payload in ["a", "bb", "ccc"] { _ = try node.propose(Array(payload.utf8)) }
            written = try settle(&node, store).filter { $0.kind == .normal }
            XCTAssertEqual(written.map(\.data), [Array("a".utf8), Array("bb".utf8), Array("ccc".utf8)])
        }
        let reopened = try ControllerLogStore(path: file, bootstrap: Configuration(voters: [me]))
        XCTAssertEqual(reopened.hardState.term, Term(1))
        XCTAssertEqual(reopened.hardState.vote, me)
        XCTAssertEqual(reopened.hardState.commit, written.last?.lastIndex)
        let stored = reopened.entries(after: reopened.snapshot.metadata.index, through: reopened.lastIndex, bytesMax: .max)
        XCTAssertEqual(stored.filter { $0.kind == .normal }, written)
        XCTAssertEqual(stored.first?.kind, .noop, "the leader's no-op is stored as such")
    }

    /// The voters a store was created with are kept in it: reopened with another voters line (a
    /// node restarted with a changed setting) it still has the first membership, so a node of a
    /// quorum of one never counts two absent voters, and one of three never elects itself alone.
    func testTheFirstMembershipIsKeptWhateverTheLineSaysLater() throws {
        let file = path()
        _ = try ControllerLogStore(path: file, bootstrap: Configuration(voters: [NodeID(1)]))
        let grown = try ControllerLogStore(path: file, bootstrap: Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)]))
        XCTAssertEqual(grown.snapshot.metadata.configuration, Configuration(voters: [NodeID(1)]))
        let other = path()
        _ = try ControllerLogStore(path: other, bootstrap: Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)]))
        let shrunk = try ControllerLogStore(path: other, bootstrap: Configuration(voters: [NodeID(1)]))
        XCTAssertEqual(shrunk.snapshot.metadata.configuration.voters, [NodeID(1), NodeID(2), NodeID(3)])
        let joiner = path()
        _ = try ControllerLogStore(path: joiner, bootstrap: .empty)
        XCTAssertEqual(try ControllerLogStore(path: joiner, bootstrap: Configuration(voters: [NodeID(4)])).snapshot.metadata.configuration, .empty)
    }

    /// A store written before memberships were kept has a log but no snapshot row: opened with no
    /// membership (a node given cluster.id), it is not given that empty one to keep, so a later
    /// start still takes its voters from the line as it always did.
    func testAStoreWithALogIsNeverGivenAnEmptyMembershipToKeep() throws {
        let file = path()
        let me = NodeID(1)
        do {
            let store = try ControllerLogStore(path: file, bootstrap: Configuration(voters: [me]))
            var node = RaftNode(id: me, storage: store, random: SeededRandom(seed: 3))
            node.campaign()
            _ = try settle(&node, store)
        }
        _ = try Database(path: file).execute("DELETE FROM raft_snapshot")
        var told: [Bool] = []
        let reopened = try ControllerLogStore(path: file) { hasLog in told.append(hasLog); return .empty }
        XCTAssertEqual(told, [true])
        XCTAssertEqual(reopened.snapshot.metadata.configuration, .empty)
        XCTAssertEqual(try ControllerLogStore(path: file, bootstrap: Configuration(voters: [me])).snapshot.metadata.configuration,
                       Configuration(voters: [me]))
    }

    /// A store whose first start ended after its tables were made and before its membership was
    /// kept counts as new, not as one with a log: a node joining with cluster.id must not take
    /// its voters line as its membership at the next start (it would found a quorum of its own).
    func testAStoreLeftHalfMadeCountsAsNew() throws {
        let file = path()
        _ = try ControllerLogStore(path: file, bootstrap: .empty)
        _ = try Database(path: file).execute("DELETE FROM raft_snapshot")
        var told: [Bool] = []
        _ = try ControllerLogStore(path: file) { hasLog in told.append(hasLog); return .empty }
        XCTAssertEqual(told, [false])
        XCTAssertEqual(try ControllerLogStore(path: file, bootstrap: Configuration(voters: [NodeID(3)])).snapshot.metadata.configuration, .empty,
                       "the empty membership was kept")
    }
}
