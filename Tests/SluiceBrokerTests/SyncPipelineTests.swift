@testable import SluiceBroker
import XCTest

/// The order the Raft host keeps while logs are fsynced off its thread (`SyncPipeline`).
final class SyncPipelineTests: XCTestCase {
    private final class Disk {}
    private typealias Pipeline = SyncPipeline<String, Disk, String>

    func testAReadyTakesEffectOnlyOnceTheSyncCoveringItsWritesIsDone() {
        var pipeline = Pipeline()
        let a = Disk()
        XCTAssertNil(pipeline.written("a", into: a, item: "a1"))
        XCTAssertFalse(pipeline.isDurable("a"))
        guard let sync = pipeline.startSync() else { return XCTFail("a write awaits a sync") }
        XCTAssertTrue(sync.storages.first === a)
        XCTAssertNil(pipeline.startSync(), "one sync at a time")
        // Written while the sync runs: waits for the next one.
        XCTAssertNil(pipeline.written("a", into: a, item: "a2"))
        XCTAssertEqual(pipeline.syncFinished(sync.generation), ["a1"])
        XCTAssertFalse(pipeline.isDurable("a"))
        guard let next = pipeline.startSync() else { return XCTFail("a2 awaits a sync") }
        XCTAssertEqual(pipeline.syncFinished(next.generation), ["a2"])
        XCTAssertTrue(pipeline.isDurable("a"))
        XCTAssertNil(pipeline.startSync(), "nothing written since")
    }

    func testAReadyThatWroteNothingWaitsBehindItsGroupsEarlierOnes() {
        var pipeline = Pipeline()
        let a = Disk()
        XCTAssertNil(pipeline.written("a", into: a, item: "a1"))
        XCTAssertNil(pipeline.written("a", into: nil, item: "a2 (commit only)"))
        // Another group with nothing in flight takes effect at once.
        XCTAssertEqual(pipeline.written("b", into: nil, item: "b1"), "b1")
        guard let sync = pipeline.startSync() else { return XCTFail("no sync") }
        XCTAssertEqual(pipeline.syncFinished(sync.generation), ["a1", "a2 (commit only)"])
        XCTAssertEqual(pipeline.written("a", into: nil, item: "a3"), "a3")
    }

    /// The order a review found broken: group b's commit-only Ready queued behind a newer sync of
    /// group a must not be overtaken by b's next Ready once b's own writes are durable.
    func testAGroupsReadiesNeverOvertakeEachOtherAcrossGroups() {
        var pipeline = Pipeline()
        let a = Disk(), b = Disk()
        XCTAssertNil(pipeline.written("b", into: b, item: "b1 (writes E1)"))
        guard let first = pipeline.startSync() else { return XCTFail("no sync") }
        XCTAssertNil(pipeline.written("a", into: a, item: "a1"))
        XCTAssertNil(pipeline.written("b", into: nil, item: "b2 (commits E0)"))
        XCTAssertEqual(pipeline.syncFinished(first.generation), ["b1 (writes E1)", "b2 (commits E0)"])
        XCTAssertEqual(pipeline.written("b", into: nil, item: "b3 (commits E1)"), "b3 (commits E1)")
        guard let second = pipeline.startSync() else { return XCTFail("a1 awaits a sync") }
        XCTAssertEqual(pipeline.syncFinished(second.generation), ["a1"])
    }

    func testOneSyncCoversEveryStorageWrittenSinceTheLastBegan() {
        var pipeline = Pipeline()
        let disks = (0..<5).map { _ in Disk() }
        for (i, disk) in disks.enumerated() {
            XCTAssertNil(pipeline.written("g\(i)", into: disk, item: "g\(i)"))
            XCTAssertNil(pipeline.written("g\(i)", into: disk, item: "g\(i) again"))
        }
        guard let sync = pipeline.startSync() else { return XCTFail("no sync") }
        XCTAssertEqual(sync.storages.count, 5, "each storage once")
        XCTAssertEqual(pipeline.syncFinished(sync.generation).count, 10)
    }

    func testARemovedGroupsReadiesAreDroppedAndStoppingHandsOverWhatWasNotSynced() {
        var pipeline = Pipeline()
        let a = Disk(), b = Disk()
        XCTAssertNil(pipeline.written("a", into: a, item: "a1"))
        guard let sync = pipeline.startSync() else { return XCTFail("no sync") }
        pipeline.remove("a")
        XCTAssertEqual(pipeline.syncFinished(sync.generation), [])
        XCTAssertNil(pipeline.written("b", into: b, item: "b1"))
        // A removed group's last write, with nothing left to take effect, is still synced.
        pipeline.writtenWithoutEffect(into: a)
        let left = pipeline.takeUnsynced()
        XCTAssertEqual(left.count, 2)
        XCTAssertTrue(left.contains { $0 === b } && left.contains { $0 === a })
        XCTAssertNil(pipeline.startSync(), "handed over")
    }
}
