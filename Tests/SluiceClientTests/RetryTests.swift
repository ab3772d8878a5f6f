@testable import SluiceClient
import XCTest
import Synchronization

private struct Permanent: Error {}
private struct Flaky: Error {}

private final class Attempts: Sendable {
    let byValue = Mutex<[String: Int]>([:])
    let handled = Mutex<[String]>([])
}

final class RetryTests: BrokerTestCase {
    func testRetryTopicsAndDeadLetters() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("jobs", partitions: 2)
        var config = RetryConfig(groupId: "workers")
        config.retryDelaysMillis = [100, 200]
        config.isRetriable = { !($0 is Permanent) }
        config.consumer.heartbeatIntervalMillis = 100
        config.consumer.sessionTimeoutMillis = 10_000
        config.consumer.rebalanceTimeoutMillis = 5_000
        let retrying = try await RetryingConsumer(bootstrap: bootstrap, topic: "jobs", config: config)
        let topics = try await admin.listTopics()
        XCTAssertTrue(topics.contains("jobs.retry.100ms") && topics.contains("jobs.retry.200ms") && topics.contains("jobs.dlq"), "\(topics)")

        let producer = try await Producer(bootstrap: bootstrap)
        for value in ["ok-1", "fail-once", "fail-always", "fatal", "ok-2"] {
            try await producer.send(topic: "jobs", key: bytes(value), value: bytes(value), headers: [Header("trace", "t-\(value)")])
        }
        await producer.close()

        let attempts = Attempts()
        let runner = Task {
            try await retrying.run { record in
                let value = String(decoding: record.value ?? [], as: UTF8.self)
                let attempt = attempts.byValue.withLock { map -> Int in
                    map[value, default: 0] += 1
                    return map[value] ?? 0
                }
                switch value {
                case "fail-once" where attempt == 1: throw Flaky()
                case "fail-always": throw Flaky()
                case "fatal": throw Permanent()
                default: attempts.handled.withLock { $0.append(value) }
                }
            }
        }

        let dlq = try await Consumer(bootstrap: bootstrap)
        try await dlq.assign(topic: "jobs.dlq")
        var dead: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline && (dead.count < 2 || attempts.handled.withLock({ $0.count }) < 3) {
            dead += try await dlq.poll(timeoutMillis: 200)
        }
        runner.cancel()
        _ = try? await runner.value
        await retrying.close()
        await dlq.close()

        XCTAssertEqual(Set(attempts.handled.withLock { $0 }), ["ok-1", "ok-2", "fail-once"])
        let counts = attempts.byValue.withLock { $0 }
        XCTAssertEqual(counts["fail-once"], 2)
        XCTAssertEqual(counts["fail-always"], 3, "first try plus one per retry topic")
        XCTAssertEqual(counts["fatal"], 1, "a non-retriable error goes straight to the dead letters")
        XCTAssertEqual(Set(dead.map { String(decoding: $0.value ?? [], as: UTF8.self) }), ["fail-always", "fatal"])
        for record in dead {
            let headers = Dictionary(record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) }, uniquingKeysWith: { $1 })
            let value = String(decoding: record.value ?? [], as: UTF8.self)
            XCTAssertEqual(headers[RetryingConsumer.attemptHeader], value == "fatal" ? "1" : "3")
            XCTAssertEqual(headers[RetryingConsumer.originalTopicHeader], "jobs")
            XCTAssertNotNil(headers[RetryingConsumer.originalOffsetHeader].flatMap { Int64($0) })
            XCTAssertEqual(headers["trace"], "t-\(value)", "user headers survive")
            XCTAssertEqual(record.key, bytes(value))
        }
        await admin.close()
    }
}
