import Dispatch
import Foundation
@testable import SluiceBroker
import SluiceCore
import SluiceMeta
import SluiceRaft
import SluiceWire
import Synchronization
import XCTest

/// The offsets partitions apply on a thread of their own: the Raft thread hands the entries over
/// and goes on, and the proposers hear back only once the store holds their offsets.
final class OffsetsApplyTests: XCTestCase {
    private func store() throws -> OffsetStore {
        let directory = NSTemporaryDirectory() + "sluice-offsets-apply-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try OffsetStore(database: try MetadataStore(path: directory + "/meta.db").database)
    }

    private func entry(_ group: String, offset: Int64, index: Int64) throws -> Entry {
        let command = OffsetCommand.commit(group: group, offsets: [CommittedOffset(topic: "t", partition: 0, offset: offset, commitMillis: 1)])
        let batch = try RecordBatch.encode(records: [Record(offsetDelta: 0, key: Array(group.utf8), value: ControllerCommandCodec.encode([.offsets(command)]))],
                                           baseTimestamp: 1)
        return Entry(term: Term(1), lastIndex: LogIndex(index), indexCount: 1, data: batch)
    }

    /// A machine on a fresh store, applying on a thread of its own.
    private func machine() throws -> (OffsetsStateMachine, OffsetStore, OffsetsApplier) {
        let offsets = try store()
        let applier = OffsetsApplier()
        let tp = TopicPartition(topic: "__consumer_offsets", partition: PartitionID(0))
        return (OffsetsStateMachine(partition: tp, store: offsets, applier: applier), offsets, applier)
    }

    func testTheCallerGoesOnAndTheAnswerFollowsTheApply() throws {
        let (machine, offsets, applier) = try machine()
        defer { applier.stop() }
        // The apply thread is busy (a checkpoint, say): handing entries over must not wait for it.
        let release = DispatchSemaphore(value: 0)
        applier.submit { release.wait() }
        let answered = DispatchSemaphore(value: 0)
        let seen = Mutex<[Int64]?>(nil)
        let started = DispatchTime.now()
        machine.apply([try entry("g", offset: 41, index: 1), try entry("g", offset: 42, index: 2)]) { error in
            XCTAssertNil(error)
            seen.withLock { $0 = (try? offsets.offsets(group: "g"))?.map(\.offset) }
            answered.signal()
        }
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 0.5, "the caller waited for the apply thread")
        XCTAssertEqual(answered.wait(timeout: .now() + 0.2), .timedOut, "answered before the entries were applied")
        release.signal()
        XCTAssertEqual(answered.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(seen.withLock { $0 }, [42], "the answer came before the store held the commit")
        XCTAssertEqual(machine.appliedIndex, LogIndex(2))
    }

    /// Applies keep the order they were handed over in, across partitions sharing the thread.
    func testAppliesKeepTheirOrder() throws {
        let (machine, offsets, applier) = try machine()
        defer { applier.stop() }
        let order = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for index in 1...50 {
            machine.apply([try entry("g", offset: Int64(index), index: Int64(index))]) { _ in
                order.withLock { $0.append(index) }
                if index == 50 { done.signal() }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(order.withLock { $0 }, Array(1...50))
        XCTAssertEqual(try offsets.offsets(group: "g").map(\.offset), [50])
    }

    /// What waits for the apply thread is bounded: past the limit the caller waits until the
    /// thread has taken enough; an empty queue takes anything.
    func testTheQueueIsBounded() {
        let applier = OffsetsApplier(limitBytes: 1_000)
        defer { applier.stop() }
        let release = DispatchSemaphore(value: 0)
        applier.submit(bytes: 600) { release.wait() }
        let handedOver = DispatchSemaphore(value: 0)
        Thread {
            applier.submit(bytes: 600) {}
            handedOver.signal()
        }.start()
        XCTAssertEqual(handedOver.wait(timeout: .now() + 0.3), .timedOut, "1,200 bytes queued past a 1,000-byte limit")
        release.signal()
        XCTAssertEqual(handedOver.wait(timeout: .now() + 10), .success)
        let big = DispatchSemaphore(value: 0)
        applier.submit(bytes: 5_000) { big.signal() }
        XCTAssertEqual(big.wait(timeout: .now() + 10), .success, "one batch over the limit never went through")
    }
}
