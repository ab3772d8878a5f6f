import Foundation
import SluiceCore
import SluiceLog
import SluiceWire
import XCTest

/// Crash safety: what an unclean stop leaves behind is recovered to exactly the valid prefix.
/// An unclean stop is modelled by dropping the log without `close()`, then damaging files.
final class RecoveryTests: XCTestCase {
    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    private func truncateFile(_ path: String, to length: Int) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    /// (a) For every byte position inside the last batch, cut the file there and reopen.
    func testEveryTornTailIsCutBackToTheLastWholeBatch() throws {
        let template = temporaryDirectory()
        do {
            let log = try PartitionLog(directory: template, config: LogConfig())
            for index in 0..<3 { var b = makeBatch(count: 3, tag: "keep\(index)", codec: .lz4); try log.append(&b) }
            var last = makeBatch(count: 4, tag: "torn", valueBytes: 120, codec: .lz4)
            try log.append(&last)
            try log.sync()
        }
        let segment = template + "/00000000000000000000.log"
        let total = try fileSize(segment)
        let lastBatchBytes = makeBatch(count: 4, tag: "torn", valueBytes: 120, codec: .lz4).count
        let lastStart = total - lastBatchBytes
        for cut in lastStart..<total {
            let directory = temporaryDirectory("torn\(cut)")
            for name in try FileManager.default.contentsOfDirectory(atPath: template) {
                try FileManager.default.copyItem(atPath: template + "/" + name, toPath: directory + "/" + name)
            }
            try truncateFile(directory + "/00000000000000000000.log", to: cut)
            let log = try PartitionLog(directory: directory, config: LogConfig())
            XCTAssertEqual(log.logEndOffset, 9, "cut at \(cut)")
            XCTAssertEqual(try fileSize(directory + "/00000000000000000000.log"), lastStart, "file cut back at \(cut)")
            XCTAssertEqual(try readAll(log).map(\.0), Array(0..<9))
            var next = makeBatch(count: 2, tag: "after")
            XCTAssertEqual(try log.append(&next).firstOffset, 9, "offsets continue densely after a cut at \(cut)")
            XCTAssertEqual(try readAll(log).map(\.0), Array(0..<11))
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// A log of one two-record batch whose segment file then had `tail` written after it (as an
    /// unclean stop or an earlier version may leave it), reopened.
    private func reopenedAfterWriting(_ tail: [UInt8]) throws -> PartitionLog {
        let directory = temporaryDirectory()
        do {
            let log = try PartitionLog(directory: directory, config: LogConfig())
            var batch = makeBatch(count: 2, tag: "kept")
            try log.append(&batch)
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: directory + "/00000000000000000000.log"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(tail))
        try handle.close()
        return try PartitionLog(directory: directory, config: LogConfig())
    }

    /// A version that trapped on a batch beyond its segment's 32-bit relative offsets had
    /// already written it: recovery ends the log before it instead of trapping again.
    func testABatchBeyondTheSegmentsOffsetRangeEndsRecovery() throws {
        let log = try reopenedAfterWriting(claimedBatch(count: 5, baseOffset: Int64(UInt32.max) + 2))
        XCTAssertEqual(log.logEndOffset, 2)
        XCTAssertEqual(try readAll(log).map(\.0), [0, 1])
    }

    /// Garbage after the last batch (a torn write that extended the file) is cut too.
    func testGarbageTailIsRemoved() throws {
        let log = try reopenedAfterWriting([UInt8](repeating: 0, count: 4096))
        XCTAssertEqual(log.logEndOffset, 2)
        XCTAssertEqual(try readAll(log).count, 2)
    }

    /// (b) A flipped byte inside an old batch is reported as corruption, never returned.
    func testAFlippedByteInAnOldSegmentIsReportedNotServed() throws {
        let directory = temporaryDirectory()
        do {
            let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 1200))
            for index in 0..<12 { var b = makeBatch(count: 2, tag: "old\(index)", valueBytes: 150); try log.append(&b) }
            XCTAssertGreaterThan(log.segmentCount, 2)
            try log.close()
        }
        let path = directory + "/00000000000000000000.log"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let victim = 61 + 30 // inside the first batch's records
        bytes[victim] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))

        let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 1200))
        XCTAssertThrowsError(try log.read(from: 0, maxBytes: 1 << 20)) { error in
            guard case StorageError.corruptBatch(_, _, .crcMismatch) = error else { return XCTFail("expected corruption, got \(error)") }
        }
        // Batches in other segments are still served.
        let later = try XCTUnwrap(try log.read(from: log.segmentBaseOffsets[1], maxBytes: 1 << 20))
        XCTAssertFalse(try later.bytes().isEmpty)
    }

    /// A flipped byte in the active segment after a crash: recovery truncates there.
    func testAFlippedByteInTheActiveSegmentIsTruncatedByRecovery() throws {
        let directory = temporaryDirectory()
        let sizes: [Int]
        do {
            let log = try PartitionLog(directory: directory, config: LogConfig())
            var collected: [Int] = []
            for index in 0..<5 { var b = makeBatch(count: 1, tag: "a\(index)"); collected.append(b.count); try log.append(&b) }
            sizes = collected
        }
        let path = directory + "/00000000000000000000.log"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[sizes[0] + sizes[1] + sizes[2] + 70] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        let log = try PartitionLog(directory: directory, config: LogConfig())
        XCTAssertEqual(log.logEndOffset, 3)
        XCTAssertEqual(try readAll(log).map(\.0), [0, 1, 2])
    }

    /// (c) Deleted index files are rebuilt on open and every lookup agrees with before.
    func testDeletedIndexesAreRebuiltAndLookupsAgree() throws {
        let directory = temporaryDirectory()
        let config = LogConfig(segmentBytes: 4000, indexIntervalBytes: 256)
        var expectedReads: [Int64: [UInt8]] = [:]
        var expectedTimes: [Int64: Int64?] = [:]
        do {
            let log = try PartitionLog(directory: directory, config: config)
            for index in 0..<60 {
                var b = makeBatch(count: 3, tag: "i\(index)", valueBytes: 60, timestamp: 5_000 + Int64(index) * 7)
                try log.append(&b)
            }
            for offset in stride(from: Int64(0), to: log.logEndOffset, by: 1) { expectedReads[offset] = try log.readBytes(from: offset, maxBytes: 700) }
            for time in stride(from: Int64(4_990), to: 5_430, by: 3) { expectedTimes[time] = try log.offset(forTimestamp: time) }
            try log.close()
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix("index") {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        let log = try PartitionLog(directory: directory, config: config)
        for (offset, bytes) in expectedReads { XCTAssertEqual(try log.readBytes(from: offset, maxBytes: 700), bytes, "read at \(offset)") }
        for (time, offset) in expectedTimes { XCTAssertEqual(try log.offset(forTimestamp: time), offset, "time \(time)") }
        let rebuilt = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".index") }
        XCTAssertEqual(rebuilt.count, log.segmentCount)
        for name in rebuilt { XCTAssertGreaterThan(try fileSize(directory + "/" + name), 0, name) }
    }

    /// An index whose entries point past the log (stale after a crash) is detected and rebuilt.
    func testAnInconsistentIndexIsRebuilt() throws {
        let directory = temporaryDirectory()
        let config = LogConfig(segmentBytes: 3000, indexIntervalBytes: 128)
        do {
            let log = try PartitionLog(directory: directory, config: config)
            for index in 0..<40 { var b = makeBatch(count: 2, tag: "z\(index)"); try log.append(&b) }
            try log.close()
        }
        let indexPath = directory + "/00000000000000000000.index"
        var index = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        index.append(contentsOf: [0, 0, 0x10, 0, 0x7F, 0, 0, 0]) // a key far ahead, pointing past the file
        try index.write(to: URL(fileURLWithPath: indexPath))
        let log = try PartitionLog(directory: directory, config: config)
        XCTAssertEqual(try readAll(log).map(\.0), Array(0..<80))
    }

    /// (d) Seeded random operations against an in-memory model.
    func testRandomOperationsAgreeWithAModel() throws {
        let directory = temporaryDirectory()
        var random = SeededRandom(seed: 20_261_123)
        let clock = ManualClock()
        var config = LogConfig(segmentBytes: 2_000, indexIntervalBytes: 200, retentionBytes: -1, retentionMillis: -1)
        var log: PartitionLog? = try PartitionLog(directory: directory, config: config, clock: clock)
        // The model: every readable record, offset → value, plus the log's start and end.
        var model: [Int64: String] = [:]
        var start: Int64 = 0
        var end: Int64 = 0
        var steps = 0
        var counter = 0
        for step in 0..<3_000 {
            steps = step
            guard let current = log else { break }
            switch random.int(in: 0...99) {
            case 0..<60:
                let count = random.int(in: 1...5)
                counter += 1
                var batch = makeBatch(count: count, tag: "r\(counter)", valueBytes: random.int(in: 5...200), timestamp: clock.nowMillis(),
                                      codec: random.chance(0.5) ? .lz4 : .none)
                let result = try current.append(&batch)
                XCTAssertEqual(result.firstOffset, end, "step \(step)")
                for index in 0..<count { model[end + Int64(index)] = "r\(counter)#\(index)|" }
                end += Int64(count)
            case 60..<70:
                let offset = Int64(random.int(in: Int(start)...Int(end)))
                let bytes = try current.readBytes(from: offset, maxBytes: random.int(in: 1...3000))
                for (recordOffset, value) in try offsetsAndValues(bytes) where recordOffset >= offset {
                    XCTAssertEqual(model[recordOffset].map { value.hasPrefix($0) }, true, "step \(step) offset \(recordOffset)")
                }
                if offset < end { XCTAssertFalse(bytes.isEmpty, "step \(step): nothing read at \(offset)") }
            case 70..<75:
                let target = Int64(random.int(in: Int(start)...Int(end)))
                start = try current.deleteRecords(before: target)
                model = model.filter { $0.key >= start }
            case 75..<80:
                config.retentionBytes = Int64(random.int(in: 1_000...8_000))
                current.update(config: config)
                try current.applyRetention()
                start = current.logStartOffset
                model = model.filter { $0.key >= start }
                config.retentionBytes = -1
                current.update(config: config)
            case 80..<88:
                clock.advance(millis: Int64(random.int(in: 1...1000)))
            case 88..<94:
                // Clean restart.
                try current.close()
                log = try PartitionLog(directory: directory, config: config, clock: clock)
            default:
                // Crash with everything synced but indexes possibly stale: reopen without close.
                try current.sync()
                log = nil
                log = try PartitionLog(directory: directory, config: config, clock: clock)
            }
            guard let after = log else { break }
            XCTAssertEqual(after.logEndOffset, end, "end at step \(step)")
            XCTAssertEqual(after.logStartOffset, start, "start at step \(step)")
        }
        let final = try XCTUnwrap(log)
        let all = try readAll(final)
        XCTAssertEqual(all.map(\.0), Array(start..<end), "after \(steps) steps")
        for (offset, value) in all { XCTAssertEqual(model[offset].map { value.hasPrefix($0) }, true) }
    }
}
