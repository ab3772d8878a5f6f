import Foundation
import SluiceBroker
import SluiceCore
import SluiceLog
import SluiceWire
import XCTest

final class ProducerStateTests: XCTestCase {
    private func batch(pid: Int64, epoch: Int16, sequence: Int32, count: Int = 2, tag: String = "v") -> [UInt8] {
        let records = (0..<count).map { Record(offsetDelta: Int32($0), key: nil, value: Array("\(tag)\($0)".utf8)) }
        return (try? RecordBatch.encode(records: records, baseTimestamp: 1_000, producerId: pid, producerEpoch: epoch, baseSequence: sequence)) ?? []
    }

    private func openPartition(_ directory: String) throws -> Partition {
        try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: directory, config: LogConfig())
    }

    private func directory() -> String {
        NSTemporaryDirectory() + "sluice-broker-tests/\(UUID().uuidString.prefix(8))"
    }

    func testInOrderBatchesAppendAndRetriesGetTheirOriginalOffsets() throws {
        let partition = try openPartition(directory())
        var first = batch(pid: 7, epoch: 0, sequence: 0)
        XCTAssertEqual(try partition.appendFromProducer(&first, leaderEpoch: 0).get().firstOffset, 0)
        var second = batch(pid: 7, epoch: 0, sequence: 2)
        XCTAssertEqual(try partition.appendFromProducer(&second, leaderEpoch: 0).get().firstOffset, 2)
        var retry = batch(pid: 7, epoch: 0, sequence: 0)
        let duplicate = try partition.appendFromProducer(&retry, leaderEpoch: 0).get()
        XCTAssertEqual(duplicate, .init(firstOffset: 0, lastOffset: 1, logStartOffset: 0, isDuplicate: true))
        XCTAssertEqual(partition.log.logEndOffset, 4, "a retry adds nothing")
    }

    func testGapsStaleEpochsAndEpochBumps() throws {
        let partition = try openPartition(directory())
        var first = batch(pid: 9, epoch: 1, sequence: 0)
        _ = try partition.appendFromProducer(&first, leaderEpoch: 0).get()
        var gap = batch(pid: 9, epoch: 1, sequence: 5)
        XCTAssertEqual(partition.appendFromProducer(&gap, leaderEpoch: 0), .failure(.outOfOrderSequence(expected: 2, received: 5)))
        var stale = batch(pid: 9, epoch: 0, sequence: 2)
        XCTAssertEqual(partition.appendFromProducer(&stale, leaderEpoch: 0), .failure(.invalidProducerEpoch))
        var bumpedNotZero = batch(pid: 9, epoch: 2, sequence: 2)
        XCTAssertEqual(partition.appendFromProducer(&bumpedNotZero, leaderEpoch: 0), .failure(.outOfOrderSequence(expected: 0, received: 2)))
        var bumped = batch(pid: 9, epoch: 2, sequence: 0)
        XCTAssertEqual(try partition.appendFromProducer(&bumped, leaderEpoch: 0).get().firstOffset, 2)
        var plain = batch(pid: -1, epoch: -1, sequence: 0)
        var plainAgain = batch(pid: -1, epoch: -1, sequence: 0)
        _ = try partition.appendFromProducer(&plain, leaderEpoch: 0).get()
        XCTAssertFalse(try partition.appendFromProducer(&plainAgain, leaderEpoch: 0).get().isDuplicate, "no producer id: no dedupe")
        XCTAssertEqual(partition.log.logEndOffset, 8)
    }

    func testOnlyTheLastFiveBatchesAreRemembered() throws {
        let partition = try openPartition(directory())
        for index in 0..<7 {
            var next = batch(pid: 3, epoch: 0, sequence: Int32(index * 2))
            _ = try partition.appendFromProducer(&next, leaderEpoch: 0).get()
        }
        var recent = batch(pid: 3, epoch: 0, sequence: 4)
        XCTAssertTrue(try partition.appendFromProducer(&recent, leaderEpoch: 0).get().isDuplicate)
        var old = batch(pid: 3, epoch: 0, sequence: 2)
        XCTAssertEqual(partition.appendFromProducer(&old, leaderEpoch: 0), .failure(.outOfOrderSequence(expected: 14, received: 2)))
    }

    func testStateIsRebuiltFromTheLogAfterARestart() throws {
        let path = directory()
        do {
            let partition = try openPartition(path)
            for index in 0..<3 {
                var next = batch(pid: 11, epoch: 4, sequence: Int32(index * 2))
                _ = try partition.appendFromProducer(&next, leaderEpoch: 0).get()
            }
            try partition.log.close()
        }
        let reopened = try openPartition(path)
        var retry = batch(pid: 11, epoch: 4, sequence: 2)
        XCTAssertEqual(try reopened.appendFromProducer(&retry, leaderEpoch: 0).get(), .init(firstOffset: 2, lastOffset: 3, logStartOffset: 0, isDuplicate: true))
        var next = batch(pid: 11, epoch: 4, sequence: 6)
        XCTAssertEqual(try reopened.appendFromProducer(&next, leaderEpoch: 0).get().firstOffset, 6)
        var gap = batch(pid: 11, epoch: 4, sequence: 20)
        XCTAssertEqual(reopened.appendFromProducer(&gap, leaderEpoch: 0), .failure(.outOfOrderSequence(expected: 8, received: 20)))
    }

    func testCorruptAndOversizedBatchesMapToKafkaErrors() throws {
        let partition = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: directory(),
                                      config: LogConfig(maxBatchBytes: 200))
        var corrupt = batch(pid: -1, epoch: -1, sequence: -1)
        corrupt[corrupt.count - 1] ^= 1
        XCTAssertEqual(try XCTUnwrap(partition.appendFromProducer(&corrupt, leaderEpoch: 0).failureValue).errorCode, .corruptMessage)
        var big = batch(pid: -1, epoch: -1, sequence: -1, count: 30)
        XCTAssertEqual(try XCTUnwrap(partition.appendFromProducer(&big, leaderEpoch: 0).failureValue).errorCode, .messageTooLarge)
        XCTAssertEqual(partition.log.logEndOffset, 0)
    }
}

extension Result {
    var failureValue: Failure? { if case let .failure(error) = self { return error } else { return nil } }
}
