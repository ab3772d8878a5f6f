import Foundation
import SluiceClient
import XCTest

/// Against librdkafka through `kcat` and confluent-kafka. `make test` installs both first and sets
/// SLUICE_INTEROP_REQUIRED=1, so there a missing tool fails the test; a bare `swift test` on a
/// machine without them skips it. SLUICE_PYTHON names the Python that has confluent-kafka.
final class InteropTests: BrokerTestCase {
    private static let required = ProcessInfo.processInfo.environment["SLUICE_INTEROP_REQUIRED"] == "1"
    private static let python = ProcessInfo.processInfo.environment["SLUICE_PYTHON"] ?? "python3"

    /// Skips, or fails under `make test`, when a tool the test needs is missing.
    private func missing(_ what: String) throws -> Never {
        if Self.required { XCTFail("\(what) is missing, but make test installs it") }
        throw XCTSkip("\(what) is not installed")
    }

    private func kcat(_ arguments: [String], input: String? = nil) throws -> String {
        // Wherever `make compat-deps` found or put it: the PATH first, then Debian's places.
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        let path = directories.flatMap { ["\($0)/kcat", "\($0)/kafkacat"] }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { try missing("kcat") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-b", broker.address] + arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "kcat \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    func testSwiftProducedRecordsReadByLibrdkafka() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("to-rdkafka", partitions: 1)
        await admin.close()
        let producer = try await Producer(bootstrap: bootstrap)
        for i in 0..<20 {
            try await producer.send(topic: "to-rdkafka", key: bytes("k\(i)"), value: bytes("swift value \(i) swift value"),
                                    headers: [Header("origin", "swift")]) { _ in }
        }
        await producer.close()
        let lines = try kcat(["-C", "-t", "to-rdkafka", "-o", "beginning", "-e", "-q", "-f", "%o|%k|%s|%h\\n"])
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, (0..<20).map { "\($0)|k\($0)|swift value \($0) swift value|origin=swift" })
    }

    func testLibrdkafkaMurmur2PartitionsAgreeAndRecordsReadBySwift() async throws {
        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("from-rdkafka", partitions: 6)
        await admin.close()
        let input = (0..<60).map { "key-\($0):value-\($0)" }.joined(separator: "\n") + "\n"
        _ = try kcat(["-P", "-t", "from-rdkafka", "-K", ":", "-z", "lz4", "-X", "partitioner=murmur2_random", "-H", "origin=rdkafka"], input: input)
        let consumer = try await Consumer(bootstrap: bootstrap)
        try await consumer.assign(topic: "from-rdkafka")
        var records: [ConsumerRecord] = []
        for _ in 0..<20 where records.count < 60 { records += try await consumer.poll(timeoutMillis: 300) }
        await consumer.close()
        XCTAssertEqual(records.count, 60)
        for record in records {
            let key = record.key ?? []
            XCTAssertEqual(record.partition, Partitioner.partition(forKey: key, partitionCount: 6), "librdkafka murmur2_random and Swift agree")
            XCTAssertEqual(String(decoding: record.value ?? [], as: UTF8.self), "value-" + String(decoding: key, as: UTF8.self).dropFirst(4))
            XCTAssertEqual(record.headers, [Header("origin", "rdkafka")])
        }
        XCTAssertGreaterThan(Set(records.map(\.partition)).count, 3)
    }

    func testMixedGroupWithLibrdkafkaSplitsPartitions() async throws {
        let python = "/usr/bin/env"  // the python3 on PATH, with its packages
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = [Self.python, "-c", "import confluent_kafka"]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else { try missing("confluent-kafka for \(Self.python)") }

        let admin = try Admin(bootstrap: bootstrap)
        try await admin.createTopic("mixed", partitions: 4)
        let stopFile = broker.dataDir.appendingPathComponent("stop-python").path
        let script = """
        import os, sys, confluent_kafka
        c = confluent_kafka.Consumer({"bootstrap.servers": "\(broker.address)", "group.id": "mixed",
            "partition.assignment.strategy": "range", "heartbeat.interval.ms": 100, "session.timeout.ms": 10000,
            "auto.offset.reset": "earliest", "enable.auto.commit": False})
        c.subscribe(["mixed"], on_assign=lambda consumer, parts: print("ASSIGN", sorted(p.partition for p in parts), flush=True))
        while not os.path.exists("\(stopFile)"):
            c.poll(0.1)
        print("FINAL", ",".join(str(p.partition) for p in sorted(c.assignment(), key=lambda p: p.partition)), flush=True)
        c.close()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.python, "-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        var config = ConsumerConfig()
        config.groupId = "mixed"
        config.heartbeatIntervalMillis = 100
        config.sessionTimeoutMillis = 10_000
        config.rebalanceTimeoutMillis = 10_000
        let consumer = try await Consumer(bootstrap: bootstrap, config: config)
        try await consumer.subscribe(["mixed"])
        var stableSince: Date?
        var mine: [TopicPartition] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            _ = try await consumer.poll(timeoutMillis: 100)
            let now = await consumer.assignment
            if now != mine { stableSince = nil }
            mine = now
            if !mine.isEmpty && mine.count < 4 {
                if stableSince == nil { stableSince = Date() }
                if let since = stableSince, Date().timeIntervalSince(since) > 1.0 { break }
            }
        }
        _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        await consumer.close()
        await admin.close()
        let final = text.split(separator: "\n").last { $0.hasPrefix("FINAL") }.map { $0.dropFirst(6) } ?? ""
        let theirs = Set(final.split(separator: ",").compactMap { Int32($0) })
        let ours = Set(mine.map(\.partition))
        XCTAssertEqual(ours.count, 2, "range splits 4 partitions 2/2; librdkafka said: \(text)")
        XCTAssertTrue(ours.isDisjoint(with: theirs), "ours \(ours), librdkafka's \(theirs)")
        XCTAssertEqual(ours.union(theirs), [0, 1, 2, 3])
    }
}
