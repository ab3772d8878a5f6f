import Foundation
import SluiceBroker
import SluiceMeta
import Synchronization
import XCTest

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let millis = Atomic<Int64>(1_000_000)
    var now: Int64 { millis.load(ordering: .relaxed) }
    func advance(_ delta: Int64) { millis.add(delta, ordering: .relaxed) }
}

/// Collects callback results delivered on any thread.
final class Box<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ new: T) { value.withLock { $0 = new } }
    var get: T? { value.withLock { $0 } }
}

/// The tests' writer answers at once, so the completions have run when these return.
private extension GroupCoordinator {
    func commit(groupID: String, generationID: Int32, memberID: String, groupInstanceID: String?, offsets: [CommittedOffset]) -> KafkaError {
        let box = Box<KafkaError>()
        commit(groupID: groupID, generationID: generationID, memberID: memberID, groupInstanceID: groupInstanceID, offsets: offsets) { box.set($0) }
        return box.get ?? .unknownServerError
    }

    func delete(groupID: String) -> KafkaError {
        let box = Box<KafkaError>()
        delete(groupID: groupID) { box.set($0) }
        return box.get ?? .unknownServerError
    }
}

final class GroupCoordinatorTests: XCTestCase {
    private let clock = TestClock()

    private func makeCoordinator(path: String? = nil, retentionMillis: Int64 = 7 * 24 * 3_600_000) throws -> GroupCoordinator {
        let file = path ?? NSTemporaryDirectory() + "sluice-groups-\(UUID().uuidString.prefix(8)).db"
        var settings = GroupCoordinator.Settings()
        settings.initialRebalanceDelayMillis = 3_000
        settings.offsetsRetentionMillis = retentionMillis
        let clock = self.clock
        let store = try OffsetStore(database: Database(path: file))
        let coordinator = try GroupCoordinator(settings: settings, offsets: store, now: { clock.now })
        // What the offsets partition's state machine does once the entry commits, done at once.
        coordinator.replicateOffsets { command, done in
            done((try? store.database.transaction { tx in try OffsetStore.apply(command, in: tx) }) != nil)
        }
        return coordinator
    }

    private func request(_ member: String = "", instance: String? = nil, metadata: [UInt8] = [1], protocols: [String] = ["range"]) -> GroupCoordinator.JoinRequest {
        .init(groupID: "g", sessionTimeoutMillis: 10_000, rebalanceTimeoutMillis: 30_000, memberID: member, groupInstanceID: instance,
              protocolType: "consumer", protocols: protocols.map { ($0, metadata) }, clientID: "client", clientHost: "/127.0.0.1",
              requiresKnownMemberID: true)
    }

    private func join(_ coordinator: GroupCoordinator, _ request: GroupCoordinator.JoinRequest) -> Box<JoinResult> {
        let box = Box<JoinResult>()
        coordinator.join(request) { box.set($0) }
        return box
    }

    /// A dynamic member: MEMBER_ID_REQUIRED first, then the real join.
    private func joinDynamic(_ coordinator: GroupCoordinator) throws -> (id: String, box: Box<JoinResult>) {
        let first = try XCTUnwrap(join(coordinator, request()).get)
        XCTAssertEqual(first.error, .memberIDRequired)
        XCTAssertFalse(first.memberID.isEmpty)
        return (first.memberID, join(coordinator, request(first.memberID)))
    }

    private func sync(_ coordinator: GroupCoordinator, _ member: String, generation: Int32, assignments: [String: [UInt8]] = [:]) -> Box<SyncResult> {
        let box = Box<SyncResult>()
        coordinator.sync(groupID: "g", generationID: generation, memberID: member, groupInstanceID: nil, assignments: assignments) { box.set($0) }
        return box
    }

    func testJoinIsHeldUntilTheInitialDelayThenTheLeaderGetsTheMemberList() throws {
        let coordinator = try makeCoordinator()
        let (a, aBox) = try joinDynamic(coordinator)
        XCTAssertNil(aBox.get, "held while the group waits for more members")
        let (b, bBox) = try joinDynamic(coordinator)
        coordinator.tick()
        XCTAssertNil(bBox.get)
        clock.advance(3_100)
        coordinator.tick()
        let leader = try XCTUnwrap(aBox.get)
        let follower = try XCTUnwrap(bBox.get)
        XCTAssertEqual(leader.error, .none)
        XCTAssertEqual(leader.generationID, 1)
        XCTAssertEqual(leader.leaderID, a)
        XCTAssertEqual(Set(leader.members.map(\.memberID)), [a, b])
        XCTAssertEqual(follower.members, [], "only the leader gets the member list")
        XCTAssertEqual(follower.protocolName, "range")
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .completingRebalance)

        let followerSync = sync(coordinator, b, generation: 1)
        XCTAssertNil(followerSync.get, "a follower's sync waits for the leader")
        let leaderSync = sync(coordinator, a, generation: 1, assignments: [a: [0xA], b: [0xB]])
        XCTAssertEqual(leaderSync.get?.assignment, [0xA])
        XCTAssertEqual(followerSync.get?.assignment, [0xB])
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .stable)
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: b, groupInstanceID: nil), .none)
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 0, memberID: b, groupInstanceID: nil), .illegalGeneration)
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: "stranger", groupInstanceID: nil), .unknownMemberID)
    }

    private func stableGroup(_ coordinator: GroupCoordinator) throws -> (a: String, b: String) {
        let (a, aBox) = try joinDynamic(coordinator)
        let (b, _) = try joinDynamic(coordinator)
        clock.advance(3_100)
        coordinator.tick()
        XCTAssertNotNil(aBox.get)
        _ = sync(coordinator, b, generation: 1)
        _ = sync(coordinator, a, generation: 1, assignments: [a: [1], b: [2]])
        return (a, b)
    }

    func testANewMemberTriggersARebalanceThroughHeartbeats() throws {
        let coordinator = try makeCoordinator()
        let (a, b) = try stableGroup(coordinator)
        let (c, cBox) = try joinDynamic(coordinator)
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: a, groupInstanceID: nil), .rebalanceInProgress)
        XCTAssertEqual(sync(coordinator, a, generation: 1).get?.error, .rebalanceInProgress)
        let aBox = join(coordinator, request(a))
        XCTAssertNil(cBox.get, "still waiting for b")
        let bBox = join(coordinator, request(b))
        XCTAssertEqual(cBox.get?.generationID, 2)
        XCTAssertEqual(aBox.get?.members.count, 3, "the old leader stays leader")
        XCTAssertEqual(bBox.get?.error, KafkaError.none)
        XCTAssertEqual(coordinator.describe(groupID: "g")?.members.count, 3)
        _ = c
    }

    func testAMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() throws {
        let coordinator = try makeCoordinator()
        let (a, b) = try stableGroup(coordinator)
        for _ in 0..<12 {
            clock.advance(1_000)
            XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: a, groupInstanceID: nil) == .none ||
                           coordinator.describe(groupID: "g")?.state == .preparingRebalance, true)
            coordinator.tick()
        }
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .preparingRebalance, "b's session expired")
        XCTAssertEqual(coordinator.describe(groupID: "g")?.members.map(\.memberID), [a])
        let rejoin = join(coordinator, request(a))
        XCTAssertEqual(rejoin.get?.generationID, 2)
        XCTAssertEqual(rejoin.get?.members.map(\.memberID), [a])
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: b, groupInstanceID: nil), .unknownMemberID)
    }

    func testLeavingMembersRebalanceAndTheLastOneEmptiesTheGroup() throws {
        let coordinator = try makeCoordinator()
        let (a, b) = try stableGroup(coordinator)
        XCTAssertEqual(coordinator.leave(groupID: "g", members: [(b, nil)]).1, [.none])
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .preparingRebalance)
        XCTAssertEqual(join(coordinator, request(a)).get?.generationID, 2)
        XCTAssertEqual(coordinator.leave(groupID: "g", members: [(a, nil)]).1, [.none])
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .empty)
        XCTAssertEqual(coordinator.leave(groupID: "g", members: [(a, nil)]).1, [.unknownMemberID])
    }

    func testAStaticMemberRejoiningWithTheSameMetadataCausesNoRebalance() throws {
        let coordinator = try makeCoordinator()
        let first = join(coordinator, request(instance: "worker-1"))
        let second = join(coordinator, request(instance: "worker-2"))
        clock.advance(3_100)
        coordinator.tick()
        let leader = try XCTUnwrap(first.get)
        let other = try XCTUnwrap(second.get)
        XCTAssertEqual(leader.error, .none, "static members join without MEMBER_ID_REQUIRED")
        _ = sync(coordinator, other.memberID, generation: 1)
        _ = sync(coordinator, leader.memberID, generation: 1, assignments: [leader.memberID: [7], other.memberID: [8]])

        // worker-2 restarts with an empty member id.
        let rejoined = try XCTUnwrap(join(coordinator, request(instance: "worker-2")).get)
        XCTAssertEqual(rejoined.error, .none)
        XCTAssertEqual(rejoined.generationID, 1, "same generation: no rebalance")
        XCTAssertNotEqual(rejoined.memberID, other.memberID)
        XCTAssertEqual(coordinator.describe(groupID: "g")?.state, .stable)
        let assignment = sync(coordinator, rejoined.memberID, generation: 1)
        XCTAssertEqual(assignment.get?.assignment, [8], "it gets its old assignment back")
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: other.memberID, groupInstanceID: "worker-2"), .fencedInstanceID)
        XCTAssertEqual(coordinator.heartbeat(groupID: "g", generationID: 1, memberID: leader.memberID, groupInstanceID: "worker-1"), .none)
    }

    func testIncompatibleProtocolsAreRefused() throws {
        let coordinator = try makeCoordinator()
        _ = try stableGroup(coordinator)
        let result = try XCTUnwrap(join(coordinator, request(protocols: ["roundrobin-only"])).get)
        XCTAssertEqual(result.error, .inconsistentGroupProtocol)
        var bad = request()
        bad.sessionTimeoutMillis = 10
        XCTAssertEqual(join(coordinator, bad).get?.error, .invalidSessionTimeout)
    }

    func testCommitsAreValidatedStoredAndSurviveARestart() throws {
        let path = NSTemporaryDirectory() + "sluice-groups-\(UUID().uuidString.prefix(8)).db"
        do {
            let coordinator = try makeCoordinator(path: path)
            let now = clock.now
            // An assign()-mode consumer: generation -1, no member, empty group.
            XCTAssertEqual(coordinator.commit(groupID: "simple", generationID: -1, memberID: "", groupInstanceID: nil,
                                              offsets: [CommittedOffset(topic: "t", partition: 0, offset: 42, metadata: "m", commitMillis: now)]), .none)
            let (a, _) = try stableGroup(coordinator)
            XCTAssertEqual(coordinator.commit(groupID: "g", generationID: 1, memberID: a, groupInstanceID: nil,
                                              offsets: [CommittedOffset(topic: "t", partition: 1, offset: 7, commitMillis: now)]), .none)
            XCTAssertEqual(coordinator.commit(groupID: "g", generationID: 0, memberID: a, groupInstanceID: nil, offsets: []), .illegalGeneration)
            XCTAssertEqual(coordinator.commit(groupID: "g", generationID: -1, memberID: "", groupInstanceID: nil, offsets: []), .unknownMemberID,
                           "simple commits only for empty groups")
            XCTAssertEqual(coordinator.delete(groupID: "g"), .nonEmptyGroup)
        }
        let restarted = try makeCoordinator(path: path)
        XCTAssertEqual(try restarted.committed(groupID: "simple", topics: nil).map(\.offset), [42])
        XCTAssertEqual(try restarted.committed(groupID: "simple", topics: nil).first?.metadata, "m")
        XCTAssertEqual(try restarted.committed(groupID: "g", topics: ["t"]).map(\.offset), [7])
        XCTAssertEqual(Set(restarted.list().map(\.groupID)), ["g", "simple"], "groups with commits are listed after a restart")
        XCTAssertEqual(restarted.delete(groupID: "simple"), .none)
        XCTAssertEqual(try restarted.committed(groupID: "simple", topics: nil), [])
        XCTAssertEqual(restarted.delete(groupID: "simple"), .groupIDNotFound)
    }

    func testOffsetsOfEmptyGroupsExpire() throws {
        let coordinator = try makeCoordinator(retentionMillis: 60_000)
        XCTAssertEqual(coordinator.commit(groupID: "old", generationID: -1, memberID: "", groupInstanceID: nil,
                                          offsets: [CommittedOffset(topic: "t", partition: 0, offset: 1, commitMillis: clock.now)]), .none)
        clock.advance(30_000)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "old", topics: nil).count, 1)
        clock.advance(31_000)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "old", topics: nil).count, 0)
        XCTAssertNil(coordinator.describe(groupID: "old"))
    }

    /// A coordinator over `store` at the test clock, its offsets expiring after `retentionMillis`.
    private func coordinator(over store: OffsetStore, retentionMillis: Int64) throws -> GroupCoordinator {
        var settings = GroupCoordinator.Settings()
        settings.offsetsRetentionMillis = retentionMillis
        let clock = self.clock
        return try GroupCoordinator(settings: settings, offsets: store, now: { clock.now })
    }

    /// A store holding `group`'s commit made now, written to SQLite (what a restart finds).
    private func storeWithCommit(of group: String) throws -> OffsetStore {
        let file = NSTemporaryDirectory() + "sluice-groups-\(UUID().uuidString.prefix(8)).db"
        let store = try OffsetStore(database: Database(path: file))
        let commit = OffsetCommand.commit(group: group, offsets: [CommittedOffset(topic: "t", partition: 0, offset: 1, commitMillis: clock.now)])
        try store.applyReplicated([([commit], 1)], partition: "p")
        try store.flush()
        return store
    }

    /// After a restart the map is built from SQLite before the offsets logs replay: a commit the
    /// replay brings back (staged in the store) keeps the group from expiring on its older commit,
    /// and a node that does not coordinate the group expires nothing.
    func testExpiryGoesByTheStoreAndOnlyOnTheCoordinator() throws {
        let store = try storeWithCommit(of: "g")
        let coordinator = try coordinator(over: store, retentionMillis: 60_000)
        let coordinating = Atomic<Bool>(false)
        coordinator.replicateOffsets(through: { command, done in
            done((try? store.applyReplicated([([command], 100)], partition: "p")) != nil)
        }, coordinates: { _ in coordinating.load(ordering: .relaxed) })
        clock.advance(50_000)
        // The replay: a commit made before the restart, newer than what SQLite held.
        let replayed = OffsetCommand.commit(group: "g", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 2, commitMillis: clock.now)])
        try store.applyReplicated([([replayed], 2)], partition: "p")
        clock.advance(20_000)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "g", topics: nil).map(\.offset), [2], "not coordinating: nothing expires")
        coordinating.store(true, ordering: .relaxed)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "g", topics: nil).map(\.offset), [2], "the replayed commit is 20 s old")
        XCTAssertNotNil(coordinator.describe(groupID: "g"))
        clock.advance(41_000)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "g", topics: nil), [])
        XCTAssertNil(coordinator.describe(groupID: "g"))
    }

    /// A group known only from the store counts as empty from the restart: its consumers may
    /// commit rarely (a quiet topic) and be about to rejoin, so an old last commit alone does
    /// not expire it.
    func testARestoredGroupCountsAsEmptyFromTheRestart() throws {
        let store = try storeWithCommit(of: "quiet")
        clock.advance(8 * 24 * 3_600_000)
        let coordinator = try coordinator(over: store, retentionMillis: 7 * 24 * 3_600_000)
        coordinator.replicateOffsets(through: { command, done in
            done((try? store.applyReplicated([([command], 100)], partition: "p")) != nil)
        }, coordinates: { _ in true })
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "quiet", topics: nil).map(\.offset), [1], "expired at the restart")
        clock.advance(7 * 24 * 3_600_000 + 1)
        coordinator.tick()
        XCTAssertEqual(try coordinator.committed(groupID: "quiet", topics: nil), [], "a retention after the restart")
    }

    /// A group this node knew before it coordinated (from the store at start, or a term that
    /// ended) restarts its clock too when the node starts coordinating it.
    func testAdoptingAKnownGroupRestartsItsClock() throws {
        let store = try storeWithCommit(of: "known")
        let coordinator = try coordinator(over: store, retentionMillis: 60_000)
        let deletes = Mutex(0)
        coordinator.replicateOffsets(through: { command, done in
            if case .deleteGroup = command { deletes.withLock { $0 += 1 } }
            done(true)
        }, coordinates: { _ in true })
        clock.advance(61_000)
        coordinator.adoptStoredGroups(where: { _ in true }, coordinatingSince: clock.now)
        coordinator.tick()
        XCTAssertEqual(deletes.withLock { $0 }, 0, "expired on the clock of the node's start")
        clock.advance(61_000)
        coordinator.tick()
        XCTAssertEqual(deletes.withLock { $0 }, 1)
    }

    /// A commit to an Empty group restarts its expiry clock when it is accepted, not when it
    /// applies: an expiry deciding while the commit is in flight must not delete behind it. A
    /// commit with no partitions appends nothing.
    func testACommitInFlightHoldsOffExpiryAndAnEmptyOneAppendsNothing() throws {
        let store = try storeWithCommit(of: "g")
        let coordinator = try coordinator(over: store, retentionMillis: 60_000)
        let proposed = Mutex<[OffsetCommand]>([])
        coordinator.replicateOffsets(through: { command, _ in proposed.withLock { $0.append(command) } }, coordinates: { _ in true })
        clock.advance(61_000)
        coordinator.commit(groupID: "g", generationID: -1, memberID: "", groupInstanceID: nil,
                           offsets: [CommittedOffset(topic: "t", partition: 0, offset: 2, commitMillis: clock.now)]) { _ in }
        coordinator.tick()
        XCTAssertEqual(proposed.withLock { $0.count }, 1, "only the commit: no delete behind it")
        let answered = Box<KafkaError>()
        coordinator.commit(groupID: "g", generationID: -1, memberID: "", groupInstanceID: nil, offsets: []) { answered.set($0) }
        XCTAssertEqual(answered.get, KafkaError.none)
        XCTAssertEqual(proposed.withLock { $0.count }, 1, "an empty commit was appended")
    }

    /// A group whose commits reached the store only after the map was built (replayed, or made
    /// while another node coordinated) is taken in once this node coordinates its partition.
    func testACoordinatorAdoptsGroupsItDidNotKnow() throws {
        let file = NSTemporaryDirectory() + "sluice-groups-\(UUID().uuidString.prefix(8)).db"
        let store = try OffsetStore(database: Database(path: file))
        let clock = self.clock
        let coordinator = try GroupCoordinator(settings: GroupCoordinator.Settings(), offsets: store, now: { clock.now })
        let commit = { (group: String, millis: Int64) in
            OffsetCommand.commit(group: group, offsets: [CommittedOffset(topic: "t", partition: 0, offset: 1, commitMillis: millis)])
        }
        try store.applyReplicated([([commit("mine", clock.now - 5_000), commit("other", clock.now)], 1)], partition: "p")
        XCTAssertNil(coordinator.describe(groupID: "mine"))
        coordinator.adoptStoredGroups(where: { $0 == "mine" }, coordinatingSince: clock.now)
        XCTAssertEqual(coordinator.describe(groupID: "mine")?.state, .empty)
        XCTAssertNil(coordinator.describe(groupID: "other"), "another partition's group")
    }

    /// A group known here as Empty from an earlier term, deleted while another node coordinated
    /// it, is gone from the store: adopting the partition drops it, not another partition's.
    func testAdoptionDropsAnEmptyGroupTheStoreNoLongerHas() throws {
        let store = try storeWithCommit(of: "deleted")
        let commit = OffsetCommand.commit(group: "elsewhere", offsets: [CommittedOffset(topic: "t", partition: 0, offset: 1, commitMillis: clock.now)])
        try store.applyReplicated([([commit], 2)], partition: "p")
        let coordinator = try coordinator(over: store, retentionMillis: 60_000)
        XCTAssertEqual(Set(coordinator.list().map(\.groupID)), ["deleted", "elsewhere"])
        try store.applyReplicated([([.deleteGroup(group: "deleted"), .deleteGroup(group: "elsewhere"), .deleteGroup(group: "fresh")], 3)], partition: "p")
        clock.advance(1_000)
        // A standalone commit accepted since this node coordinates, not applied yet.
        coordinator.commit(groupID: "fresh", generationID: -1, memberID: "", groupInstanceID: nil, offsets: []) { _ in }
        coordinator.adoptStoredGroups(where: { $0 == "deleted" || $0 == "fresh" }, coordinatingSince: clock.now - 500)
        XCTAssertNil(coordinator.describe(groupID: "deleted"))
        XCTAssertEqual(coordinator.describe(groupID: "fresh")?.state, .empty, "touched since this node coordinates")
        XCTAssertEqual(coordinator.describe(groupID: "elsewhere")?.state, .empty, "not this partition's to drop")
    }

    func testBadGroupInputGetsTheRightErrors() throws {
        let coordinator = try makeCoordinator()
        var empty = request()
        empty.groupID = ""
        XCTAssertEqual(join(coordinator, empty).get?.error, .invalidGroupID)
        var long = request()
        long.groupID = String(repeating: "g", count: 300)
        XCTAssertEqual(join(coordinator, long).get?.error, .invalidGroupID)
        XCTAssertEqual(join(coordinator, request(metadata: Array(repeating: 7, count: 2 << 20))).get?.error, .invalidRequest, "oversized member metadata")
        XCTAssertEqual(join(coordinator, request("never-joined")).get?.error, .unknownMemberID, "unknown group with a member id")
        XCTAssertEqual(coordinator.heartbeat(groupID: "nope", generationID: 1, memberID: "m", groupInstanceID: nil), .unknownMemberID)
        XCTAssertEqual(sync(coordinator, "m", generation: 1).get?.error, .unknownMemberID)
        let (a, _) = try stableGroup(coordinator)
        XCTAssertEqual(sync(coordinator, a, generation: 7).get?.error, .illegalGeneration)
    }

    func testThousandsOfJoinsFromOneClientStopAtTheGroupSizeLimit() throws {
        var settings = GroupCoordinator.Settings()
        settings.maxGroupSize = 50
        let clock = self.clock
        let coordinator = try GroupCoordinator(settings: settings, offsets: OffsetStore(database: Database(path: NSTemporaryDirectory() + "sluice-groups-\(UUID().uuidString.prefix(8)).db")),
                                               now: { clock.now })
        var refused = 0
        for _ in 0..<5_000 {
            let result = join(coordinator, request()).get
            if result?.error == .groupMaxSizeReached { refused += 1 } else { XCTAssertEqual(result?.error, .memberIDRequired) }
        }
        XCTAssertEqual(refused, 5_000 - 50, "pending member ids count toward group.max.size")
        // Clients that never came back are forgotten after their session timeout.
        clock.advance(11_000)
        coordinator.tick()
        XCTAssertEqual(join(coordinator, request()).get?.error, .memberIDRequired)
    }
}
