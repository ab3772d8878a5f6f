@testable import SluiceClient
import SluiceWire
import XCTest
import Synchronization

final class ProducerConsumerTests: BrokerTestCase {
    private func makeTopic(_ name: String, partitions: Int32) async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic(name, partitions: partitions)
        await admin.close()
    }

    private func consumeAll(_ topic: String, expected: Int, config: ConsumerConfig = ConsumerConfig()) async throws -> [ConsumerRecord] {
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.assign(topic: topic)
        var records: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(10)
        while records.count < expected && Date() < deadline {
            records += try await consumer.poll(timeoutMillis: 500)
        }
        // Anything beyond `expected` would be a duplicate: look a little longer.
        records += try await consumer.poll(timeoutMillis: 200)
        await consumer.close()
        return records
    }

    func testRoundTripKeysHeadersNullsAndLZ4() async throws {
        try await makeTopic("round", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        let id = await producer.producerIdAndEpoch
        XCTAssertGreaterThanOrEqual(id.id, 0, "idempotence is on by default")
        let payload = Array(repeating: bytes("compressible "), count: 50).flatMap { $0 }
        let first = try await producer.send(topic: "round", key: bytes("k1"), value: payload,
                                            headers: [Header("h1", "v1"), Header("nullable", nil as [UInt8]?)])
        XCTAssertEqual(first.partition, 0)
        XCTAssertEqual(first.offset, 0)
        let second = try await producer.send(topic: "round", key: nil, value: bytes("no key"))
        XCTAssertEqual(second.offset, 1)
        let third = try await producer.send(topic: "round", partition: 0, key: bytes("k3"), value: nil)
        XCTAssertEqual(third.offset, 2)
        do {
            try await producer.send(topic: "round", partition: 5, value: bytes("nowhere"))
            XCTFail("a partition that does not exist must fail")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, .unknownTopicOrPartition)
        }
        await producer.close()

        let records = try await consumeAll("round", expected: 3)
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records.map(\.offset), [0, 1, 2])
        XCTAssertEqual(records[0].key, bytes("k1"))
        XCTAssertEqual(records[0].value, payload)
        XCTAssertEqual(records[0].headers, [Header("h1", "v1"), Header("nullable", nil as [UInt8]?)])
        XCTAssertEqual(records[0].timestamp, first.timestamp)
        XCTAssertNil(records[1].key)
        XCTAssertEqual(records[1].value, bytes("no key"))
        XCTAssertEqual(records[2].key, bytes("k3"))
        XCTAssertNil(records[2].value)

        // The stored batches are LZ4 and idempotent (producer id and sequences set).
        let cluster = try Cluster(bootstrap: bootstrap, config: ConnectionConfig())
        let connection = try await cluster.connection(node: 0)
        let response = try await connection.send(
            FetchRequest(replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, sessionEpoch: -1,
                         topics: [.init(topic: "round", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
            expecting: FetchResponse.self, timeoutMillis: 5_000)
        guard case .bytes(let raw)? = response.responses.first?.partitions.first?.records else { return XCTFail("no records") }
        let batches = try RecordBatch.decodeAll(raw)
        XCTAssertEqual(batches.count, 3)
        XCTAssertTrue(batches.allSatisfy { $0.header.attributes.codec == .lz4 })
        XCTAssertEqual(batches.map(\.header.baseSequence), [0, 1, 2])
        XCTAssertTrue(batches.allSatisfy { $0.header.producerId == id.id })
        await cluster.close()
    }

    func testOrderingPerKeyAndMurmurPlacement() async throws {
        try await makeTopic("ordered", partitions: 3)
        var config = ProducerConfig()
        config.lingerMillis = 2
        config.batchBytes = 2_048
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        let failures = Mutex(0)
        for i in 0..<300 {
            let key = "key-\(i % 7)"
            try await producer.send(topic: "ordered", key: bytes(key), value: bytes("\(i)")) { result in
                if case .failure = result { failures.withLock { $0 += 1 } }
            }
        }
        await producer.flush()
        XCTAssertEqual(failures.withLock { $0 }, 0)
        await producer.close()

        let records = try await consumeAll("ordered", expected: 300)
        XCTAssertEqual(records.count, 300)
        var lastByKey: [String: Int] = [:]
        for record in records.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            let value = Int(String(decoding: record.value ?? [], as: UTF8.self)) ?? -1
            XCTAssertEqual(record.partition, Partitioner.partition(forKey: bytes(key), partitionCount: 3), key)
            XCTAssertGreaterThan(value, lastByKey[key] ?? -1, "order of \(key)")
            lastByKey[key] = value
        }
    }

    func testDuplicateSendIsDeduplicatedByTheBroker() async throws {
        try await makeTopic("dedupe", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        await producer.engine.setFaults(ProducerFaults(sendTwice: true))
        var offsets: [Int64] = []
        for i in 0..<20 {
            offsets.append(try await producer.send(topic: "dedupe", key: nil, value: bytes("\(i)")).offset)
        }
        XCTAssertEqual(offsets, Array(0..<20))
        await producer.close()
        let records = try await consumeAll("dedupe", expected: 20)
        XCTAssertEqual(records.map { String(decoding: $0.value ?? [], as: UTF8.self) }, (0..<20).map(String.init))
    }

    func testRetryAfterDroppedConnectionNeitherDuplicatesNorReorders() async throws {
        try await makeTopic("retried", partitions: 1)
        var config = ProducerConfig()
        config.retryBackoffMillis = 20
        config.batchBytes = 512
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        await producer.engine.setFaults(ProducerFaults(dropConnectionAfterSends: 3))
        let results = Mutex<[Result<RecordMetadata, SluiceClientError>]>([])
        for i in 0..<100 {
            try await producer.send(topic: "retried", key: nil, value: bytes("value-\(i)")) { result in
                results.withLock { $0.append(result) }
            }
        }
        await producer.flush()
        let delivered = results.withLock { $0 }
        XCTAssertEqual(delivered.count, 100)
        let offsets = delivered.compactMap { try? $0.get().offset }.sorted()
        XCTAssertEqual(offsets, Array(0..<100), "every record acknowledged once, at contiguous offsets")
        await producer.close()
        let records = try await consumeAll("retried", expected: 100)
        XCTAssertEqual(records.map { String(decoding: $0.value ?? [], as: UTF8.self) }, (0..<100).map { "value-\($0)" })
    }

    func testSeekByTimestampOffsetBeginningAndEnd() async throws {
        try await makeTopic("timed", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        let base: Int64 = 1_700_000_000_000
        for i in 0..<10 {
            try await producer.send(topic: "timed", key: nil, value: bytes("\(i)"), timestamp: base + Int64(i) * 1_000) { _ in }
        }
        await producer.close()
        let consumer = try await Consumer(bootstrap: bootstrap)
        let tp = TopicPartition("timed", 0)
        try await consumer.assign([tp])
        try await consumer.seek(tp, to: .timestamp(base + 2_500))
        var records = try await consumer.poll(timeoutMillis: 2_000)
        XCTAssertEqual(records.first?.offset, 3)
        XCTAssertEqual(records.first?.timestamp, base + 3_000)
        try await consumer.seek(tp, to: .offset(7))
        records = try await consumer.poll(timeoutMillis: 2_000)
        XCTAssertEqual(records.map(\.offset), [7, 8, 9])
        try await consumer.seek(tp, to: .beginning)
        records = try await consumer.poll(timeoutMillis: 2_000)
        XCTAssertEqual(records.first?.offset, 0)
        try await consumer.seek(tp, to: .end)
        let endPosition = await consumer.position(tp)
        XCTAssertEqual(endPosition, 10)
        records = try await consumer.poll(timeoutMillis: 200)
        XCTAssertTrue(records.isEmpty)
        try await consumer.seek(tp, to: .timestamp(base + 60_000))
        let latePosition = await consumer.position(tp)
        XCTAssertEqual(latePosition, 10, "a timestamp after the last record seeks to the end")
        await consumer.close()
    }

    func testPauseResumeAndMaxPollRecords() async throws {
        try await makeTopic("paused", partitions: 2)
        let producer = try await Producer(bootstrap: bootstrap)
        // One key for each partition.
        var keys: [Int32: [UInt8]] = [:]
        var n = 0
        while keys.count < 2 {
            let key = bytes("key\(n)")
            keys[Partitioner.partition(forKey: key, partitionCount: 2)] = keys[Partitioner.partition(forKey: key, partitionCount: 2)] ?? key
            n += 1
        }
        for i in 0..<30 {
            for partition: Int32 in [0, 1] {
                try await producer.send(topic: "paused", key: keys[partition], value: bytes("\(i)")) { _ in }
            }
        }
        await producer.close()

        var config = ConsumerConfig()
        config.maxPollRecords = 7
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.assign(topic: "paused")
        await consumer.pause([TopicPartition("paused", 1)])
        var seen: [ConsumerRecord] = []
        for _ in 0..<10 {
            let batch = try await consumer.poll(timeoutMillis: 300)
            XCTAssertLessThanOrEqual(batch.count, 7)
            seen += batch
        }
        XCTAssertEqual(seen.count, 30)
        XCTAssertTrue(seen.allSatisfy { $0.partition == 0 })
        let paused = await consumer.paused
        XCTAssertEqual(paused, [TopicPartition("paused", 1)])
        await consumer.resume([TopicPartition("paused", 1)])
        var resumed: [ConsumerRecord] = []
        for _ in 0..<10 where resumed.count < 30 { resumed += try await consumer.poll(timeoutMillis: 300) }
        XCTAssertEqual(resumed.count, 30)
        XCTAssertTrue(resumed.allSatisfy { $0.partition == 1 })
        await consumer.close()
    }

    func testAsyncSequenceCommitAndRestartFromCommitted() async throws {
        try await makeTopic("committed", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<10 { try await producer.send(topic: "committed", key: nil, value: bytes("\(i)")) { _ in } }
        await producer.close()

        var config = ConsumerConfig()
        config.groupId = "simple-group"
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.assign(topic: "committed")
        var handled: [Int64] = []
        for try await record in consumer.records {
            handled.append(record.offset)
            if handled.count == 4 { break }
        }
        try await consumer.commit()
        await consumer.close()
        XCTAssertEqual(handled, [0, 1, 2, 3])

        let again = try await Consumer(bootstrap: bootstrap, config: config)
        try await again.assign(topic: "committed")
        let committed = try await again.committed([TopicPartition("committed", 0)])
        XCTAssertEqual(committed[TopicPartition("committed", 0)], 4)
        let records = try await again.poll(timeoutMillis: 2_000)
        XCTAssertEqual(records.first?.offset, 4)
        await again.close()
    }

    func testBackpressureMakesSendWait() async throws {
        try await makeTopic("pressure", partitions: 1)
        var config = ProducerConfig()
        config.bufferBytesMax = 2_048
        config.batchBytes = 2_048
        config.lingerMillis = 300
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        let value = [UInt8](repeating: 7, count: 700)
        let done = Mutex(0)
        let start = Date()
        try await producer.send(topic: "pressure", key: nil, value: value) { _ in done.withLock { $0 += 1 } }
        try await producer.send(topic: "pressure", key: nil, value: value) { _ in done.withLock { $0 += 1 } }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.2, "two records fit in the buffer")
        // The third does not fit: send waits until the first batch (sent after the linger) is acknowledged.
        try await producer.send(topic: "pressure", key: nil, value: value) { _ in done.withLock { $0 += 1 } }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.25)
        XCTAssertEqual(done.withLock { $0 }, 2, "the buffer freed only after the first two were acknowledged")
        await producer.flush()
        XCTAssertEqual(done.withLock { $0 }, 3)
        do {
            try await producer.send(topic: "pressure", key: nil, value: [UInt8](repeating: 0, count: 4_096))
            XCTFail("a record larger than the buffer must fail")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, .messageTooLarge)
        }
        await producer.close()
    }

    func testAcksLeaderAndNone() async throws {
        try await makeTopic("acks", partitions: 1)
        var config = ProducerConfig()
        config.idempotent = false
        config.acks = .leader
        let leaderAcked = try await Producer(bootstrap: bootstrap, config: config)
        let meta = try await leaderAcked.send(topic: "acks", key: nil, value: bytes("one"))
        XCTAssertEqual(meta.offset, 0)
        await leaderAcked.close()
        config.acks = .none
        let fireAndForget = try await Producer(bootstrap: bootstrap, config: config)
        let unacked = try await fireAndForget.send(topic: "acks", key: nil, value: bytes("zero"))
        XCTAssertEqual(unacked.offset, -1)
        await fireAndForget.close()
        let records = try await consumeAll("acks", expected: 2)
        XCTAssertEqual(records.map(\.value), [bytes("one"), bytes("zero")])

        config.acks = .leader
        config.idempotent = true
        do {
            _ = try await Producer(bootstrap: bootstrap, config: config)
            XCTFail("idempotence with acks=1 must be rejected")
        } catch let error as SluiceClientError {
            guard case .invalidArgument = error else { return XCTFail("\(error)") }
        }
    }

    func testAutoCommitAndCommitAsync() async throws {
        try await makeTopic("auto", partitions: 1)
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<5 { try await producer.send(topic: "auto", key: nil, value: bytes("\(i)")) { _ in } }
        await producer.close()
        let tp = TopicPartition("auto", 0)

        var config = ConsumerConfig()
        config.groupId = "auto-group"
        config.autoCommitIntervalMillis = 0
        config.maxPollRecords = 3
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.assign([tp])
        let first = try await consumer.poll(timeoutMillis: 2_000)
        XCTAssertEqual(first.map(\.offset), [0, 1, 2])
        _ = try await consumer.poll(timeoutMillis: 2_000)  // commits 3 first, then returns 3 and 4
        let committed = try await consumer.committed([tp])
        XCTAssertEqual(committed[tp], 3)

        let done = expectation(description: "commitAsync completes")
        consumer.commitAsync { result in
            if case .failure(let error) = result { XCTFail("\(error)") }
            done.fulfill()
        }
        await fulfillment(of: [done], timeout: 5)
        let after = try await consumer.committed([tp])
        XCTAssertEqual(after[tp], 5)
        await consumer.close()
    }

    /// The batches stored in partition 0 of `topic`, read raw.
    /// The batches stored in partition 0 of `topic`, once `expected` records are readable: with
    /// acks=1 a producer's acknowledgement can come before the fsync that moves the high watermark.
    private func storedBatches(_ topic: String, expected: Int) async throws -> [RecordBatch] {
        let cluster = try Cluster(bootstrap: bootstrap, config: ConnectionConfig())
        defer { Task { await cluster.close() } }
        let connection = try await cluster.connection(node: 0)
        var batches: [RecordBatch] = []
        for _ in 0..<100 {
            let response = try await connection.send(
                FetchRequest(replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 8 << 20, sessionEpoch: -1,
                             topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 8 << 20)])]),
                expecting: FetchResponse.self, timeoutMillis: 5_000)
            if case .bytes(let raw)? = response.responses.first?.partitions.first?.records { batches = try RecordBatch.decodeAll(raw) }
            if batches.reduce(0, { $0 + $1.records.count }) >= expected { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return batches
    }

    func testAccumulatorLingersIntoOneBatchAndSplitsAtBatchBytes() async throws {
        try await makeTopic("lingered", partitions: 1)
        try await makeTopic("split", partitions: 1)
        var config = ProducerConfig()
        config.lingerMillis = 200
        config.compression = .none
        let lingering = try await Producer(bootstrap: bootstrap, config: config)
        for i in 0..<50 { try await lingering.send(topic: "lingered", value: bytes("record \(i)")) { _ in } }
        await lingering.flush()
        await lingering.close()
        let lingered = try await storedBatches("lingered", expected: 50)
        XCTAssertEqual(lingered.map(\.records.count), [50], "fifty quick sends, one batch")
        XCTAssertEqual(lingered.first?.header.attributes.codec, CompressionCodec.none)

        config.lingerMillis = 1_000
        config.batchBytes = 1_000
        let splitting = try await Producer(bootstrap: bootstrap, config: config)
        let value = [UInt8](repeating: 1, count: 100)
        let start = Date()
        for _ in 0..<40 { try await splitting.send(topic: "split", value: value) { _ in } }
        await splitting.flush()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0, "full batches go at once; flush sends the rest without waiting for the linger")
        await splitting.close()
        let split = try await storedBatches("split", expected: 40)
        XCTAssertEqual(split.reduce(0) { $0 + $1.records.count }, 40)
        XCTAssertGreaterThan(split.count, 3)
        XCTAssertTrue(split.allSatisfy { $0.header.totalSize <= 1_000 + RecordBatchHeader.size }, "\(split.map(\.header.totalSize))")
        XCTAssertEqual(split.map(\.header.baseSequence), split.indices.map { Int32(split[..<$0].reduce(0) { $0 + $1.records.count }) },
                       "sequences advance by each batch's record count")
    }

    func testSmallFetchLimitsStillReadEverythingInOrder() async throws {
        try await makeTopic("small-fetch", partitions: 1)
        var producerConfig = ProducerConfig()
        producerConfig.batchBytes = 600
        producerConfig.compression = .none
        let producer = try await Producer(bootstrap: bootstrap, config: producerConfig)
        for i in 0..<100 { try await producer.send(topic: "small-fetch", value: bytes(String(repeating: "x", count: 200) + "\(i)")) { _ in } }
        await producer.close()
        var config = ConsumerConfig()
        config.partitionFetchMaxBytes = 1_024
        config.fetchMaxBytes = 2_048
        config.maxPollRecords = 10
        let records = try await consumeAll("small-fetch", expected: 100, config: config)
        XCTAssertEqual(records.map(\.offset), Array(0..<100))
    }

    /// Without idempotence, every sealed batch of a partition goes in one request, back to back:
    /// offsets stay contiguous and in send order.
    func testNonIdempotentRequestCarriesSeveralBatchesOfAPartitionInOrder() async throws {
        try await makeTopic("several", partitions: 1)
        var config = ProducerConfig()
        config.idempotent = false
        config.acks = .leader
        config.compression = .none
        config.batchBytes = 1_000
        config.lingerMillis = 1_000
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        let offsets = Mutex<[Int: Int64]>([:])
        for i in 0..<60 {
            try await producer.send(topic: "several", value: bytes("value-\(i)" + String(repeating: "x", count: 90))) { result in
                if case .success(let meta) = result { offsets.withLock { $0[i] = meta.offset } }
            }
        }
        await producer.flush()
        await producer.close()
        let acked = offsets.withLock { $0 }
        XCTAssertEqual((0..<60).map { acked[$0] ?? -1 }, (0..<60).map(Int64.init), "offsets contiguous, in send order")
        let batches = try await storedBatches("several", expected: 60)
        XCTAssertGreaterThan(batches.count, 3)
        let records = try await consumeAll("several", expected: 60)
        XCTAssertEqual(records.map { String(decoding: ($0.value ?? []).prefix(9), as: UTF8.self) }.prefix(3), ["value-0xx", "value-1xx", "value-2xx"])
        XCTAssertEqual(records.map(\.offset), (0..<60).map(Int64.init))
    }
}
