import Foundation
import SluiceClient
import XCTest

/// The examples of the module documentation, run against a real broker so they stay true.
final class ExampleTests: BrokerTestCase {
    func testProducerAndGroupConsumerExamples() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("orders", partitions: 3)

        let producer = try await Producer(bootstrap: bootstrap)
        let meta = try await producer.send(topic: "orders", key: Array("customer-7".utf8), value: Array("{...}".utf8),
                                           headers: [Header("source", "checkout")])
        XCTAssertEqual(meta.offset, 0)
        for i in 0..<1_000 {
            try await producer.send(topic: "orders", value: Array("event \(i)".utf8)) { result in
                if case .failure(let error) = result { XCTFail("lost: \(error)") }
            }
        }
        await producer.flush()
        await producer.close()

        var config = ConsumerConfig()
        config.groupId = "billing"
        config.heartbeatIntervalMillis = 100
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.subscribe(["orders"], listener: RebalanceListener(
            onRevoked: { _ in try? await consumer.commit() },
            onAssigned: { partitions in XCTAssertEqual(partitions.count, 3) }))
        var handled = 0
        for try await record in consumer.records {
            XCTAssertNotNil(record.value)
            handled += 1
            if handled % 100 == 0 { try await consumer.commit() }
            if handled == 1_001 { break }
        }
        try await consumer.commit()
        await consumer.close()
        let lag = try await admin.groupLag("billing")
        XCTAssertEqual(lag.reduce(0) { $0 + $1.lag }, 0)
        await admin.close()
    }
}

/// The README shows the example executables verbatim; this keeps them the same files.
final class ReadmeExampleTests: XCTestCase {
    private var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testReadmeShowsTheExampleExecutables() throws {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for path in ["tools/examples/producer/main.swift", "tools/examples/consumer/main.swift"] {
            let source = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            XCTAssertTrue(readme.contains("```swift\n" + source + "```"), "README.md must show \(path) verbatim")
        }
    }
}
