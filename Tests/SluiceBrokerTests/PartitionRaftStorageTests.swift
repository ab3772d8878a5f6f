import Foundation
import SluiceBroker
import SluiceCore
import SluiceLog
import SluiceRaft
import SluiceWire
import XCTest

/// A Raft group of `RaftNode<PartitionRaftStorage>` over real partition logs in temp directories,
/// driven by hand like `LocalCluster`: each Ready is persisted in the contract's order (snapshot,
/// entries, hard state, sync), then its messages are queued, then the node advances.
private struct DiskGroup {
    let base: String
    let config: LogConfig
    let options: RaftOptions
    let ids: [NodeID]
    var nodes: [NodeID: RaftNode<PartitionRaftStorage>] = [:]
    var storages: [NodeID: PartitionRaftStorage] = [:]
    var applied: [NodeID: [Entry]] = [:]
    var inFlight: [Message] = []
    var cut: Set<[NodeID]> = []

    init(count: Int = 3, config: LogConfig = LogConfig()) throws {
        base = NSTemporaryDirectory() + "sluice-raft-storage-tests/\(UUID().uuidString.prefix(8))"
        self.config = config
        var o = RaftOptions()
        o.checkQuorum = false // elections are started by hand; no leases to wait out
        options = o
        ids = (1...count).map { NodeID(Int32($0)) }
        for id in ids { try open(id) }
    }

    func directory(_ id: NodeID) -> String { base + "/node\(id)/topic-0" }

    mutating func open(_ id: NodeID) throws {
        let log = try PartitionLog(directory: directory(id), config: config)
        let storage = try PartitionRaftStorage(log: log, bootstrap: Configuration(voters: ids))
        storages[id] = storage
        nodes[id] = RaftNode(id: id, storage: storage, options: options, random: SeededRandom(seed: 7 &+ UInt64(id.rawValue)))
        applied[id, default: []] = []
    }

    /// Closes `id`'s storage (its unsent messages are lost, as in a crash after sync) and reopens it.
    mutating func restart(_ id: NodeID) throws {
        try storages[id]!.close()
        inFlight.removeAll { $0.to == id || $0.from == id }
        try open(id)
    }

    func storage(_ id: NodeID) -> PartitionRaftStorage { storages[id]! }
    func node(_ id: NodeID) -> RaftNode<PartitionRaftStorage> { nodes[id]! }

    mutating func process(_ id: NodeID) throws {
        guard var n = nodes[id], let s = storages[id] else { return }
        while n.hasReady {
            let r = n.ready()
            try s.persist(r)
            try s.sync()
            XCTAssertNil(s.fault, "node \(id): \(s.fault.map(\.description) ?? "")")
            inFlight.append(contentsOf: r.messages(afterPersistingTo: s))
            applied[id, default: []].append(contentsOf: r.committedEntries)
            n.advance(r)
        }
        nodes[id] = n
    }

    mutating func stabilize(roundsMax: Int = 1000) throws {
        for _ in 0..<roundsMax {
            for id in ids { try process(id) }
            if inFlight.isEmpty { return }
            let batch = inFlight
            inFlight = []
            for m in batch where !cut.contains([m.from, m.to]) && nodes[m.to] != nil { nodes[m.to]!.step(m) }
        }
        XCTFail("group did not settle")
    }

    mutating func isolate(_ id: NodeID) {
        for other in ids where other != id {
            cut.insert([id, other])
            cut.insert([other, id])
        }
    }

    mutating func heal() { cut.removeAll() }

    mutating func elect(_ id: NodeID) throws {
        nodes[id]!.campaign()
        try stabilize()
        XCTAssertEqual(nodes[id]!.role, .leader)
    }

    mutating func tick(_ id: NodeID) throws {
        nodes[id]!.tick()
        try process(id)
    }

    /// Proposes one record batch of `count` records tagged `tag` on the leader `id`, stamped as a
    /// leader stamps a producer's batch.
    @discardableResult
    mutating func propose(on id: NodeID, tag: String, count: Int = 3) throws -> LogIndex {
        var batch = makeRaftBatch(count: count, tag: tag)
        let n = nodes[id]!
        let indexCount = try PartitionRaftStorage.stamp(&batch, lastIndex: n.lastIndex, term: n.term)
        XCTAssertEqual(indexCount, Int64(count))
        let (index, _) = try nodes[id]!.propose(batch, indexCount: indexCount)
        try process(id)
        return index
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: base) }
}

/// A producer-style batch (offset 0, epoch -1) whose values carry `tag`.
private func makeRaftBatch(count: Int, tag: String, valueBytes: Int = 60) -> [UInt8] {
    let records = (0..<count).map { i in
        Record(timestampDelta: Int64(i), offsetDelta: Int32(i), key: Array("k\(i)".utf8),
               value: Array("\(tag)#\(i)|\(String(repeating: "x", count: valueBytes))".utf8))
    }
    return (try? RecordBatch.encode(records: records, baseTimestamp: 1_700_000_000_000)) ?? []
}

/// Every stored batch of `log` from its start, as raw bytes.
private func storedBytes(_ log: PartitionLog, from start: Int64? = nil) throws -> [UInt8] {
    var out: [UInt8] = []
    var next = start ?? log.logStartOffset
    while next < log.logEndOffset {
        let bytes = try log.readBytes(from: next, maxBytes: 1 << 20)
        guard !bytes.isEmpty else { break }
        let batches = try RecordBatch.decodeAll(bytes, maxBatchBytes: 64 << 20)
        guard let last = batches.last else { break }
        out += bytes
        next = last.header.lastOffset + 1
    }
    return out
}

/// What a Kafka consumer sees: (offset, value) of every record outside control batches.
private func consumerView(_ bytes: [UInt8]) throws -> [(Int64, String)] {
    try RecordBatch.decodeAll(bytes, maxBatchBytes: 64 << 20).filter { !$0.header.attributes.isControl }.flatMap { b in
        b.records.map { (b.header.baseOffset + Int64($0.offsetDelta), String(decoding: $0.value ?? [], as: UTF8.self)) }
    }
}

final class PartitionRaftStorageTests: XCTestCase {
    func testElectProposeCommitGivesIdenticalLogs() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        try g.elect(NodeID(1))
        var last = LogIndex(0)
        for (i, count) in [3, 1, 5, 2].enumerated() { last = try g.propose(on: NodeID(1), tag: "b\(i)", count: count) }
        try g.stabilize()

        // noop at offset 0, then 3 + 1 + 5 + 2 records: the log end is 12, and so is the commit (= HW).
        XCTAssertEqual(last, LogIndex(12))
        let reference = try storedBytes(g.storage(NodeID(1)).log)
        for id in g.ids {
            let s = g.storage(id)
            XCTAssertEqual(s.lastIndex, LogIndex(12))
            XCTAssertEqual(g.node(id).commitIndex, LogIndex(12), "node \(id)")
            XCTAssertEqual(s.log.logEndOffset, 12)
            XCTAssertEqual(try storedBytes(s.log), reference, "node \(id) holds other bytes")
            XCTAssertEqual(g.applied[id]?.last?.lastIndex, LogIndex(12))
        }
        let batches = try RecordBatch.decodeAll(reference, maxBatchBytes: 64 << 20)
        XCTAssertEqual(batches.map(\.header.baseOffset), [0, 1, 4, 5, 10])
        XCTAssertEqual(batches.map(\.header.partitionLeaderEpoch), Array(repeating: Int32(g.node(NodeID(1)).term.rawValue), count: 5))
        XCTAssertTrue(batches[0].header.attributes.isControl)

        // The Raft view: entries are the batches, boundaries are batch ends.
        let s = g.storage(NodeID(2))
        let entries = s.entries(after: LogIndex(0), through: s.lastIndex, bytesMax: .max)
        XCTAssertEqual(entries.map(\.lastIndex), [1, 4, 5, 10, 12].map { LogIndex($0) })
        XCTAssertEqual(entries.map(\.indexCount), [1, 3, 1, 5, 2])
        XCTAssertEqual(entries[0].kind, .noop)
        XCTAssertEqual(entries[1].data, Array(reference[batches[0].header.totalSize..<(batches[0].header.totalSize + batches[1].header.totalSize)]))
        XCTAssertEqual(s.boundary(atOrBefore: LogIndex(8))?.index, LogIndex(5))
        XCTAssertEqual(s.boundary(atOrBefore: LogIndex(10))?.index, LogIndex(10))
        XCTAssertEqual(s.boundary(atOrBefore: LogIndex(99))?.index, LogIndex(12))
        XCTAssertEqual(s.boundary(atOrBefore: LogIndex(0))?.index, LogIndex(0))
        XCTAssertEqual(s.term(at: LogIndex(0)), Term.zero)
        XCTAssertEqual(s.term(at: LogIndex(10)), g.node(NodeID(1)).term)
        XCTAssertNil(s.term(at: LogIndex(13)))
        // bytesMax stops early but always returns one entry.
        XCTAssertEqual(s.entries(after: LogIndex(1), through: s.lastIndex, bytesMax: 1).count, 1)
        XCTAssertNil(s.fault)
    }

    func testLeaderChangeReplacesDivergentTail() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let (n1, n2, n3) = (NodeID(1), NodeID(2), NodeID(3))
        try g.elect(n1)
        try g.propose(on: n1, tag: "committed", count: 2)
        try g.stabilize()
        XCTAssertEqual(g.node(n3).commitIndex, LogIndex(3))

        // The old leader, cut off, appends a tail nobody else gets.
        g.isolate(n1)
        try g.propose(on: n1, tag: "lost-a", count: 4)
        try g.propose(on: n1, tag: "lost-b", count: 1)
        try g.stabilize()
        XCTAssertEqual(g.storage(n1).lastIndex, LogIndex(8))

        try g.elect(n2)
        try g.propose(on: n2, tag: "new", count: 2)
        try g.stabilize()
        XCTAssertEqual(g.node(n3).commitIndex, LogIndex(6)) // 3 + noop + 2

        g.heal()
        try g.tick(n2) // a heartbeat tells the old leader about the new term
        try g.stabilize()
        XCTAssertEqual(g.node(n1).role, .follower)
        let reference = try storedBytes(g.storage(n2).log)
        for id in g.ids {
            XCTAssertEqual(try storedBytes(g.storage(id).log), reference, "node \(id)")
            XCTAssertEqual(g.storage(id).lastIndex, LogIndex(6))
            XCTAssertEqual(g.node(id).commitIndex, LogIndex(6))
        }
        let values = try consumerView(reference).map { $0.1.split(separator: "|")[0] }
        XCTAssertEqual(values, ["committed#0", "committed#1", "new#0", "new#1"])
        XCTAssertEqual(try consumerView(reference).map(\.0), [1, 2, 4, 5])
        // The old leader's epoch cache forgot the lost tail's epoch range.
        XCTAssertEqual(g.storage(n1).term(at: LogIndex(6)), g.node(n2).term)
    }

    func testRestartFromDiskKeepsTermVoteAndConfiguration() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let (n1, n2) = (NodeID(1), NodeID(2))
        try g.elect(n1)
        try g.propose(on: n1, tag: "a", count: 3)
        try g.stabilize()
        try g.nodes[n1]!.proposeConfigChange(.addLearner(NodeID(4))) // node 4 never answers
        try g.stabilize()
        try g.propose(on: n1, tag: "b", count: 2)
        try g.stabilize()
        let expected = Configuration(voters: g.ids, learners: [NodeID(4)])
        let before = g.ids.map { (g.node($0).term, g.node($0).vote, g.storage($0).lastIndex) }

        for id in g.ids { try g.restart(id) }
        for (k, id) in g.ids.enumerated() {
            let s = g.storage(id)
            XCTAssertEqual(g.node(id).term, before[k].0)
            XCTAssertEqual(g.node(id).vote, before[k].1)
            XCTAssertEqual(s.lastIndex, before[k].2)
            XCTAssertEqual(g.node(id).configuration, expected, "node \(id)")
            // Opening read the configuration list, not the log.
            XCTAssertEqual(s.statistics.configurationReads, 1)
            XCTAssertEqual(s.statistics.entriesReads, 0)
            XCTAssertEqual(s.statistics.headerScans, 0)
            XCTAssertEqual(s.hardState.commit, LogIndex(7)) // noop, 3 records, configuration, 2 records
        }

        try g.elect(n2)
        try g.propose(on: n2, tag: "c", count: 1)
        try g.stabilize()
        let reference = try storedBytes(g.storage(n2).log)
        for id in g.ids {
            XCTAssertEqual(try storedBytes(g.storage(id).log), reference)
            XCTAssertEqual(g.node(id).commitIndex, LogIndex(9))
            XCTAssertEqual(g.node(id).configuration, expected)
        }
        XCTAssertEqual(try consumerView(reference).count, 6)
    }

    func testFollowerBehindLogStartInstallsSnapshotThenCatchesUp() throws {
        let config = LogConfig(segmentBytes: 1024, retentionBytes: 2048, retentionMillis: -1)
        var g = try DiskGroup(config: config)
        defer { g.cleanUp() }
        let (n1, n3) = (NodeID(1), NodeID(3))
        try g.elect(n1)
        try g.propose(on: n1, tag: "early", count: 2)
        try g.stabilize()
        g.isolate(n3)
        for i in 0..<30 { try g.propose(on: n1, tag: "m\(i)", count: 2) }
        try g.stabilize()
        let leader = g.storage(n1)
        XCTAssertGreaterThan(leader.log.segmentCount, 4)

        let deleted = try leader.applyRetention(appliedIndex: g.node(n1).appliedIndex)
        XCTAssertGreaterThan(deleted, 0)
        let snapshot = leader.snapshot.metadata
        XCTAssertEqual(snapshot.index.rawValue, leader.log.logStartOffset)
        XCTAssertGreaterThan(snapshot.index, g.storage(n3).lastIndex)
        XCTAssertEqual(snapshot.term, g.node(n1).term)
        XCTAssertEqual(snapshot.configuration, Configuration(voters: g.ids))
        XCTAssertNil(leader.term(at: snapshot.index - 1))

        g.heal()
        try g.tick(n1)
        try g.stabilize()
        let follower = g.storage(n3)
        XCTAssertEqual(follower.snapshot.metadata.index, snapshot.index)
        XCTAssertEqual(follower.log.logStartOffset, snapshot.index.rawValue)
        XCTAssertEqual(follower.lastIndex, leader.lastIndex)
        XCTAssertEqual(g.node(n3).commitIndex, leader.lastIndex)
        XCTAssertEqual(try storedBytes(follower.log), try storedBytes(leader.log, from: snapshot.index.rawValue))

        // And it keeps following, across a restart.
        try g.restart(n3)
        try g.propose(on: n1, tag: "after", count: 2)
        try g.stabilize()
        XCTAssertEqual(g.storage(n3).lastIndex, g.storage(n1).lastIndex)
        XCTAssertEqual(g.storage(n3).snapshot.metadata, snapshot)
    }

    /// A log with a state machine is cut behind the machine's snapshot: the leader keeps the
    /// snapshot's bytes, a follower behind the cut receives them with the position, and both
    /// find them again after a restart; a later snapshot without data drops them.
    func testSnapshotDataIsKeptSentAndInstalledWithThePosition() throws {
        var g = try DiskGroup(config: LogConfig(segmentBytes: 1024, retentionMillis: -1))
        defer { g.cleanUp() }
        let (n1, n3) = (NodeID(1), NodeID(3))
        try g.elect(n1)
        g.isolate(n3)
        for i in 0..<30 { try g.propose(on: n1, tag: "m\(i)", count: 2) }
        try g.stabilize()
        let leader = g.storage(n1)
        let state: [UInt8] = Array("the machine's state".utf8)
        let prepared = try leader.prepareSnapshotData(state, .taken)
        XCTAssertEqual(leader.snapshot.data, [], "prepared, not kept yet")
        try leader.keepSnapshotData(prepared)
        XCTAssertFalse(FileManager.default.fileExists(atPath: g.directory(n1) + "/" + PartitionRaftStorage.preparedSnapshotDataFileName(.taken)))
        let cut = try XCTUnwrap(leader.log.segmentBaseOffsets.dropFirst().last)
        try leader.deleteRecords(before: cut, appliedIndex: g.node(n1).appliedIndex)
        XCTAssertEqual(leader.snapshot.metadata.index.rawValue, cut)
        XCTAssertEqual(leader.snapshot.data, state)

        g.heal()
        try g.tick(n1)
        try g.stabilize()
        XCTAssertEqual(g.storage(n3).snapshot.metadata.index.rawValue, cut)
        XCTAssertEqual(g.storage(n3).snapshot.data, state, "sent with the position")
        try g.restart(n3)
        try g.restart(n1)
        XCTAssertEqual(g.storage(n3).snapshot.data, state, "kept across a restart")
        XCTAssertEqual(g.storage(n1).snapshot.data, state)
        // A kept file that fails its checksum is dropped at open, not handed to a follower.
        let kept = g.directory(n1) + "/" + PartitionRaftStorage.snapshotDataFileName
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: kept))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: kept))
        try g.restart(n1)
        XCTAssertEqual(g.storage(n1).snapshot.data, [])
        XCTAssertEqual(g.storage(n1).snapshot.metadata.index.rawValue, cut)

        let follower = g.storage(n3)
        let later = SnapshotMetadata(index: follower.lastIndex + 2, term: g.node(n1).term, configuration: Configuration(voters: g.ids))
        try follower.persist(snapshot: Snapshot(metadata: later))
        XCTAssertEqual(follower.snapshot.data, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: g.directory(n3) + "/" + PartitionRaftStorage.snapshotDataFileName))
        XCTAssertThrowsError(try follower.prepareSnapshotData([UInt8](repeating: 0, count: PartitionRaftStorage.snapshotDataBytesMax + 1), .received))
        XCTAssertThrowsError(try follower.prepareSnapshotData([], .received))
    }

    /// A snapshot prepared but never kept (a crash before the rename, or the log moved under
    /// it) changes nothing: it is removed, at open or by `discard`, and the kept one stays.
    func testAPreparedSnapshotIsNotKeptUntilRenamedAndIsRemovedAtOpen() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let n1 = NodeID(1)
        try g.elect(n1)
        try g.propose(on: n1, tag: "a", count: 4)
        try g.stabilize()
        let storage = g.storage(n1)
        try storage.keepSnapshotData(storage.prepareSnapshotData(Array("kept".utf8), .taken))
        let prepared = g.directory(n1) + "/" + PartitionRaftStorage.preparedSnapshotDataFileName(.taken)
        _ = try storage.prepareSnapshotData(Array("taken, then a crash".utf8), .taken)
        XCTAssertTrue(FileManager.default.fileExists(atPath: prepared))
        try g.restart(n1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: prepared), "removed at open")
        XCTAssertEqual(g.storage(n1).snapshot.data, Array("kept".utf8))
        let unused = try g.storage(n1).prepareSnapshotData(Array("unused".utf8), .taken)
        g.storage(n1).discard(unused)
        XCTAssertFalse(FileManager.default.fileExists(atPath: prepared), "discarded")
        XCTAssertEqual(g.storage(n1).snapshot.data, Array("kept".utf8))
    }

    /// A leader's snapshot written beside the log beforehand (`.received`) is installed by a
    /// rename, with the term and vote of the Ready that brought it, and both are there after a
    /// restart; a `.received` file a crash left is removed at open; one without data removes
    /// the kept file.
    func testAReceivedSnapshotIsInstalledByARenameWithItsTermAndVote() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let (n1, n2) = (NodeID(1), NodeID(2))
        try g.elect(n1)
        try g.propose(on: n1, tag: "a", count: 4)
        try g.stabilize()
        let follower = g.storage(n2)
        let term = Term(g.node(n1).term.rawValue + 1)
        let meta = SnapshotMetadata(index: follower.lastIndex + 3, term: g.node(n1).term, configuration: Configuration(voters: g.ids))
        let data = Array("the leader's state".utf8)
        let received = g.directory(n2) + "/" + PartitionRaftStorage.preparedSnapshotDataFileName(.received)
        try follower.persist(snapshot: meta, keeping: try follower.prepareSnapshotData(data, .received),
                             termAndVote: HardState(term: term, vote: n1, commit: .origin))
        XCTAssertFalse(FileManager.default.fileExists(atPath: received), "renamed")
        try g.restart(n2)
        let reopened = g.storage(n2)
        XCTAssertEqual(reopened.snapshot.metadata, meta)
        XCTAssertEqual(reopened.snapshot.data, data)
        XCTAssertEqual(reopened.log.logStartOffset, meta.index.rawValue)
        XCTAssertEqual(reopened.hardState.term, term)
        XCTAssertEqual(reopened.hardState.vote, n1)
        XCTAssertEqual(reopened.hardState.commit, meta.index)

        _ = try reopened.prepareSnapshotData(Array("left by a crash".utf8), .received)
        try g.restart(n2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: received), "removed at open")
        XCTAssertEqual(g.storage(n2).snapshot.data, data)
        let later = SnapshotMetadata(index: meta.index + 2, term: meta.term, configuration: meta.configuration)
        try g.storage(n2).persist(snapshot: later, keeping: nil, termAndVote: nil)
        XCTAssertEqual(g.storage(n2).snapshot.data, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: g.directory(n2) + "/" + PartitionRaftStorage.snapshotDataFileName))
        XCTAssertEqual(g.storage(n2).hardState.term, term, "no term given: kept")
    }

    func testDeleteRecordsInsideBatchStartsRaftLogAtItsBoundary() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let n1 = NodeID(1)
        try g.elect(n1)
        try g.propose(on: n1, tag: "a", count: 4) // offsets 1...4
        try g.propose(on: n1, tag: "b", count: 4) // offsets 5...8
        try g.stabilize()
        let s = g.storage(n1)
        XCTAssertThrowsError(try s.deleteRecords(before: 20, appliedIndex: g.node(n1).appliedIndex))
        XCTAssertEqual(try s.deleteRecords(before: 6, appliedIndex: g.node(n1).appliedIndex), 6)
        XCTAssertEqual(s.snapshot.metadata.index, LogIndex(5)) // the batch holding offset 6 starts at 5
        XCTAssertEqual(s.entries(after: LogIndex(5), through: s.lastIndex, bytesMax: .max).map(\.lastIndex), [LogIndex(9)])
        try g.propose(on: n1, tag: "c", count: 1)
        try g.stabilize()
        XCTAssertEqual(g.storage(NodeID(2)).lastIndex, LogIndex(10))
    }

    func testControlBatchesAreSkippedByAKafkaDecoder() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        try g.elect(NodeID(1))
        try g.nodes[NodeID(1)]!.proposeConfigChange(.addLearner(NodeID(9)))
        try g.propose(on: NodeID(1), tag: "v", count: 2)
        try g.stabilize()
        let bytes = try storedBytes(g.storage(NodeID(3)).log)
        let batches = try RecordBatch.decodeAll(bytes, maxBatchBytes: 64 << 20)
        XCTAssertEqual(batches.map(\.header.attributes.isControl), [true, true, false])
        for control in batches.prefix(2) {
            XCTAssertEqual(control.header.producerId, -1)
            XCTAssertEqual(control.header.lastOffsetDelta, 0)
            XCTAssertEqual(control.records.count, 1)
            XCTAssertEqual(control.records[0].key?.count, 4)
        }
        XCTAssertEqual(batches[0].records[0].key, [0, 0, 0, 2]) // version 0, LEADER_CHANGE
        XCTAssertEqual(batches[1].records[0].key, [0, 0, 0, 6]) // version 0, VOTERS
        // A consumer sees only the two records, at offsets 2 and 3.
        XCTAssertEqual(try consumerView(bytes).map(\.0), [2, 3])

        let configuration = Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)], learners: [NodeID(9)])
        let encoded = ControlEntryCodec.encode(.configuration(configuration), baseOffset: 1, leaderEpoch: Int32(g.node(NodeID(1)).term.rawValue))
        XCTAssertEqual(encoded, Array(bytes[batches[0].header.totalSize..<(batches[0].header.totalSize + batches[1].header.totalSize)]))
        XCTAssertEqual(try ControlEntryCodec.kind(of: encoded[...]), .configuration(configuration))
        XCTAssertEqual(try ControlEntryCodec.kind(of: ControlEntryCodec.encode(.noop, baseOffset: 7, leaderEpoch: 3)[...]), .noop)
        XCTAssertThrowsError(try ControlEntryCodec.kind(of: makeRaftBatch(count: 1, tag: "x")[...]))
    }

    func testMisstampedEntryIsRejectedAndNothingWritten() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        try g.elect(NodeID(1))
        let s = g.storage(NodeID(2))
        let end = s.lastIndex
        var batch = makeRaftBatch(count: 2, tag: "x")
        _ = try PartitionRaftStorage.stamp(&batch, lastIndex: end + 5, term: g.node(NodeID(1)).term) // wrong offset
        let entry = Entry(term: g.node(NodeID(1)).term, lastIndex: end + 2, indexCount: 2, data: batch)
        XCTAssertThrowsError(try s.persist(entries: [entry])) { error in
            guard case PartitionRaftStorageError.entryMismatch = error else { return XCTFail("\(error)") }
        }
        var corrupt = makeRaftBatch(count: 2, tag: "y")
        _ = try PartitionRaftStorage.stamp(&corrupt, lastIndex: end, term: g.node(NodeID(1)).term)
        corrupt[corrupt.count - 3] ^= 0xFF
        XCTAssertThrowsError(try s.persist(entries: [Entry(term: g.node(NodeID(1)).term, lastIndex: end + 2, indexCount: 2, data: corrupt)]))
        XCTAssertEqual(s.lastIndex, end)
    }

    func testCorruptStoredBatchBecomesAFaultNotAnEntry() throws {
        var g = try DiskGroup()
        defer { g.cleanUp() }
        let n2 = NodeID(2)
        try g.elect(NodeID(1))
        try g.propose(on: NodeID(1), tag: "good", count: 2)
        try g.propose(on: NodeID(1), tag: "bad", count: 2)
        try g.stabilize()
        try g.storage(n2).close()

        // Flip a byte inside the last batch's records (its header stays readable).
        let path = g.directory(n2) + "/00000000000000000000.log"
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        bytes[bytes.count - 5] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))

        let log = try PartitionLog(directory: g.directory(n2), config: g.config)
        let s = try PartitionRaftStorage(log: log, bootstrap: Configuration(voters: g.ids))
        XCTAssertEqual(s.lastIndex, LogIndex(5))
        let entries = s.entries(after: LogIndex(0), through: s.lastIndex, bytesMax: .max)
        XCTAssertEqual(entries.map(\.lastIndex), [LogIndex(1), LogIndex(3)])
        guard case .corruptBatch? = s.fault else { return XCTFail("expected a corrupt-batch fault, got \(String(describing: s.fault))") }
    }

    func testInterruptedSnapshotInstallIsFinishedAtOpen() throws {
        let directory = NSTemporaryDirectory() + "sluice-raft-storage-tests/\(UUID().uuidString.prefix(8))/t-0"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ids = [NodeID(1), NodeID(2), NodeID(3)]
        do {
            let s = try PartitionRaftStorage(log: try PartitionLog(directory: directory, config: LogConfig()), bootstrap: Configuration(voters: ids))
            var batch = makeRaftBatch(count: 3, tag: "old")
            _ = try PartitionRaftStorage.stamp(&batch, lastIndex: LogIndex(0), term: Term(1))
            try s.persist(entries: [Entry(term: Term(1), lastIndex: LogIndex(3), indexCount: 3, data: batch)])
            try s.persist(hardState: HardState(term: Term(2), vote: NodeID(1), commit: LogIndex(0)))
            try s.close()
        }
        // A crash between the state file write and the log reset: the file names snapshot 40.
        let statePath = directory + "/" + PartitionRaftStorage.stateFileName
        let text = try String(contentsOfFile: statePath, encoding: .utf8)
        let patched = text.split(separator: "\n").map { $0.hasPrefix("snapshot=") ? "snapshot=40 2 1,2,3 -" : String($0) }
            .filter { !$0.hasPrefix("epoch=") }.joined(separator: "\n") + "\n"
        try patched.write(toFile: statePath, atomically: true, encoding: .utf8)

        let s = try PartitionRaftStorage(log: try PartitionLog(directory: directory, config: LogConfig()), bootstrap: .empty)
        XCTAssertEqual(s.snapshot.metadata.index, LogIndex(40))
        XCTAssertEqual(s.log.logStartOffset, 40)
        XCTAssertEqual(s.lastIndex, LogIndex(40))
        XCTAssertEqual(s.hardState.term, Term(2))
        XCTAssertEqual(s.hardState.vote, NodeID(1))
        XCTAssertEqual(s.term(at: LogIndex(40)), Term(2))
    }
}

final class PartitionRaftStorageOpenTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "sluice-raft-storage-tests/\(UUID().uuidString.prefix(8))/t-0"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func open(_ bootstrap: Configuration = Configuration(voters: [NodeID(1)])) throws -> PartitionRaftStorage {
        try PartitionRaftStorage(log: try PartitionLog(directory: directory, config: LogConfig()), bootstrap: bootstrap)
    }

    /// Batches of `counts` records in `term`, written after the log end.
    private func append(_ s: PartitionRaftStorage, term: Term, counts: [Int]) throws {
        var entries: [Entry] = []
        var last = s.lastIndex
        for count in counts {
            var batch = makeRaftBatch(count: count, tag: "t\(term)")
            _ = try PartitionRaftStorage.stamp(&batch, lastIndex: last, term: term)
            last = last + Int64(count)
            entries.append(Entry(term: term, lastIndex: last, indexCount: Int64(count), data: batch))
        }
        try s.persist(entries: entries)
    }

    private func editState(_ edit: ([String]) -> [String]) throws {
        let path = directory + "/" + PartitionRaftStorage.stateFileName
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        try (edit(lines).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A clean stop records the commit, once: a second stop, or a stop after a restart where
    /// nothing moved, leaves the file alone (2,000 partitions each rewrote theirs). A commit that
    /// moved is written and read back at the next open.
    /// What a hostile or broken leader could send that the Raft core would take and this storage
    /// would then refuse (or trap on, splitting a batch): refused before the core sees it.
    func testMessagesTheStorageWouldRefuseAreNamedBeforeTheCoreTakesThem() throws {
        let s = try open()
        try append(s, term: Term(1), counts: [3, 4, 2])  // entries end at 3, 7 and 9
        let leader = NodeID(2), term = Term(1)
        func appendAt(_ index: Int64, _ entries: [Entry] = []) -> Message {
            Message(kind: .append, from: leader, to: NodeID(1), term: term, logTerm: term, index: LogIndex(index), entries: entries)
        }
        var next = makeRaftBatch(count: 1, tag: "next")
        _ = try PartitionRaftStorage.stamp(&next, lastIndex: LogIndex(7), term: Term(2))
        let good = Entry(term: Term(2), lastIndex: LogIndex(8), indexCount: 1, data: next)
        XCTAssertNil(s.refusal(of: appendAt(7, [good])), "an entry boundary")
        XCTAssertNil(s.refusal(of: appendAt(9)), "the log end")
        XCTAssertNil(s.refusal(of: appendAt(12)), "past the end: the core answers that itself")
        XCTAssertEqual(s.refusal(of: appendAt(5, [good]))?.reason, .entriesMalformed, "inside the entry ending at 7, of its term")
        var otherTerm = appendAt(5, [good])
        otherTerm.logTerm = Term(3)
        XCTAssertNil(s.refusal(of: otherTerm), "inside an entry of another term: a mismatch the core answers (a diverged tail)")
        var corrupt = next
        corrupt[corrupt.count - 2] ^= 0xFF
        XCTAssertEqual(s.refusal(of: appendAt(7, [Entry(term: Term(2), lastIndex: LogIndex(8), indexCount: 1, data: corrupt)]))?.reason, .entriesMalformed)
        XCTAssertEqual(s.refusal(of: appendAt(7, [Entry(term: Term(2), lastIndex: LogIndex(8), indexCount: 2, kind: .noop)]))?.reason, .entriesMalformed)
        func snapshotAt(_ index: Int64, bytes: Int = 0) -> Message {
            let metadata = SnapshotMetadata(index: LogIndex(index), term: term, configuration: Configuration(voters: [NodeID(1), leader]))
            return Message(kind: .snapshot, from: leader, to: NodeID(1), term: term, snapshot: Snapshot(metadata: metadata, data: [UInt8](repeating: 1, count: bytes)))
        }
        XCTAssertNil(s.refusal(of: snapshotAt(20)))
        XCTAssertEqual(s.refusal(of: snapshotAt(8))?.reason, .snapshotMalformed, "inside the entry ending at 9, of its term")
        XCTAssertEqual(s.refusal(of: snapshotAt(20, bytes: PartitionRaftStorage.snapshotDataBytesMax + 1))?.reason, .snapshotMalformed)
        XCTAssertEqual(s.lastIndex, LogIndex(9), "nothing was written")
    }

    func testSaveCommitWritesOnlyACommitThatMoved() throws {
        do {
            let s = try open()
            try append(s, term: Term(1), counts: [2, 3])
            try s.persist(hardState: HardState(term: Term(1), vote: NodeID(1), commit: LogIndex(0)))
            try s.persist(hardState: HardState(term: Term(1), vote: NodeID(1), commit: LogIndex(5)))
            let written = s.statistics.stateWrites
            try s.saveCommit()
            XCTAssertEqual(s.statistics.stateWrites, written + 1)
            try s.close()
            XCTAssertEqual(s.statistics.stateWrites, written + 1, "close wrote the unchanged commit again")
        }
        do {
            let s = try open()
            XCTAssertEqual(s.hardState.commit, LogIndex(5))
            try s.close()
            XCTAssertEqual(s.statistics.stateWrites, 0, "a stop with nothing moved since the start rewrote the file")
        }
        // A file whose epochs the open had to correct is rewritten at the stop.
        try editState { $0 + ["epoch=3 8"] }
        let s = try open()
        try s.close()
        XCTAssertEqual(s.statistics.stateWrites, 1)
    }

    /// Membership changes and leader epochs add a line each: a file past what used to be read
    /// back (1 MiB, the rest silently dropped, so the cut line stopped the broker's start) opens.
    func testAStateFileOfMoreThanAMebibyteOpens() throws {
        do {
            let s = try open()
            try append(s, term: Term(1), counts: [2, 3])
            try s.close()
        }
        let members = (1...1_024).map(String.init).joined(separator: ",")
        try editState { $0 + (0..<300).map { "config=\(9 + $0) 3 \(members) -" } }
        let path = directory + "/" + PartitionRaftStorage.stateFileName
        XCTAssertGreaterThan(try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), 1 << 20)
        let s = try open()
        XCTAssertEqual(s.lastIndex, LogIndex(5))
        XCTAssertTrue(s.configurations(after: LogIndex(0)).isEmpty, "the lines past the log are stale and dropped")
    }

    func testStaleStateLinesAreDroppedWithoutAScan() throws {
        do {
            let s = try open()
            try append(s, term: Term(1), counts: [2, 3])
            try append(s, term: Term(2), counts: [1])
            try s.close()
        }
        // As if a tail had been truncated durably and the file had not caught up yet.
        try editState { $0 + ["config=9 3 1,2 -", "epoch=3 8"] }
        let s = try open()
        XCTAssertEqual(s.statistics.headerScans, 0)
        XCTAssertEqual(s.lastIndex, LogIndex(6))
        XCTAssertTrue(s.configurations(after: LogIndex(0)).isEmpty)
        XCTAssertEqual(s.term(at: LogIndex(5)), Term(1))
        XCTAssertEqual(s.term(at: LogIndex(6)), Term(2))
        XCTAssertEqual(s.boundary(atOrBefore: LogIndex(4))?.index, LogIndex(2))
    }

    func testBoundaryOfAtMostATermJumpsWholeTerms() throws {
        let s = try open()
        try append(s, term: Term(1), counts: [2, 3])   // (0, 2] (2, 5]
        try append(s, term: Term(3), counts: [1, 1, 4]) // (5, 6] (6, 7] (7, 11]
        try append(s, term: Term(4), counts: [2])       // (11, 13]
        for (index, term, expected) in [(13, 4, 13), (13, 3, 11), (12, 3, 11), (13, 2, 5), (9, 1, 5), (4, 1, 2), (13, 0, 0), (6, 2, 5)] {
            let fast = s.boundary(atOrBefore: LogIndex(Int64(index)), termAtMost: Term(UInt64(term)))
            XCTAssertEqual(fast?.index, LogIndex(Int64(expected)), "index \(index) term \(term)")
            // The same answer as walking back entry by entry.
            var walk = s.boundary(atOrBefore: LogIndex(Int64(index)))
            while let cur = walk, cur.term > Term(UInt64(term)) { walk = cur.index > LogIndex(0) ? s.boundary(atOrBefore: cur.index - 1) : nil }
            XCTAssertEqual(fast?.index, walk?.index)
            XCTAssertEqual(fast?.term, walk?.term)
        }
    }

    /// OffsetForLeaderEpoch's answers, with Kafka's rules, and the epoch of an offset.
    func testEndOffsetOfEachEpochFollowsKafkasRules() throws {
        let s = try open()
        XCTAssertNil(s.endOffset(ofEpoch: Term(1)), "nothing held: undefined")
        try append(s, term: Term(2), counts: [2, 3])   // offsets 0-4
        try append(s, term: Term(5), counts: [1, 4])   // offsets 5-9
        try append(s, term: Term(7), counts: [2])      // offsets 10-11, log end 12
        let answers: [(requested: UInt64, epoch: UInt64?, end: Int64?)] = [
            (7, 7, 12),    // the latest epoch ends at the log end
            (5, 5, 10),    // a held epoch ends where the next starts
            (6, 5, 10),    // not held: the largest held below it, ending where 7 starts
            (3, 2, 5),
            (2, 2, 5),
            (1, 1, 0),     // older than every epoch held: itself, ending where the first starts
            (8, nil, nil), // newer than every epoch held: undefined
        ]
        for (requested, epoch, end) in answers {
            let found = s.endOffset(ofEpoch: Term(requested))
            XCTAssertEqual(found?.epoch, epoch.map { Term($0) }, "epoch \(requested)")
            XCTAssertEqual(found?.endOffset, end, "epoch \(requested)")
        }
        XCTAssertEqual(s.epoch(ofOffset: 0), Term(2))
        XCTAssertEqual(s.epoch(ofOffset: 4), Term(2))
        XCTAssertEqual(s.epoch(ofOffset: 5), Term(5))
        XCTAssertEqual(s.epoch(ofOffset: 11), Term(7))
        XCTAssertEqual(s.epoch(ofOffset: 12), Term(7), "the log end: the latest epoch")
        XCTAssertNil(s.epoch(ofOffset: 13))
    }

    func testMissingEpochsAreRebuiltByOneScan() throws {
        do {
            let s = try open()
            try append(s, term: Term(1), counts: [2])
            try s.persist(entries: [Entry(term: Term(4), lastIndex: LogIndex(3), kind: .configuration(Configuration(voters: [NodeID(1), NodeID(2)])))])
            try append(s, term: Term(4), counts: [3])
            try s.close()
        }
        try editState { $0.filter { !$0.hasPrefix("epoch=") && !$0.hasPrefix("config=") } }
        let s = try open()
        XCTAssertEqual(s.statistics.headerScans, 1)
        XCTAssertEqual(s.term(at: LogIndex(2)), Term(1))
        XCTAssertEqual(s.term(at: LogIndex(6)), Term(4))
        XCTAssertEqual(s.configurations(after: LogIndex(0)).map(\.index), [LogIndex(3)])
        XCTAssertEqual(s.configurations(after: LogIndex(0)).first?.configuration, Configuration(voters: [NodeID(1), NodeID(2)]))
    }

    /// A replica whose machine lost what it cannot restore gives its log up: it starts empty at
    /// index 0 with its term, vote and membership, and the end of what it held (index and term)
    /// is kept across restarts until the log holds that index again, synced.
    func testALogGivenUpRestartsEmptyAndKeepsItsEndUntilItHoldsItAgain() throws {
        let voters = Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)])
        do {
            let s = try givenUpFromIndex5(voters)
            try s.restartEmpty()
            try s.close()
        }
        let s = try open(.empty)
        XCTAssertEqual(s.snapshot.metadata, SnapshotMetadata(index: LogIndex(0), term: .zero, configuration: voters))
        XCTAssertEqual(s.snapshot.data, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/" + PartitionRaftStorage.snapshotDataFileName))
        XCTAssertEqual(s.log.logStartOffset, 0)
        XCTAssertEqual(s.lastIndex, LogIndex(0))
        XCTAssertEqual(s.hardState, HardState(term: Term(2), vote: NodeID(1), commit: LogIndex(0)))
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(7))
        XCTAssertEqual(s.discardedLogEnd?.term, Term(2))
        try append(s, term: Term(2), counts: [3])
        try s.sync()
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(7), "the log holds 3 of 7")
        try append(s, term: Term(2), counts: [4])
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(7), "7 written, not yet synced")
        try s.sync()
        XCTAssertNil(s.discardedLogEnd)
        try s.close()
        XCTAssertNil(try open(.empty).discardedLogEnd, "the close wrote the end's removal")
        // A crash between the sync that reached the end and the state write that drops it.
        try editState { $0 + ["discarded=7 2"] }
        XCTAssertNil(try open(.empty).discardedLogEnd, "the open syncs the log holding it and drops it")
    }

    /// A crash after the log was reset and before the state file followed: the open restores the
    /// snapshot position the file names, and the end written first is still there, so giving
    /// the log up again keeps the end of what the replica once held.
    func testAGiveUpCutShortKeepsTheEndOfTheLogItHeld() throws {
        let voters = Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)])
        try givenUpFromIndex5(voters).close()
        try editState { $0 + ["discarded=7 2"] }
        try PartitionLog(directory: directory, config: LogConfig()).reset(toStartOffset: 0)
        let s = try open(.empty)
        XCTAssertEqual(s.snapshot.metadata.index, LogIndex(5))
        XCTAssertEqual(s.log.logStartOffset, 5)
        XCTAssertEqual(s.lastIndex, LogIndex(5))
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(7))
        try s.restartEmpty()
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(7), "never replaced by an earlier end")
        XCTAssertEqual(s.discardedLogEnd?.term, Term(2))
        XCTAssertEqual(s.lastIndex, LogIndex(0))
    }

    /// Only the committed membership is kept: a configuration entry above the commit hint may
    /// never be adopted by the group.
    func testALogGivenUpKeepsOnlyItsCommittedMembership() throws {
        let voters = Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)])
        let s = try givenUpFromIndex5(voters)
        let proposed = Configuration(voters: [NodeID(1), NodeID(2)])
        try s.persist(entries: [Entry(term: Term(2), lastIndex: LogIndex(8), kind: .configuration(proposed))])
        try s.restartEmpty()
        XCTAssertEqual(s.snapshot.metadata.configuration, voters)
        XCTAssertEqual(s.discardedLogEnd?.index, LogIndex(8))
    }

    /// A log cut behind a snapshot at 5 (with data), then 2 more records in term 2: ends at 7.
    private func givenUpFromIndex5(_ voters: Configuration) throws -> PartitionRaftStorage {
        let s = try open(voters)
        try append(s, term: Term(1), counts: [2, 3])
        try s.persist(snapshot: Snapshot(metadata: SnapshotMetadata(index: LogIndex(5), term: Term(1), configuration: voters),
                                         data: Array("a machine's state".utf8)))
        try append(s, term: Term(2), counts: [2])
        try s.persist(hardState: HardState(term: Term(2), vote: NodeID(1), commit: LogIndex(7)))
        XCTAssertEqual(s.lastIndex, LogIndex(7))
        return s
    }

    func testMalformedStateFileIsAnError() throws {
        do { try open().close() }
        try editState { $0 + ["surprise=1"] }
        XCTAssertThrowsError(try open()) { error in
            guard case PartitionRaftStorageError.stateFile = error else { return XCTFail("\(error)") }
        }
    }

    func testLogWithoutStateFileStartsFromItsStart() throws {
        do {
            let log = try PartitionLog(directory: directory, config: LogConfig())
            var batch = makeRaftBatch(count: 4, tag: "legacy")
            try log.append(&batch, leaderEpoch: 0)
            try log.close()
        }
        let s = try open()
        XCTAssertEqual(s.snapshot.metadata.index, LogIndex(0))
        XCTAssertEqual(s.snapshot.metadata.configuration, Configuration(voters: [NodeID(1)]))
        XCTAssertEqual(s.lastIndex, LogIndex(4))
        XCTAssertEqual(s.term(at: LogIndex(4)), Term.zero)
        XCTAssertEqual(s.entries(after: LogIndex(0), through: s.lastIndex, bytesMax: .max).map(\.indexCount), [4])
    }
}
