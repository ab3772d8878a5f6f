import Foundation
@testable import SluiceBroker
import SluiceCore
import SluiceLog
import SluiceRaft
import SluiceWire
import Synchronization
import XCTest

/// A leader records a produce's batches in the partition's producer state when it proposes them,
/// before they are written, so that the producer's next batch is checked against them. A newer
/// leader may replace them before they are written.
final class PartitionGroupTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "sluice-group-tests/\(UUID().uuidString.prefix(8))/t-0"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// Node 1 of three, leading with its first entry written.
    private func leader() throws -> PartitionGroup {
        let partition = try Partition(topicPartition: TopicPartition(topic: "t", partition: PartitionID(0)), directory: directory, config: LogConfig())
        let storage = try PartitionRaftStorage(log: partition.log, bootstrap: Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)]))
        var options = RaftOptions()
        options.preVote = false
        options.checkQuorum = false  // a vote request of a newer term unseats it at once
        var group = PartitionGroup(partition: partition, storage: storage,
                                   node: RaftNode(id: NodeID(1), storage: storage, options: options, random: SeededRandom(seed: 1)), machine: nil)
        group.node.campaign()
        group.node.step(Message(kind: .voteResponse, from: NodeID(2), to: NodeID(1), term: group.node.term))
        XCTAssertEqual(group.node.role, .leader)
        try writeReady(&group)
        return group
    }

    private func writeReady(_ group: inout PartitionGroup) throws {
        guard group.node.hasReady else { return }
        let ready = group.node.ready()
        try group.persist(ready)
        group.node.advance(ready)
    }

    private func produce(_ group: inout PartitionGroup, producer: Int64, sequence: Int32) throws -> RecordBatchHeader {
        let batch = try RecordBatch.encode(records: [Record(offsetDelta: 0, key: nil, value: Array("p\(producer)".utf8))], baseTimestamp: 1,
                                           producerId: producer, producerEpoch: 0, baseSequence: sequence)
        let headers = try group.partition.validateFromProducer(batch).get()
        group.propose(records: batch, headers: headers, acks: 1, timeoutMillis: 1_000) { _ in }
        return try XCTUnwrap(headers.first)
    }

    /// A batch of no producer from node 2, leading `term`, replacing everything after `index`.
    private func newerLeadersAppend(_ group: PartitionGroup, term: Term, after index: LogIndex) throws -> Message {
        var batch = try RecordBatch.encode(records: [Record(offsetDelta: 0, key: nil, value: Array("other".utf8))], baseTimestamp: 1)
        _ = try PartitionRaftStorage.stamp(&batch, lastIndex: index, term: term)
        return Message(kind: .append, from: NodeID(2), to: NodeID(1), term: term, logTerm: try XCTUnwrap(group.storage.term(at: index)),
                       index: index, entries: [Entry(term: term, lastIndex: index + 1, indexCount: 1, data: batch)])
    }

    func testABatchReplacedBeforeItWasWrittenIsNotAnsweredAsADuplicate() throws {
        var group = try leader()
        let written = group.storage.lastIndex
        let header = try produce(&group, producer: 7, sequence: 0)
        XCTAssertNotNil(group.partition.producerState.producers[7], "recorded at propose")
        // Node 2 wins a newer term and its first append reaches node 1 before node 1 wrote the batch.
        let newer = Term(group.node.term.rawValue + 1)
        group.node.step(try newerLeadersAppend(group, term: newer, after: written))
        XCTAssertEqual(group.node.role, .follower)
        try writeReady(&group)
        XCTAssertEqual(group.storage.lastIndex, written + 1)
        XCTAssertNil(group.partition.producerState.producers[7], "the log never got producer 7's batch")
        XCTAssertEqual(group.partition.checkProducer(header), .append, "its retry is written, not answered from offsets holding another batch")
    }

    /// Two batches of one producer in one request: the second is checked against the first.
    func testEachBatchOfARequestIsCheckedAgainstTheOnesBeforeIt() throws {
        var group = try leader()
        _ = try produce(&group, producer: 9, sequence: 0)
        var records: [UInt8] = []
        for sequence in [Int32(1), 2] {
            records += try RecordBatch.encode(records: [Record(offsetDelta: 0, key: nil, value: Array("s\(sequence)".utf8))], baseTimestamp: 1,
                                              producerId: 9, producerEpoch: 0, baseSequence: sequence)
        }
        let headers = try group.partition.validateFromProducer(records).get()
        let outcome = Mutex<ProduceOutcome?>(nil)
        group.propose(records: records, headers: headers, acks: -1, timeoutMillis: 1_000) { result in outcome.withLock { $0 = result } }
        XCTAssertNil(outcome.withLock { $0 }, "both proposed, waiting for the commit")
        XCTAssertEqual(group.partition.producerState.producers[9]?.batches.map(\.firstSequence), [0, 1, 2])
    }

    func testAProposalKeptAfterASteppingDownIsRecordedOnce() throws {
        var group = try leader()
        _ = try produce(&group, producer: 7, sequence: 0)
        // A vote request of a newer term: node 1 steps down but keeps its unwritten entry.
        let newer = Term(group.node.term.rawValue + 1)
        group.node.step(Message(kind: .vote, from: NodeID(2), to: NodeID(1), term: newer, logTerm: .zero, index: .origin))
        XCTAssertEqual(group.node.role, .follower)
        try writeReady(&group)
        XCTAssertEqual(group.partition.producerState.producers[7]?.batches.count, 1, "recorded at propose, not again at the write")
    }
}
