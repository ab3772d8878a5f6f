import Foundation
import SluiceBroker
import SluiceCore
import SluiceLog
import SluiceWire
import XCTest

final class ProducerStateTests: XCTestCase {
    /// What an accepted produce got.
    private struct AppendOutcome: Equatable {
        var firstOffset: Int64
        var lastOffset: Int64
        var logStartOffset: Int64
        var isDuplicate: Bool
    }

    private func batch(pid: Int64, epoch: Int16, sequence: Int32, count: Int = 2, tag: String = "v") -> [UInt8] {
        let records = (0..<count).map { Record(offsetDelta: Int32($0), key: nil, value: Array("\(tag)\($0)".utf8)) }
        return (try? RecordBatch.encode(records: records, baseTimestamp: 1_000, producerId: pid, producerEpoch: epoch, baseSequence: sequence)) ?? []
    }

    private func openPartition(_ directory: String) throws -> Partition {
        try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: directory, config: LogConfig())
    }

    /// What a partition leader does with a produce, minus Raft (`PartitionGroup.propose`, then the
    /// append at persist): validate, check each batch against the producer state, append, record.
    private func produce(_ partition: Partition, _ batch: [UInt8]) -> Result<AppendOutcome, ProduceFailure> {
        let headers: [RecordBatchHeader]
        switch partition.validateFromProducer(batch) {
        case let .success(valid): headers = valid
        case let .failure(failure): return .failure(failure)
        }
        for header in headers {
            switch partition.checkProducer(header) {
            case .append: continue
            case let .duplicate(first, last):
                return .success(.init(firstOffset: first, lastOffset: last, logStartOffset: partition.log.logStartOffset, isDuplicate: true))
            case .staleEpoch: return .failure(.invalidProducerEpoch)
            case let .outOfOrder(expected, received): return .failure(.outOfOrderSequence(expected: expected, received: received))
            }
        }
        var bytes = batch
        guard let appended = try? partition.log.append(&bytes) else { return .failure(.storage("append failed")) }
        var next = appended.firstOffset
        let stamped = headers.map { header -> RecordBatchHeader in
            var header = header
            header.baseOffset = next
            next = header.lastOffset + 1
            return header
        }
        partition.recordAppended(stamped)
        return .success(.init(firstOffset: appended.firstOffset, lastOffset: appended.lastOffset, logStartOffset: partition.log.logStartOffset, isDuplicate: false))
    }

    private func directory() -> String {
        NSTemporaryDirectory() + "sluice-broker-tests/\(UUID().uuidString.prefix(8))"
    }

    func testInOrderBatchesAppendAndRetriesGetTheirOriginalOffsets() throws {
        let partition = try openPartition(directory())
        let first = batch(pid: 7, epoch: 0, sequence: 0)
        XCTAssertEqual(try produce(partition, first).get().firstOffset, 0)
        let second = batch(pid: 7, epoch: 0, sequence: 2)
        XCTAssertEqual(try produce(partition, second).get().firstOffset, 2)
        let retry = batch(pid: 7, epoch: 0, sequence: 0)
        let duplicate = try produce(partition, retry).get()
        XCTAssertEqual(duplicate, .init(firstOffset: 0, lastOffset: 1, logStartOffset: 0, isDuplicate: true))
        XCTAssertEqual(partition.log.logEndOffset, 4, "a retry adds nothing")
    }

    func testGapsStaleEpochsAndEpochBumps() throws {
        let partition = try openPartition(directory())
        let first = batch(pid: 9, epoch: 1, sequence: 0)
        _ = try produce(partition, first).get()
        let gap = batch(pid: 9, epoch: 1, sequence: 5)
        XCTAssertEqual(produce(partition, gap), .failure(.outOfOrderSequence(expected: 2, received: 5)))
        let stale = batch(pid: 9, epoch: 0, sequence: 2)
        XCTAssertEqual(produce(partition, stale), .failure(.invalidProducerEpoch))
        let bumpedNotZero = batch(pid: 9, epoch: 2, sequence: 2)
        XCTAssertEqual(produce(partition, bumpedNotZero), .failure(.outOfOrderSequence(expected: 0, received: 2)))
        let bumped = batch(pid: 9, epoch: 2, sequence: 0)
        XCTAssertEqual(try produce(partition, bumped).get().firstOffset, 2)
        let plain = batch(pid: -1, epoch: -1, sequence: 0)
        let plainAgain = batch(pid: -1, epoch: -1, sequence: 0)
        _ = try produce(partition, plain).get()
        XCTAssertFalse(try produce(partition, plainAgain).get().isDuplicate, "no producer id: no dedupe")
        XCTAssertEqual(partition.log.logEndOffset, 8)
    }

    func testOnlyTheLastFiveBatchesAreRemembered() throws {
        let partition = try openPartition(directory())
        for index in 0..<7 {
            let next = batch(pid: 3, epoch: 0, sequence: Int32(index * 2))
            _ = try produce(partition, next).get()
        }
        let recent = batch(pid: 3, epoch: 0, sequence: 4)
        XCTAssertTrue(try produce(partition, recent).get().isDuplicate)
        let old = batch(pid: 3, epoch: 0, sequence: 2)
        XCTAssertEqual(produce(partition, old), .failure(.outOfOrderSequence(expected: 14, received: 2)))
    }

    func testStateIsRebuiltFromTheLogAfterARestart() throws {
        let path = directory()
        do {
            let partition = try openPartition(path)
            for index in 0..<3 {
                let next = batch(pid: 11, epoch: 4, sequence: Int32(index * 2))
                _ = try produce(partition, next).get()
            }
            try partition.log.close()
        }
        let reopened = try openPartition(path)
        let retry = batch(pid: 11, epoch: 4, sequence: 2)
        XCTAssertEqual(try produce(reopened, retry).get(), .init(firstOffset: 2, lastOffset: 3, logStartOffset: 0, isDuplicate: true))
        let next = batch(pid: 11, epoch: 4, sequence: 6)
        XCTAssertEqual(try produce(reopened, next).get().firstOffset, 6)
        let gap = batch(pid: 11, epoch: 4, sequence: 20)
        XCTAssertEqual(produce(reopened, gap), .failure(.outOfOrderSequence(expected: 8, received: 20)))
    }

    func testSnapshotsRoundTripAndDamagedOnesAreRefused() throws {
        var table = ProducerStateTable()
        var header = RecordBatchHeader(baseOffset: 10, batchLength: 49, partitionLeaderEpoch: 0, crc: 0, attributes: BatchAttributes(codec: .none),
                                       lastOffsetDelta: 2, baseTimestamp: 0, maxTimestamp: 0, producerId: 77, producerEpoch: 3, baseSequence: 4, recordsCount: 3)
        table.record(header, nowMillis: 1)
        header.producerId = 78
        header.baseOffset = 13
        table.record(header, nowMillis: 1)
        let bytes = table.snapshot(coveringBelow: 16)
        let restored = try XCTUnwrap(ProducerStateTable.restore(bytes, nowMillis: 2))
        XCTAssertEqual(restored.table, table)
        XCTAssertEqual(restored.offset, 16)
        for index in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[index] ^= 0x20
            XCTAssertNil(ProducerStateTable.restore(damaged, nowMillis: 2), "byte \(index)")
        }
        XCTAssertNil(ProducerStateTable.restore(Array(bytes.prefix(bytes.count - 1)), nowMillis: 2))
    }

    func testRestartUsesTheSnapshotAndTheBatchesAfterIt() throws {
        let path = directory()
        let config = LogConfig(segmentBytes: 1024)
        do {
            let partition = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: path, config: config)
            for index in 0..<10 {
                let next = batch(pid: 21, epoch: 0, sequence: Int32(index * 2), tag: String(repeating: "p", count: 60))
                _ = try produce(partition, next).get()
            }
            try partition.close()  // the snapshot covers the first ten batches
        }
        do {
            let partition = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: path, config: config)
            for index in 10..<20 {
                let next = batch(pid: 21, epoch: 0, sequence: Int32(index * 2), tag: String(repeating: "p", count: 60))
                _ = try produce(partition, next).get()
            }
            XCTAssertGreaterThan(partition.log.segmentCount, 2)
            // No clean close: the newest batches are only in the log, after the snapshot.
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "/producer-state.snapshot"))
        let reopened = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: path, config: config)
        let lastRetry = batch(pid: 21, epoch: 0, sequence: 38, tag: String(repeating: "p", count: 60))
        XCTAssertEqual(try produce(reopened, lastRetry).get().firstOffset, 38, "the newest batch is known")
        let next = batch(pid: 21, epoch: 0, sequence: 40, tag: String(repeating: "p", count: 60))
        XCTAssertEqual(try produce(reopened, next).get().firstOffset, 40)
        try reopened.close()
        let again = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: path, config: config)
        XCTAssertEqual(again.producerState, reopened.producerState, "a clean close snapshots everything")
    }

    func testASnapshotAheadOfATruncatedLogIsIgnored() throws {
        let path = directory()
        do {
            let partition = try openPartition(path)
            for index in 0..<3 {
                let next = batch(pid: 5, epoch: 0, sequence: Int32(index * 2))
                _ = try produce(partition, next).get()
            }
            try partition.close()
        }
        // Lose the last batch, as a crash before its fsync would.
        let reopenedLog = try PartitionLog(directory: path, config: LogConfig())
        try reopenedLog.truncate(toOffset: 4)
        try reopenedLog.close()
        let partition = try openPartition(path)
        let retry = batch(pid: 5, epoch: 0, sequence: 4)
        let outcome = try produce(partition, retry).get()
        XCTAssertFalse(outcome.isDuplicate, "the lost batch is appended again, not answered from a stale snapshot")
        XCTAssertEqual(outcome.firstOffset, 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "/producer-state.snapshot"), "the stale snapshot is gone")
    }

    func testCorruptAndOversizedBatchesMapToKafkaErrors() throws {
        let partition = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: directory(),
                                      config: LogConfig(maxBatchBytes: 200))
        var corrupt = batch(pid: -1, epoch: -1, sequence: -1)
        corrupt[corrupt.count - 1] ^= 1
        XCTAssertEqual(try XCTUnwrap(produce(partition, corrupt).failureValue).errorCode, .corruptMessage)
        let big = batch(pid: -1, epoch: -1, sequence: -1, count: 30)
        XCTAssertEqual(try XCTUnwrap(produce(partition, big).failureValue).errorCode, .messageTooLarge)
        XCTAssertEqual(partition.log.logEndOffset, 0)
    }

    private func header(pid: Int64, at offset: Int64, sequence: Int32 = 0) -> RecordBatchHeader {
        RecordBatchHeader(baseOffset: offset, batchLength: 49, partitionLeaderEpoch: 0, crc: 0, attributes: BatchAttributes(codec: .none),
                          lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, producerId: pid, producerEpoch: 0, baseSequence: sequence, recordsCount: 1)
    }

    /// Any client may write under any producer id: the ids kept are bounded, and a new id past
    /// the bound forgets the least recently written, by log offset.
    func testANewProducerIdPastTheLimitForgetsTheLeastRecentlyWritten() {
        var table = ProducerStateTable(limits: .init(maxProducers: 100))
        for pid in 0..<100 { XCTAssertEqual(table.record(header(pid: Int64(pid), at: Int64(pid)), nowMillis: 1), 0) }
        // Id 0 writes again, so id 1 is now the least recently written.
        XCTAssertEqual(table.record(header(pid: 0, at: 100, sequence: 1), nowMillis: 1), 0)
        XCTAssertEqual(table.record(header(pid: 100, at: 101), nowMillis: 1), 1)
        XCTAssertEqual(table.record(header(pid: 101, at: 102), nowMillis: 1), 1)
        XCTAssertEqual(table.producers.count, 100)
        XCTAssertNotNil(table.producers[0], "written again: kept")
        XCTAssertNil(table.producers[1])
        XCTAssertNil(table.producers[2])
        XCTAssertNotNil(table.producers[3])
        // A forgotten id is unknown again: its next batch is taken whatever its sequence.
        XCTAssertEqual(table.check(header(pid: 1, at: 103, sequence: 40)), .append)
        XCTAssertEqual(table.check(header(pid: 3, at: 103, sequence: 40)), .outOfOrder(expected: 1, received: 40))
    }

    /// Replicas that recorded the same batches keep the same ids, whatever else they did before
    /// (here: one wrote many batches of a few ids, the other started from a snapshot).
    func testTablesThatRecordedTheSameBatchesKeepTheSameIds() throws {
        var busy = ProducerStateTable(limits: .init(maxProducers: 50))
        for index in 0..<10_000 { busy.record(header(pid: Int64(index % 7), at: Int64(index)), nowMillis: 1) }
        var restored = try XCTUnwrap(ProducerStateTable.restore(busy.snapshot(coveringBelow: 10_000), limits: .init(maxProducers: 50), nowMillis: 1)).table
        XCTAssertEqual(restored, busy)
        for index in 10_000..<10_200 {
            let next = header(pid: Int64(1_000 + index % 90), at: Int64(index))
            busy.record(next, nowMillis: 1)
            restored.record(next, nowMillis: 1)
        }
        XCTAssertEqual(busy.producers.count, 50)
        XCTAssertEqual(restored, busy)
    }

    func testProducerIdsIdleForTheExpirationAreForgotten() {
        var table = ProducerStateTable(limits: .init(expirationMillis: 1_000))
        table.record(header(pid: 1, at: 0), nowMillis: 5_000)
        table.record(header(pid: 2, at: 1), nowMillis: 5_500)
        table.record(header(pid: 1, at: 2), nowMillis: 5_600)
        table.record(header(pid: 3, at: 3), nowMillis: 5_700)
        XCTAssertEqual(table.expire(nowMillis: 6_400), 0)
        XCTAssertEqual(table.expire(nowMillis: 6_650), 2, "ids 2 and 1, last written at 5,500 and 5,600")
        XCTAssertEqual(Array(table.producers.keys), [3])
        XCTAssertEqual(table.expire(nowMillis: -5), 0, "a clock gone back forgets nothing")
    }

    /// The write times survive a clean restart (the snapshot keeps them); a snapshot kept under a
    /// higher limit than the next start's keeps the most recently written.
    func testASnapshotKeepsWriteTimesAndIsCutToALowerLimit() throws {
        var table = ProducerStateTable(limits: .init(maxProducers: 1_000, expirationMillis: 1_000))
        for pid in 0..<500 { table.record(header(pid: Int64(pid), at: Int64(pid)), nowMillis: Int64(pid)) }
        let bytes = table.snapshot(coveringBelow: 500)
        var restored = try XCTUnwrap(ProducerStateTable.restore(bytes, limits: .init(maxProducers: 100, expirationMillis: 1_000), nowMillis: 9_999)).table
        XCTAssertEqual(restored.producers.count, 100)
        XCTAssertEqual(restored.producers.keys.min(), 400)
        XCTAssertEqual(restored.expire(nowMillis: 1_450), 50, "ids 400-449, written before 450")
        XCTAssertEqual(restored.producers.keys.min(), 450)
    }

    /// Snapshots written before write times were kept ("SPS1") are still read, their ids written
    /// at the restore.
    func testAVersionOneSnapshotIsReadWithItsIdsWrittenAtTheRestore() throws {
        var body: [UInt8] = Array("SPS1".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { body.append(contentsOf: $0) } }
        append(Int64(8))  // covers below offset 8
        append(Int32(1))  // one producer
        append(Int64(42)); append(Int16(3)); append(Int8(1))
        append(Int32(0)); append(Int32(2)); append(Int64(5)); append(Int64(7))
        append(CRC32C.checksum(body))
        var restored = try XCTUnwrap(ProducerStateTable.restore(body, limits: .init(expirationMillis: 1_000), nowMillis: 50_000))
        XCTAssertEqual(restored.offset, 8)
        XCTAssertEqual(restored.table.producers[42]?.epoch, 3)
        XCTAssertEqual(restored.table.check(header(pid: 42, at: 8, sequence: 0)), .staleEpoch, "known, at epoch 3")
        XCTAssertEqual(restored.table.expire(nowMillis: 50_999), 0)
        XCTAssertEqual(restored.table.expire(nowMillis: 51_001), 1)
    }
}

extension Result {
    var failureValue: Failure? { if case let .failure(error) = self { return error } else { return nil } }
}
