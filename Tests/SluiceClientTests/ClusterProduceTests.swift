import Foundation
import SluiceClient
import Synchronization
import XCTest

/// Runs `body`, failing with `message` when it takes longer than `seconds`.
func withDeadline<T: Sendable>(seconds: Double, _ message: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw FixtureError(message: message) }
        return value
    }
}

/// Kill a broker of a 3-node cluster during a produce loop: no acknowledged record is lost or
/// duplicated (idempotent producer, acks=all, retries across the leader change).
final class ClusterProduceTests: XCTestCase {
    func testKillingABrokerDuringAProduceLoopLosesAndDuplicatesNoAcknowledgedRecord() async throws {
        let cluster = try ClusterFixture(size: 3)
        defer { cluster.stop() }
        let bootstrap = cluster.bootstrap
        do {
            try await runKillDuringProduce(cluster: cluster, bootstrap: bootstrap)
        } catch {
            XCTFail("\(error)\n" + cluster.nodes.map { "--- node \($0.id)\n" + cluster.tail($0.id) }.joined(separator: "\n"))
        }
    }

    private func runKillDuringProduce(cluster: ClusterFixture, bootstrap: [String]) async throws {
        let admin = try Admin(bootstrap: bootstrap)
        // A cluster just started may still elect its controller and register brokers: retry.
        try await withDeadline(seconds: 30, "topic 'loop' got no leaders within 30 s") {
            while true {
                // Replication factor 3 needs all three brokers registered with the controller.
                guard let description = try? await admin.describeCluster(), description.brokers.count == 3, description.controllerId >= 0 else {
                    try await Task.sleep(nanoseconds: 100_000_000)
                    continue
                }
                do {
                    try await admin.createTopic("loop", partitions: 3, replicationFactor: 3)
                } catch let error as SluiceClientError where error.code == .topicAlreadyExists || error.isRetriable {
                } catch SluiceClientError.protocolError {}
                if let topic = try? await admin.describeTopics(["loop"]).first, topic.partitions.count == 3,
                   topic.partitions.allSatisfy({ $0.leader >= 0 }) { return }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
        }
        // The victim leads partition 0: its death forces a leader change under the producer.
        let leaders = try await admin.describeTopics(["loop"]).first?.partitions.map(\.leader) ?? []
        let victim = Int(leaders.first ?? 1)
        await admin.close()
        guard (1...3).contains(victim) else { throw FixtureError(message: "partition 0 is led by node \(victim)") }

        var config = ProducerConfig()
        config.retries = 1_000
        config.deliveryTimeoutMillis = 60_000
        config.connection.requestTimeoutMillis = 5_000
        let producer = try await Producer(bootstrap: bootstrap, config: config)
        let outcomes = Outcomes()
        let total = 6_000
        // ~5,000 records/s; the victim is killed a third of the way in, with batches in flight.
        @Sendable func produce(_ range: Range<Int>) async throws {
            for i in range {
                let value = "r\(i)"
                try await producer.send(topic: "loop", key: Array("k\(i % 50)".utf8), value: Array(value.utf8)) { result in
                    outcomes.record(value, result)
                }
                if i % 100 == 99 { try await Task.sleep(nanoseconds: 20_000_000) }
            }
        }
        try await withDeadline(seconds: 30, "the first third of the produce loop took over 30 s") { try await produce(0..<(total / 3)) }
        cluster.kill(Int32(victim))
        try await withDeadline(seconds: 90, "the produce loop did not finish within 90 s of the kill") {
            try await produce((total / 3)..<total)
            await producer.flush()
        }
        await producer.close()
        let failures = outcomes.failed.withLock { $0 }
        XCTAssertTrue(failures.isEmpty, "records failed for good: \(failures.prefix(5))")
        let acked = outcomes.acknowledged.withLock { $0 }
        XCTAssertEqual(acked.count + failures.count, total)

        // Read every partition to its end from a surviving broker.
        let survivors = cluster.nodes.filter { $0.id != Int32(victim) }.map { "127.0.0.1:\($0.clientPort)" }
        let partitions = (0..<3).map { TopicPartition("loop", Int32($0)) }
        let reader = try Admin(bootstrap: survivors)
        let ends = try await reader.listOffsets(partitions, spec: .latest)
        await reader.close()
        let consumer = try await Consumer(bootstrap: survivors)
        try await consumer.assign(partitions)
        try await consumer.seekAll(to: .beginning)
        var seen: [String: [(partition: Int32, offset: Int64)]] = [:]
        // Raft writes a control batch (no user records) at the start of each leader's term, so
        // the end offsets exceed the records: read until every position reaches its end.
        var idlePolls = 0
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && idlePolls < 6 {
            let records = try await consumer.poll(timeoutMillis: 500)
            for record in records {
                seen[String(decoding: record.value ?? [], as: UTF8.self), default: []].append((record.partition, record.offset))
            }
            var caughtUp = true
            for tp in partitions where (await consumer.position(tp) ?? 0) < (ends[tp] ?? 0) { caughtUp = false }
            if caughtUp { break }
            idlePolls = records.isEmpty ? idlePolls + 1 : 0
        }
        await consumer.close()
        XCTAssertGreaterThanOrEqual(seen.count, acked.count, "read \(seen.count) distinct records, \(acked.count) acknowledged; ends \(ends)")
        let duplicated = seen.filter { $0.value.count > 1 }
        XCTAssertTrue(duplicated.isEmpty, "records stored more than once: \(duplicated.prefix(5))")
        var lost: [String] = []
        var moved: [String] = []
        for (value, meta) in acked {
            guard let stored = seen[value]?.first else {
                lost.append(value)
                continue
            }
            if stored.partition != meta.partition || stored.offset != meta.offset { moved.append("\(value) acked at \(meta) read at \(stored)") }
        }
        XCTAssertTrue(lost.isEmpty, "\(lost.count) acknowledged records lost, e.g. \(lost.sorted().prefix(5))")
        XCTAssertTrue(moved.isEmpty, "acknowledged records not where their acknowledgement said: \(moved.prefix(5))")
    }
}

/// What the producer's completions reported, by record value.
final class Outcomes: Sendable {
    let acknowledged = Mutex<[String: (partition: Int32, offset: Int64)]>([:])
    let failed = Mutex<[String]>([])

    func record(_ value: String, _ result: Result<RecordMetadata, SluiceClientError>) {
        switch result {
        case .success(let meta): acknowledged.withLock { $0[value] = (meta.partition, meta.offset) }
        case .failure(let error): failed.withLock { $0.append("\(value): \(error)") }
        }
    }
}
