import Foundation
import SluiceCore
import SluiceLog
import SluiceWire
import XCTest

final class PartitionLogTests: XCTestCase {
    func testAppendAssignsOffsetsAndKeepsTheProducersBytes() throws {
        let directory = temporaryDirectory()
        let log = try PartitionLog(directory: directory, config: LogConfig())
        let original = makeBatch(count: 3, tag: "a", codec: .lz4)
        var first = original
        XCTAssertEqual(try log.append(&first, leaderEpoch: 4), .init(firstOffset: 0, lastOffset: 2, logEndOffset: 3))
        var second = makeBatch(count: 2, tag: "b")
        XCTAssertEqual(try log.append(&second).firstOffset, 3)
        XCTAssertEqual(log.logEndOffset, 5)

        // Bytes on disk: the producer's batch with only baseOffset and epoch changed; CRC untouched.
        let stored = try Data(contentsOf: URL(fileURLWithPath: directory + "/00000000000000000000.log"))
        XCTAssertEqual(Array(stored.prefix(original.count))[8..<12], original[8..<12])
        XCTAssertEqual(Array(stored.prefix(original.count))[16...], original[16...])
        XCTAssertEqual(Array(stored[12..<16]), [0, 0, 0, 4])
        XCTAssertEqual(try readAll(log).map(\.1), ["a#0|", "a#1|", "a#2|", "b#0|", "b#1|"].map { $0 + String(repeating: "x", count: 35) })
        XCTAssertEqual(try readAll(log).map(\.0), [0, 1, 2, 3, 4])
    }

    func testReadReturnsWholeBatchesWithinMaxBytesButAlwaysOne() throws {
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig())
        var sizes: [Int] = []
        for index in 0..<10 {
            var batch = makeBatch(count: 2, tag: "r\(index)", valueBytes: 200)
            sizes.append(batch.count)
            try log.append(&batch)
        }
        let slice = try XCTUnwrap(try log.read(from: 5, maxBytes: sizes[0] * 2 + 10))
        XCTAssertEqual(slice.firstOffset, 4, "starts at the batch holding offset 5")
        XCTAssertEqual(slice.length, sizes[2] + sizes[3])
        let tiny = try XCTUnwrap(try log.read(from: 0, maxBytes: 1))
        XCTAssertEqual(tiny.length, sizes[0], "the first batch is returned whole even above maxBytes")
        XCTAssertNil(try log.read(from: 20, maxBytes: 1000), "nothing at the log end yet")
        XCTAssertThrowsError(try log.read(from: 21, maxBytes: 1000))
        let limited = try XCTUnwrap(try log.read(from: 0, maxBytes: 1 << 20, limitOffset: 6))
        XCTAssertEqual(try offsetsAndValues(try limited.bytes()).last?.0, 5, "never past the high watermark")
        XCTAssertNil(try log.read(from: 6, maxBytes: 1 << 20, limitOffset: 6))
    }

    func testSegmentsRollBySizeAndByAgeWithTwentyDigitNames() throws {
        let clock = ManualClock()
        let directory = temporaryDirectory()
        let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 1000, segmentMillis: 60_000), clock: clock)
        for index in 0..<10 {
            var batch = makeBatch(count: 1, tag: "s\(index)", valueBytes: 300)
            try log.append(&batch)
        }
        XCTAssertGreaterThan(log.segmentCount, 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }.sorted()
        XCTAssertEqual(names.first, "00000000000000000000.log")
        XCTAssertTrue(names.allSatisfy { $0.count == 24 })
        let before = log.segmentCount
        clock.advance(millis: 61_000)
        var batch = makeBatch(count: 1, tag: "late", valueBytes: 10)
        try log.append(&batch)
        XCTAssertEqual(log.segmentCount, before + 1, "an old active segment rolls on the next append")
        clock.advance(millis: 61_000)
        try log.rollIfDue()
        XCTAssertEqual(log.segmentCount, before + 2, "and on an idle partition too")
        XCTAssertEqual(try readAll(log).count, 11)
    }

    func testAnAppendSpanningMoreOffsetsThanASegmentAddressesRollsBetweenItsBatches() throws {
        let directory = temporaryDirectory()
        let count: Int32 = 38_347_922  // the most records a batch may declare (256 MiB / 7 bytes)
        let end = 120 * Int64(count)
        do {
            let log = try PartitionLog(directory: directory, config: LogConfig())
            var batches = (0..<120).flatMap { _ in claimedBatch(count: count) }
            XCTAssertEqual(try log.append(&batches), .init(firstOffset: 0, lastOffset: end - 1, logEndOffset: end))
            let bases = log.segmentBaseOffsets
            XCTAssertGreaterThan(bases.count, 1)
            for (base, next) in zip(bases, bases.dropFirst() + [end]) {
                XCTAssertLessThanOrEqual(next - 1 - base, Int64(UInt32.max), "segment \(base) holds offsets its index cannot address")
            }
            try log.sync()
        }
        let reopened = try PartitionLog(directory: directory, config: LogConfig())
        XCTAssertEqual(reopened.logEndOffset, end)
        XCTAssertEqual(try reopened.batchHeader(containing: end - 1)?.baseOffset, end - Int64(count))
    }

    func testOffsetForTimestampFindsTheFirstRecordAtOrAfter() throws {
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(segmentBytes: 2000, indexIntervalBytes: 100))
        for index in 0..<50 {
            // Each batch has 4 records at base + 0, 1, 2, 3 ms; batches are 10 ms apart.
            var batch = makeBatch(count: 4, tag: "t\(index)", timestamp: 1_000_000 + Int64(index) * 10)
            try log.append(&batch)
        }
        XCTAssertEqual(try log.offset(forTimestamp: 0), 0)
        XCTAssertEqual(try log.offset(forTimestamp: 1_000_000), 0)
        XCTAssertEqual(try log.offset(forTimestamp: 1_000_002), 2)
        XCTAssertEqual(try log.offset(forTimestamp: 1_000_004), 4, "between batches: the next batch's first record")
        XCTAssertEqual(try log.offset(forTimestamp: 1_000_253), 25 * 4 + 3)
        XCTAssertEqual(try log.offset(forTimestamp: 1_000_493), 199)
        XCTAssertNil(try log.offset(forTimestamp: 1_000_494))
    }

    func testRetentionDeletesWholeSegmentsByBytesAndByTime() throws {
        let clock = ManualClock()
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(segmentBytes: 1000, retentionBytes: 2500, retentionMillis: -1), clock: clock)
        for index in 0..<20 {
            var batch = makeBatch(count: 1, tag: "x\(index)", valueBytes: 300, timestamp: clock.nowMillis())
            try log.append(&batch)
        }
        let sizeBefore = log.sizeBytes
        XCTAssertGreaterThan(try log.applyRetention(), 0)
        XCTAssertLessThan(log.sizeBytes, sizeBefore)
        XCTAssertGreaterThanOrEqual(log.sizeBytes, 2500 - 1000, "only whole segments go")
        XCTAssertEqual(log.logStartOffset, log.segmentBaseOffsets[0])
        XCTAssertThrowsError(try log.read(from: 0, maxBytes: 100)) { error in
            guard case StorageError.offsetOutOfRange = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try readAll(log).first?.0, log.logStartOffset)

        var config = log.config
        config.retentionBytes = -1
        config.retentionMillis = 60_000
        log.update(config: config)
        clock.advance(millis: 120_000)
        var fresh = makeBatch(count: 1, tag: "new", timestamp: clock.nowMillis())
        try log.append(&fresh)
        try log.applyRetention()
        XCTAssertEqual(log.segmentCount, 1, "every expired segment but the active one")
        XCTAssertEqual(try readAll(log).last?.1.hasPrefix("new#0"), true)
    }

    func testDeleteRecordsMovesTheLogStartAndSurvivesReopen() throws {
        let directory = temporaryDirectory()
        var log: PartitionLog? = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 600))
        for index in 0..<10 {
            var batch = makeBatch(count: 2, tag: "d\(index)", valueBytes: 100)
            try log?.append(&batch)
        }
        XCTAssertEqual(try log?.deleteRecords(before: 7), 7)
        XCTAssertEqual(try log.map { try readAll($0).first?.0 }, 7)
        try log?.close()
        log = nil
        let reopened = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 600))
        XCTAssertEqual(reopened.logStartOffset, 7)
        XCTAssertEqual(reopened.logEndOffset, 20)
    }

    func testFlushPolicies() throws {
        let everyAppend = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(flushPolicy: .everyAppend))
        var batch = makeBatch(count: 3, tag: "f")
        try everyAppend.append(&batch)
        XCTAssertEqual(everyAppend.flushedOffset, 3)

        let oneRecordBytes = makeBatch(count: 1, tag: "g").count
        let everyBytes = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(flushPolicy: .everyBytes(oneRecordBytes * 3)))
        for _ in 0..<2 { var b = makeBatch(count: 1, tag: "g"); try everyBytes.append(&b) }
        XCTAssertEqual(everyBytes.flushedOffset, 0)
        for _ in 0..<3 { var b = makeBatch(count: 1, tag: "g"); try everyBytes.append(&b) }
        XCTAssertGreaterThanOrEqual(everyBytes.flushedOffset, 3)

        let clock = ManualClock()
        let everyMillis = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(flushPolicy: .everyMillis(50)), clock: clock)
        var c = makeBatch(count: 1, tag: "h")
        try everyMillis.append(&c)
        try everyMillis.flushIfDue()
        XCTAssertEqual(everyMillis.flushedOffset, 0)
        clock.advance(millis: 60)
        try everyMillis.flushIfDue()
        XCTAssertEqual(everyMillis.flushedOffset, 1)

        let manual = try PartitionLog(directory: temporaryDirectory(), config: LogConfig())
        var d = makeBatch(count: 5, tag: "m")
        try manual.append(&d)
        XCTAssertEqual(manual.flushedOffset, 0)
        XCTAssertEqual(try manual.sync(), 5)
    }

    func testConcurrentAppendersShareSyncsAndEveryAppendIsCovered() throws {
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig())
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<50 {
                var batch = makeBatch(count: 1, tag: "w\(worker)-\(index)")
                do {
                    let result = try log.append(&batch)
                    let flushed = try log.sync()
                    if flushed <= result.lastOffset { failures.record("sync returned \(flushed) before \(result.lastOffset)") }
                } catch { failures.record("\(error)") }
            }
        }
        XCTAssertEqual(failures.messages, [])
        XCTAssertEqual(log.flushedOffset, 400)
        XCTAssertEqual(Set(try readAll(log).map(\.1)).count, 400)
    }

    /// A sync runs its fdatasync outside the log's lock; a truncate landing meanwhile must not be
    /// undone by the sync marking the old end durable (appends below it would then count as
    /// durable without an fsync). Raced many times: after each round the durable mark is within the log.
    func testASyncRacingATruncateNeverMarksTheCutTailDurable() throws {
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig())
        let failures = Failures()
        for round in 0..<200 {
            let start = log.logEndOffset
            for index in 0..<4 {
                var batch = makeBatch(count: 5, tag: "r\(round)-\(index)")
                try log.append(&batch)
            }
            let syncing = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                do { try log.sync() } catch { failures.record("\(error)") }
                syncing.signal()
            }
            try log.truncate(toOffset: start + 5 * Int64(round % 4))
            syncing.wait()
            if log.flushedOffset > log.logEndOffset {
                failures.record("round \(round): durable mark \(log.flushedOffset) beyond the log end \(log.logEndOffset)")
            }
            var next = makeBatch(count: 1, tag: "after-\(round)")
            let appended = try log.append(&next)
            if log.flushedOffset > appended.firstOffset {
                failures.record("round \(round): the append after the cut counts as durable before any fsync")
            }
            if try log.sync() <= appended.lastOffset { failures.record("round \(round): the append after the cut was not synced") }
        }
        XCTAssertEqual(failures.messages, [])
    }

    func testACorruptBatchOfferedForAppendIsRejectedAndLosesNothing() throws {
        let log = try PartitionLog(directory: temporaryDirectory(), config: LogConfig(maxBatchBytes: 4096))
        var good = makeBatch(count: 2, tag: "ok")
        try log.append(&good)
        var bad = makeBatch(count: 2, tag: "bad")
        bad[bad.count - 1] ^= 0xFF
        XCTAssertThrowsError(try log.append(&bad)) { error in
            guard case StorageError.invalidBatch(.crcMismatch) = error else { return XCTFail("\(error)") }
        }
        var huge = makeBatch(count: 1, tag: "big", valueBytes: 5000)
        XCTAssertThrowsError(try log.append(&huge)) { error in
            guard case StorageError.invalidBatch(.lengthTooLarge) = error else { return XCTFail("\(error)") }
        }
        var twoWithBadSecond = makeBatch(count: 1, tag: "p") + Array(makeBatch(count: 1, tag: "q").prefix(30))
        XCTAssertThrowsError(try log.append(&twoWithBadSecond))
        XCTAssertEqual(log.logEndOffset, 2)
        XCTAssertEqual(try readAll(log).count, 2)
    }
}

/// Collects failures from worker threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func record(_ message: String) { lock.lock(); list.append(message); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
