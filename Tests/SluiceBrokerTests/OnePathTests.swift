import XCTest

/// The Raft host runs groups, not topics: what a group's entries mean lives in the state machine
/// attached to it (`RaftStateMachine`). And a node is always a cluster member: no code path asks
/// whether it is one. Fails if either creeps back in.
final class OnePathTests: XCTestCase {
    private func source(_ relative: String) throws -> String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return try String(contentsOfFile: parts.joined(separator: "/") + "/Sources/SluiceBroker/" + relative, encoding: .utf8)
    }

    func testRaftHostNamesNoTopic() throws {
        let host = try source("Cluster/RaftHost.swift") + source("Cluster/PartitionGroup.swift")
        for topicCheck in ["offsetsTopic", "__consumer_offsets", "ControllerCommandCodec", "OffsetStore", ".topic =="] {
            XCTAssertFalse(host.contains(topicCheck), "the Raft host mentions \(topicCheck): attach a RaftStateMachine instead")
        }
    }

    func testNoSingleNodeBranch() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let root = parts.joined(separator: "/") + "/Sources/SluiceBroker"
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for fork in ["isClustered", "cluster == nil", "if let cluster ", "guard let cluster else", "Flusher("] {
                XCTAssertFalse(text.contains(fork), "\(file) branches on the deployment (\(fork)): a single node is a cluster of one")
            }
        }
    }
}
