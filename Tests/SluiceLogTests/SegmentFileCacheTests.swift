import Foundation
import SluiceLog
import XCTest

/// Segment files are a budgeted resource: partitions × segments may exceed the descriptor limit.
final class SegmentFileCacheTests: XCTestCase {
    private func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// 40 partitions of 6 segments each (240 `.log` files) through a cache of 8: every record is
    /// still read back, and the process holds no more than the budget plus the segments whose
    /// writes wait for a sync.
    func testManyPartitionsAndSegmentsStayWithinTheBudget() throws {
        let cache = SegmentFileCache(capacity: 8)
        let before = openDescriptors()
        let config = LogConfig(segmentBytes: 400)
        var logs: [PartitionLog] = []
        for partition in 0..<40 {
            let log = try PartitionLog(directory: temporaryDirectory("budget-\(partition)"), config: config, files: cache)
            for round in 0..<6 {
                var batch = makeBatch(count: 4, tag: "p\(partition)r\(round)")
                try log.append(&batch)
            }
            try log.sync()
            XCTAssertGreaterThanOrEqual(log.segmentCount, 6)
            logs.append(log)
        }
        XCTAssertLessThanOrEqual(cache.statistics.open, 8)
        XCTAssertLessThanOrEqual(openDescriptors() - before, 8, "synced segments hold no descriptor beyond the budget")
        for (partition, log) in logs.enumerated() {
            let values = try readAll(log).map(\.1)
            XCTAssertEqual(values.count, 24)
            XCTAssertTrue(values[0].hasPrefix("p\(partition)r0#0|"), values[0])
            XCTAssertTrue(values[23].hasPrefix("p\(partition)r5#3|"), values[23])
        }
        XCTAssertLessThanOrEqual(openDescriptors() - before, 8)
        XCTAssertGreaterThan(cache.statistics.evictions, 0)
    }

    /// A write waiting for its sync keeps its file open past eviction, so the fsync goes through
    /// a descriptor that saw the write; after the sync the file may close.
    func testUnsyncedWritesKeepTheirFileUntilSynced() throws {
        let cache = SegmentFileCache(capacity: 2)
        let before = openDescriptors()
        var logs: [PartitionLog] = []
        for partition in 0..<6 {
            let log = try PartitionLog(directory: temporaryDirectory("unsynced-\(partition)"), config: LogConfig(), files: cache)
            var batch = makeBatch(count: 2, tag: "u\(partition)")
            try log.append(&batch)
            logs.append(log)
        }
        XCTAssertEqual(openDescriptors() - before, 6, "six logs with unsynced writes hold six files")
        for log in logs { XCTAssertEqual(try log.sync(), 2) }
        XCTAssertLessThanOrEqual(openDescriptors() - before, 2)
        for log in logs { XCTAssertEqual(log.flushedOffset, 2) }
    }

    /// Retention and a closed log give their descriptors back at once, so a deleted segment's
    /// space is freed without waiting for eviction.
    func testDeletedSegmentsAndClosedLogsReleaseTheirFiles() throws {
        let cache = SegmentFileCache(capacity: 100)
        let before = openDescriptors()
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(segmentBytes: 400, retentionBytes: 0, retentionMillis: -1), files: cache)
        for round in 0..<10 {
            var batch = makeBatch(count: 4, tag: "r\(round)")
            try log.append(&batch)
        }
        try log.sync()
        let segments = log.segmentCount
        XCTAssertGreaterThan(segments, 5)
        _ = try readAll(log)
        XCTAssertEqual(cache.statistics.open, segments)
        XCTAssertEqual(try log.applyRetention(), segments - 1)
        XCTAssertEqual(cache.statistics.open, 1, "only the active segment is left")
        try log.close()
        XCTAssertEqual(cache.statistics.open, 0)
        XCTAssertEqual(openDescriptors(), before)
    }

    /// A log reopened after a clean close reads its old segments through the cache.
    func testReopenedLogReadsThroughASmallCache() throws {
        let directory = temporaryDirectory()
        let cache = SegmentFileCache(capacity: 1)
        var log: PartitionLog? = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 300), files: cache)
        for round in 0..<8 {
            var batch = makeBatch(count: 3, tag: "c\(round)")
            try log?.append(&batch)
        }
        try log?.close()
        log = nil
        let reopened = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 300), files: cache)
        XCTAssertEqual(try readAll(reopened).count, 24)
        var more = makeBatch(count: 1, tag: "after")
        XCTAssertEqual(try reopened.append(&more).firstOffset, 24)
        try reopened.sync()
        XCTAssertLessThanOrEqual(cache.statistics.open, 1)
    }
}
