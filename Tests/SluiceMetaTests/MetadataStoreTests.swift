import Foundation
@testable import SluiceMeta
import XCTest

final class MetadataStoreTests: XCTestCase {
    private func databasePath() -> String {
        let directory = NSTemporaryDirectory() + "sluice-meta-tests-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/meta.db"
    }

    func testCommandsApplyOnceAndSurviveReopen() throws {
        let path = databasePath()
        do {
            let store = try MetadataStore(path: path)
            try store.apply(.createTopic(name: "orders", topicID: Array(repeating: 7, count: 16), partitions: 3, replicationFactor: 1,
                                         configs: ["retention.ms": "1000"]), index: 1)
            try store.apply(.createPartitions(name: "orders", totalCount: 6), index: 2)
            try store.apply(.alterTopicConfigs(name: "orders", changes: ["retention.ms": nil, "segment.bytes": "4096"]), index: 3)
            // A replayed entry is ignored: same index, no second effect.
            try store.apply(.createPartitions(name: "orders", totalCount: 9), index: 2)
            XCTAssertEqual(try store.apply(.allocateProducerIDs(count: 100), index: 4), 1000)
            XCTAssertEqual(try store.apply(.allocateProducerIDs(count: 100), index: 5), 1100)
        }
        let reopened = try MetadataStore(path: path)
        XCTAssertEqual(try reopened.appliedIndex, 5)
        let topic = try XCTUnwrap(try reopened.topics().first)
        XCTAssertEqual(topic.partitionCount, 6)
        XCTAssertEqual(topic.configs, ["segment.bytes": "4096"])
        XCTAssertEqual(try reopened.apply(.allocateProducerIDs(count: 1), index: 6), 1200)
        try reopened.apply(.deleteTopic(name: "orders"), index: 7)
        XCTAssertEqual(try reopened.topics(), [])
    }

    func testAFailingCommandChangesNothing() throws {
        let store = try MetadataStore(path: databasePath())
        try store.apply(.createTopic(name: "a", topicID: [], partitions: 1, replicationFactor: 1, configs: [:]), index: 1)
        XCTAssertThrowsError(try store.apply(.createTopic(name: "a", topicID: [], partitions: 2, replicationFactor: 1, configs: [:]), index: 2))
        XCTAssertEqual(try store.appliedIndex, 1)
        XCTAssertEqual(try store.topics().first?.partitionCount, 1)
    }
}

final class DatabaseErrorTests: XCTestCase {
    /// I/O errors (a failed fsync among them, as an extended code too), corruption, a file that
    /// is not a database and a closed connection are damage; a full disk or a refused row is not.
    func testDamageIsTheFailuresAWriteMustNotBeRetriedAfter() {
        for code: Int32 in [10, 1034, 11, 26, 21] { XCTAssertTrue(DatabaseError(code: code, message: "").isDamage, "\(code)") }
        for code: Int32 in [13, 19, 5, 8] { XCTAssertFalse(DatabaseError(code: code, message: "").isDamage, "\(code)") }
    }
}
