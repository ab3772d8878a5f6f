@testable import SluiceClient
import SluiceWire
import XCTest
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class ErrorTests: BrokerTestCase {
    func testUnknownTopicFailsWithItsCode() async throws {
        var config = ProducerConfig()
        config.metadataWaitMillis = 200
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        do {
            try await producer.send(topic: "no-such-topic", key: nil, value: bytes("x"))
            XCTFail("producing to an unknown topic must fail")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, .unknownTopicOrPartition, "\(error)")
            XCTAssertTrue(error.description.contains("no-such-topic"), error.description)
        }
        await producer.close()

        let admin = try Admin(bootstrap: bootstrap)
        do {
            _ = try await admin.describeTopics(["no-such-topic"])
            XCTFail("describing an unknown topic must fail")
        } catch let error as SluiceClientError {
            XCTAssertEqual(error.code, .unknownTopicOrPartition)
        }
        await admin.close()
    }

    func testUnreachableBrokerNamesHostPortAndReason() async throws {
        let port = try BrokerFixture.freePort()  // nothing listens there
        do {
            _ = try await Producer(bootstrap: ["127.0.0.1:\(port)"])
            XCTFail("connecting to a closed port must fail")
        } catch let error as SluiceClientError {
            XCTAssertTrue(error.description.contains("127.0.0.1:\(port)"), error.description)
            XCTAssertTrue(error.description.contains("Connection refused"), error.description)
        }
        do {
            _ = try Admin(bootstrap: ["localhost:notaport"])
            XCTFail("a bootstrap entry without a port must fail")
        } catch let error as SluiceClientError {
            guard case .invalidArgument = error else { return XCTFail("\(error)") }
        }
    }

    func testSilentBrokerTimesOutNamingTheBroker() async throws {
        // A socket that listens but never answers: the kernel completes the handshake.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(ok)
        let port = Int(UInt16(bigEndian: address.sin_port))
        var config = ConnectionConfig()
        config.requestTimeoutMillis = 300
        let admin = try Admin(bootstrap: ["127.0.0.1:\(port)"], config: config)
        let start = Date()
        do {
            _ = try await admin.listTopics()
            XCTFail("a silent broker must time out")
        } catch let error as SluiceClientError {
            XCTAssertTrue(error.description.contains("127.0.0.1:\(port)"), error.description)
            XCTAssertTrue(error.description.contains("timed out"), error.description)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        await admin.close()
    }

    func testPipelinedRequestsOnOneConnection() async throws {
        let cluster = try Cluster(bootstrap: bootstrap, config: ConnectionConfig())
        let connection = try await cluster.connection(node: 0)
        XCTAssertEqual(connection.version(for: .metadata), 12, "highest version both sides speak")
        XCTAssertEqual(connection.version(for: .produce), 7)
        XCTAssertEqual(connection.version(for: .fetch), 11)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let response = try await connection.send(MetadataRequest(topics: []), expecting: MetadataResponse.self, timeoutMillis: 5_000)
                    return response.brokers.count
                }
            }
            var all: [Int] = []
            for try await count in group { all.append(count) }
            return all
        }
        XCTAssertEqual(counts, Array(repeating: 1, count: 100))
        await cluster.close()
        XCTAssertTrue(connection.isClosed)
        do {
            _ = try await connection.send(MetadataRequest(topics: []), expecting: MetadataResponse.self, timeoutMillis: 5_000)
            XCTFail("a closed connection must refuse requests")
        } catch let error as SluiceClientError {
            guard case .connectionClosed(let broker, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(broker, broker)
        }
    }

    func testProducerSurvivesBrokerRestartWithoutDuplicates() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("survive", partitions: 1)
        await admin.close()
        var config = ProducerConfig()
        config.retryBackoffMillis = 50
        config.retryBackoffMaxMillis = 200
        config.retries = 50
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        try await producer.send(topic: "survive", key: nil, value: bytes("before"))
        broker.kill()
        let results = Mutex<[Result<RecordMetadata, SluiceClientError>]>([])
        for i in 0..<5 {
            try await producer.send(topic: "survive", key: nil, value: bytes("during-\(i)")) { result in
                results.withLock { $0.append(result) }
            }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        try broker.restart()
        await producer.flush()
        let delivered = results.withLock { $0 }
        XCTAssertEqual(delivered.count, 5)
        for result in delivered { XCTAssertNoThrow(try result.get(), "\(result)") }
        await producer.close()

        let consumer = try await Consumer(bootstrap: bootstrap)
        try await consumer.assign(topic: "survive")
        var records: [ConsumerRecord] = []
        for _ in 0..<10 where records.count < 6 { records += try await consumer.poll(timeoutMillis: 300) }
        records += try await consumer.poll(timeoutMillis: 200)
        XCTAssertEqual(records.map { String(decoding: $0.value ?? [], as: UTF8.self) },
                       ["before"] + (0..<5).map { "during-\($0)" })
        await consumer.close()
    }

    func testConsumerRidesOutBrokerRestart() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("steady", partitions: 1)
        await admin.close()
        let producer = try await Producer(bootstrap: bootstrap)
        try await producer.send(topic: "steady", value: bytes("one"))
        await producer.close()

        let consumer = try await Consumer(bootstrap: bootstrap)
        try await consumer.assign(topic: "steady")
        var values = try await consumer.poll(timeoutMillis: 2_000).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        XCTAssertEqual(values, ["one"])
        broker.kill()
        let quiet = try await consumer.poll(timeoutMillis: 300)  // retriable failures: empty, not thrown
        XCTAssertTrue(quiet.isEmpty)
        try broker.restart()
        let again = try await Producer(bootstrap: bootstrap)
        try await again.send(topic: "steady", value: bytes("two"))
        await again.close()
        for _ in 0..<20 where !values.contains("two") {
            values += try await consumer.poll(timeoutMillis: 300).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        }
        XCTAssertEqual(values, ["one", "two"])
        await consumer.close()
    }

    func testProducerGivesUpAfterRetriesWhenTheBrokerIsGone() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("gone", partitions: 1)
        await admin.close()
        var config = ProducerConfig()
        config.retries = 2
        config.retryBackoffMillis = 20
        config.connection.connectTimeoutMillis = 500
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        try await producer.send(topic: "gone", value: bytes("stored"))
        broker.kill()
        let start = Date()
        do {
            try await producer.send(topic: "gone", value: bytes("lost"))
            XCTFail("with the broker gone the send must fail once retries run out")
        } catch let error as SluiceClientError {
            XCTAssertTrue(error.isRetriable, "\(error)")
            XCTAssertTrue(error.description.contains(broker.address), error.description)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        await producer.flush()  // nothing outstanding: returns at once

        // The failed batch had a sequence, so the producer takes a new id before sending more.
        let before = await producer.producerIdAndEpoch
        try broker.restart()
        try await producer.send(topic: "gone", value: bytes("after"))
        let after = await producer.producerIdAndEpoch
        XCTAssertNotEqual(before.id, after.id)
        await producer.close()
        let consumer = try await Consumer(bootstrap: bootstrap)
        try await consumer.assign(topic: "gone")
        var values: [String] = []
        for _ in 0..<10 where values.count < 2 {
            values += try await consumer.poll(timeoutMillis: 300).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        }
        XCTAssertEqual(values, ["stored", "after"])
        await consumer.close()
    }
}
