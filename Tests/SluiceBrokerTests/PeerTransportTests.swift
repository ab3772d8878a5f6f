import Foundation
@testable import SluiceBroker
import SluiceCore
import SluiceIO
import SluiceRaft
import SluiceWire
import Synchronization
import XCTest

// MARK: - Fixtures

private let nodeA = NodeID(1)
private let nodeB = NodeID(2)
private let partitionGroup = RaftGroupID.partition(TopicPartition(topic: "orders", partition: PartitionID(7)))

/// One message of every kind, with every field away from its default where the kind uses it.
private func everyKind(from: NodeID = nodeA, to: NodeID = nodeB) -> [(RaftGroupID, Message)] {
    let entries = [
        Entry(term: Term(3), lastIndex: LogIndex(10), indexCount: 1, kind: .noop),
        Entry(term: Term(3), lastIndex: LogIndex(14), indexCount: 4, kind: .normal, data: [1, 2, 3, 0, 255]),
        Entry(term: Term(3), lastIndex: LogIndex(15), kind: .configuration(Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)], learners: [NodeID(4)]))),
    ]
    let snapshot = Snapshot(metadata: SnapshotMetadata(index: LogIndex(99), term: Term(2),
                                                       configuration: Configuration(voters: [NodeID(1), NodeID(2)], learners: [NodeID(5)])),
                            data: Array(0..<200).map { UInt8($0) })
    return MessageKind.allCases.enumerated().map { i, kind in
        let message = Message(
            kind: kind, from: from, to: to, term: Term(UInt64(5 + i)), logTerm: Term(4), index: LogIndex(Int64(9 + i)),
            entries: kind == .append ? entries : [], commit: LogIndex(8), reject: i % 2 == 1, rejectHint: LogIndex(Int64(i)),
            snapshot: kind == .snapshot ? snapshot : nil, context: UInt64.max - UInt64(i), leadershipTransfer: kind == .vote)
        return (i % 2 == 0 ? partitionGroup : .controller, message)
    }
}

private func heartbeat(cluster: String = "c1", node: NodeID = nodeA) -> BrokerHeartbeatRequest {
    BrokerHeartbeatRequest(
        nodeId: node.rawValue, incarnation: 1_700_000_000_123, clusterId: cluster, host: "10.0.0.1", port: 9092,
        interNodeHost: "10.0.0.1", interNodePort: 9093, rack: "r1",
        leaderships: [.init(topic: "orders", partition: 7, term: 3)], shuttingDown: false)
}

/// A frame's payload (what follows the size prefix), as the sender would write it.
private func payload(_ body: InternalRequest) -> [UInt8] {
    InternalFrame.encode(body, correlationID: 1, clientID: "test")
}

private func raftPayload(_ wire: [RaftMessagesRequest.RaftMessage], cluster: String = "c1") -> [UInt8] {
    payload(.raftMessages(RaftMessagesRequest(fromNode: 1, clusterId: cluster, messages: wire)))
}

/// Decodes a payload all the way to Raft messages, as the receiver does.
private func decodeRaft(_ bytes: [UInt8]) throws -> [(RaftGroupID, Message)] {
    guard case .raftMessages(let request) = try InternalFrame.decode(bytes) else { throw ClusterWireError.invalid("not RaftMessages") }
    return try request.messages.map { try ClusterWire.decode($0) }
}

// MARK: - Codec

/// Conversions between Raft messages and the RaftMessages / BrokerHeartbeat frames, and what the
/// decoder refuses.
final class PeerTransportCodecTests: XCTestCase {
    func testEveryKindRoundTripsThroughAFrame() throws {
        let sent = everyKind()
        XCTAssertEqual(sent.count, 12)
        let decoded = try decodeRaft(raftPayload(sent.map { ClusterWire.encode($0.0, $0.1) }))
        XCTAssertEqual(decoded.map(\.0), sent.map(\.0))
        XCTAssertEqual(decoded.map(\.1), sent.map(\.1))
    }

    func testHeartbeatRoundTrips() throws {
        for request in [heartbeat(), { var h = heartbeat(); h.rack = nil; h.leaderships = []; h.shuttingDown = true; return h }()] {
            XCTAssertEqual(try InternalFrame.decode(payload(.brokerHeartbeat(request))), .brokerHeartbeat(request))
        }
    }

    func testEncoderPutsAllQueuedMessagesInOneFrameAndSplitsAtTheTarget() throws {
        var queue = PeerQueue(bytesMax: 1 << 30)
        for (group, message) in everyKind() { queue.append(group, message) }
        queue.setHeartbeat(heartbeat())
        var encoder = PeerFrameEncoder(nodeID: nodeA, clusterID: "c1", frameBytesTarget: 1 << 20)
        let frames = encoder.payloads(queue.takeAll())
        XCTAssertEqual(frames.count, 2, "one RaftMessages frame, one heartbeat frame")
        XCTAssertEqual(try decodeRaft(frames[0]).map(\.1), everyKind().map(\.1))

        var small = PeerFrameEncoder(nodeID: nodeA, clusterID: "c1", frameBytesTarget: 1)
        XCTAssertEqual(small.payloads(PeerQueue.Batch(messages: everyKind(), heartbeat: nil)).count, 12)
        XCTAssertTrue(queue.isEmpty)
    }

    func testEveryTruncationIsRejected() {
        let bytes = raftPayload(everyKind().map { ClusterWire.encode($0.0, $0.1) })
        for cut in 0..<bytes.count {
            XCTAssertThrowsError(try InternalFrame.decode(Array(bytes[..<cut])), "cut at \(cut)")
        }
        XCTAssertThrowsError(try InternalFrame.decode(bytes + [0]), "a trailing byte")
    }

    func testUnknownApiKeyAndKafkaKeyAreRejected() {
        var bytes = payload(.brokerHeartbeat(heartbeat()))
        bytes[0] = 0x00
        bytes[1] = 0x03  // Metadata: a Kafka API, not an internal one
        XCTAssertThrowsError(try InternalFrame.decode(bytes))
    }

    func testBadValuesAreRejectedNotTrapped() {
        let good = ClusterWire.encode(everyKind()[0].0, everyKind()[0].1)
        var cases: [(String, RaftMessagesRequest.RaftMessage)] = []
        func variant(_ name: String, _ change: (inout RaftMessagesRequest.RaftMessage) -> Void) {
            var wire = good
            change(&wire)
            cases.append((name, wire))
        }
        variant("message kind") { $0.kind = 42 }
        variant("negative message kind") { $0.kind = -1 }
        variant("group kind") { $0.groupKind = 9 }
        variant("partition group without topic") { $0.topic = "" }
        variant("negative partition") { $0.partition = -1 }
        variant("negative term") { $0.term = -5 }
        variant("index below origin") { $0.index = -2 }
        variant("commit at Int64.max") { $0.commit = Int64.max }
        variant("entry kind") { $0.entries[0].kind = 7 }
        variant("entry covering nothing") { $0.entries[0].indexCount = 0 }
        variant("entry reaching below index 0") { $0.entries[1].indexCount = 16 }
        variant("entry at Int64.min") { $0.entries[1].lastIndex = Int64.min }
        variant("members on a normal entry") { $0.entries[1].voters = [1] }
        variant("voter and learner in an entry") { $0.entries[2].learners = [3] }
        variant("voter and learner in a snapshot") {
            $0.snapshot = .init(index: 5, term: 1, voters: [1, 2], learners: [2], data: [])
        }
        variant("snapshot term") { $0.snapshot = .init(index: 5, term: -1, voters: [1], learners: [], data: []) }
        for (name, wire) in cases {
            // Through the bytes too, so the codecs and the checks are exercised together.
            XCTAssertThrowsError(try decodeRaft(raftPayload([wire])), name) { error in
                guard case ClusterWireError.invalid = error else { return XCTFail("\(name): \(error)") }
            }
        }
        XCTAssertNoThrow(try decodeRaft(raftPayload([good])))
    }

    /// A snapshot's membership is written to `raft-state`, which a restart reads with a size
    /// limit: a list above ``ControlEntryCodec/membersMax`` must be refused on arrival.
    func testOversizedOrRepeatedMembershipIsRefused() throws {
        let snapshotKind = try XCTUnwrap(everyKind().first { $0.1.kind == .snapshot })
        let good = ClusterWire.encode(snapshotKind.0, snapshotKind.1)
        func withSnapshot(voters: [Int32], learners: [Int32] = []) -> RaftMessagesRequest.RaftMessage {
            var wire = good
            wire.snapshot = .init(index: 5, term: 1, voters: voters, learners: learners, data: [])
            return wire
        }
        let max = Int32(ControlEntryCodec.membersMax)
        let refused: [(String, RaftMessagesRequest.RaftMessage)] = [
            ("one voter too many", withSnapshot(voters: Array(1...(max + 1)))),
            ("voters and learners together too many", withSnapshot(voters: Array(1...max), learners: [max + 1])),
            ("a voter twice", withSnapshot(voters: [1, 2, 1])),
            ("a learner twice", withSnapshot(voters: [1], learners: [4, 4])),
        ]
        for (name, wire) in refused {
            XCTAssertThrowsError(try decodeRaft(raftPayload([wire])), name) { error in
                guard case ClusterWireError.invalid = error else { return XCTFail("\(name): \(error)") }
            }
        }
        var entry = ClusterWire.encode(everyKind()[0].0, everyKind()[0].1)
        entry.entries[2].voters = Array(1...(max + 1))
        entry.entries[2].learners = []
        XCTAssertThrowsError(try decodeRaft(raftPayload([entry])), "a configuration entry with one voter too many")

        let decoded = try decodeRaft(raftPayload([withSnapshot(voters: Array(1...max))]))
        XCTAssertEqual(decoded.first?.1.snapshot?.metadata.configuration.voters.count, ControlEntryCodec.membersMax)
    }

    func testQueueDropsOldestBeyondItsBoundAndWhatPrecededAFailedAttempt() {
        let message = Message(kind: .heartbeat, from: nodeA, to: nodeB, term: Term(1))
        var queue = PeerQueue(bytesMax: message.byteCount * 3)
        for i in 0..<5 { var m = message; m.context = UInt64(i); queue.append(.controller, m) }
        XCTAssertEqual(queue.droppedCount, 2)
        let attempt = queue.nextSequence
        queue.setHeartbeat(heartbeat())
        queue.dropQueued(before: attempt)
        XCTAssertFalse(queue.isEmpty, "the heartbeat came after the attempt began")
        let batch = queue.takeAll()
        XCTAssertTrue(batch.messages.isEmpty)
        XCTAssertNotNil(batch.heartbeat)
    }
}

// MARK: - Receiver logging

/// What the receiver logs about refused peers: once per kind of cause, never keyed by what the
/// peer sent (an unauthenticated peer could grow the set without end), with the peer's text
/// escaped and cut.
final class PeerReceiverLogTests: XCTestCase {
    private func receiver(secret: ClusterSecret?) -> PeerReceiver {
        PeerReceiver(nodeID: nodeB, clusterID: "c1", secret: secret, onRaftMessages: { _, _ in },
                     onHeartbeat: { _ in }, onForward: { _ in })
    }

    private func send(_ receiver: PeerReceiver, _ body: InternalRequest, connection: UInt64, host: String = "192.0.2.1") {
        let id = ConnectionID(rawValue: connection)
        receiver.handle(ConnectionContext(id: id, peer: SocketAddress(host: host, port: 4000)),
                        payload(body), ResponseSlot(connectionID: id) { _ in })
    }

    private func hello(cluster: String, from node: Int32) -> InternalRequest {
        .peerAuth(PeerAuthRequest(step: PeerAuthRequest.stepHello, fromNode: node, toNode: nodeB.rawValue, clusterId: cluster,
                                  nonce: [UInt8](repeating: 7, count: PeerCrypto.nonceBytes), proof: []))
    }

    func testUnauthenticatedPeersCannotGrowTheLoggedCauses() throws {
        let receiver = receiver(secret: try XCTUnwrap(testSecret))
        for i in 0..<500 {
            send(receiver, hello(cluster: "evil-\(i)\nWARN forged line", from: 1), connection: UInt64(i))
            // A good hello, then a wrong proof, from a different claimed node each time.
            send(receiver, hello(cluster: "c1", from: Int32(10 + i)), connection: UInt64(1_000 + i))
            send(receiver, .peerAuth(PeerAuthRequest(step: PeerAuthRequest.stepProof, fromNode: Int32(10 + i), toNode: nodeB.rawValue,
                                                      clusterId: "c1", nonce: [], proof: [UInt8](repeating: 1, count: 32))),
                 connection: UInt64(1_000 + i))
        }
        XCTAssertEqual(receiver.refusedCount.load(ordering: .relaxed), 1_000)
        XCTAssertEqual(receiver.loggedCauseCount, 2, "one cause per kind: cluster id mismatch, bad proof")
    }

    func testInsecureForeignClustersAndRecipientsAreLoggedOnce() {
        let receiver = receiver(secret: nil)
        for i in 0..<300 {
            let toOther = heartbeatMessage(i + 1, from: nodeA, to: NodeID(Int32(100 + i)))
            send(receiver, .raftMessages(RaftMessagesRequest(fromNode: nodeA.rawValue, clusterId: "other-\(i)",
                                                             messages: [ClusterWire.encode(.controller, toOther)])), connection: 1)
            send(receiver, .raftMessages(RaftMessagesRequest(fromNode: nodeA.rawValue, clusterId: "c1",
                                                             messages: [ClusterWire.encode(.controller, toOther)])), connection: 1)
        }
        XCTAssertEqual(receiver.loggedCauseCount, 2, "one cause per kind: cluster id mismatch, wrong recipient")
    }

    /// Without authentication a peer names any sender: the causes are keyed by its address, so
    /// naming 300 senders is one cause, and a second misbehaving address is still logged.
    func testInsecureCausesAreKeyedByAddressNotByTheSenderNamed() {
        let receiver = receiver(secret: nil)
        for i in 0..<300 {
            let sender = NodeID(Int32(1_000 + i))
            let toOther = heartbeatMessage(i + 1, from: sender, to: NodeID(Int32(5_000 + i)))
            send(receiver, .raftMessages(RaftMessagesRequest(fromNode: sender.rawValue, clusterId: "c1",
                                                             messages: [ClusterWire.encode(.controller, toOther)])), connection: 1)
        }
        XCTAssertEqual(receiver.loggedCauseCount, 1)
        let toOther = heartbeatMessage(1, from: nodeA, to: NodeID(77))
        send(receiver, .raftMessages(RaftMessagesRequest(fromNode: nodeA.rawValue, clusterId: "c1",
                                                         messages: [ClusterWire.encode(.controller, toOther)])), connection: 2, host: "192.0.2.2")
        XCTAssertEqual(receiver.loggedCauseCount, 2)
    }

    func testPeerTextIsEscapedAndCut() {
        XCTAssertEqual(Diagnostics.quoted("c1"), "\"c1\"")
        XCTAssertEqual(Diagnostics.quoted("a\nWARN x\r\t\"\\"), #""a\u{a}WARN x\u{d}\u{9}\"\\""#)
        XCTAssertEqual(Diagnostics.quoted("\u{1B}[31m\u{2028}é"), #""\u{1b}[31m\u{2028}\u{e9}""#)
        let long = Diagnostics.quoted(String(repeating: "x", count: 10_000))
        XCTAssertEqual(long, "\"" + String(repeating: "x", count: 64) + "\"… (cut at 64 characters)")
        XCTAssertFalse(Diagnostics.quoted(String(repeating: "\n", count: 100)).contains("\n"))
        XCTAssertEqual(Diagnostics.quoted("it's\u{2028}", quote: "'"), #"'it\'s\u{2028}'"#)
    }

    func testRepeatingFaultsAreLoggedAtPowersOfTen() {
        XCTAssertEqual((-10...1_000).filter(Diagnostics.isLogged(occurrence:)), [1, 10, 100, 1_000])
        // A count that moves by more than one at a time is logged when it passes one of them.
        XCTAssertEqual([1...1, 2...9, 2...10, 11...99, 95...105, 0...0, Int.max - 5...Int.max].map(Diagnostics.isLogged(anyOf:)),
                       [true, false, true, false, true, false, false])
    }
}

// MARK: - Network

/// What a transport received, for polling from the test thread.
private final class Inbox: Sendable {
    let raft = Mutex<[(NodeID, RaftGroupID, Message)]>([])
    let heartbeats = Mutex<[BrokerHeartbeatRequest]>([])

    func transport(_ node: NodeID, cluster: String = "c1", port: UInt16 = 0, secret: ClusterSecret? = testSecret) throws -> PeerTransport {
        try PeerTransport(nodeID: node, clusterID: cluster, listenHost: "127.0.0.1", listenPort: port, secret: secret,
                          onRaftMessages: { [self] from, messages in raft.withLock { $0 += messages.map { (from, $0.0, $0.1) } } },
                          onHeartbeat: { [self] request in heartbeats.withLock { $0.append(request) } })
    }

    var raftCount: Int { raft.withLock { $0.count } }
    var contexts: [UInt64] { raft.withLock { $0.map(\.2.context) } }

    /// Polls until `condition` holds or `seconds` pass.
    func wait(seconds: Double = 10, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}

private let testSecret: ClusterSecret? = ClusterSecret(bytes: Array("an example secret of at least 32 bytes".utf8))

private func heartbeatMessage(_ i: Int, from: NodeID, to: NodeID) -> Message {
    Message(kind: .heartbeat, from: from, to: to, term: Term(1), commit: LogIndex(Int64(i)), context: UInt64(i))
}

/// Two or three real transports on 127.0.0.1.
final class PeerTransportNetworkTests: XCTestCase {
    func testTenThousandMessagesEachWayArriveInOrder() throws {
        let inboxA = Inbox(), inboxB = Inbox()
        let a = try inboxA.transport(nodeA), b = try inboxB.transport(nodeB)
        defer { a.stop(); b.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        b.setPeer(nodeA, host: "127.0.0.1", port: a.port)
        let count = 10_000
        // B's listener is up before A sends, so nothing may be lost.
        for i in 0..<count {
            a.send([(partitionGroup, heartbeatMessage(i, from: nodeA, to: nodeB))], to: nodeB)
            b.send([(.controller, heartbeatMessage(i, from: nodeB, to: nodeA))], to: nodeA)
        }
        XCTAssertTrue(inboxB.wait { inboxB.raftCount >= count }, "B got \(inboxB.raftCount)")
        XCTAssertTrue(inboxA.wait { inboxA.raftCount >= count }, "A got \(inboxA.raftCount)")
        XCTAssertEqual(inboxB.contexts, (0..<count).map(UInt64.init))
        XCTAssertEqual(inboxA.contexts, (0..<count).map(UInt64.init))
        XCTAssertTrue(inboxB.raft.withLock { $0.allSatisfy { $0.0 == nodeA && $0.1 == partitionGroup } })
        XCTAssertTrue(inboxA.raft.withLock { $0.allSatisfy { $0.0 == nodeB && $0.1 == .controller } })
    }

    func testEveryKindAndAHeartbeatCrossTheWire() throws {
        let inboxB = Inbox()
        let a = try Inbox().transport(nodeA), b = try inboxB.transport(nodeB)
        defer { a.stop(); b.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        a.send(everyKind(), to: nodeB)
        a.sendHeartbeat(heartbeat(), to: nodeB)
        XCTAssertTrue(inboxB.wait { inboxB.raftCount == 12 && inboxB.heartbeats.withLock { $0.count } == 1 })
        XCTAssertEqual(inboxB.raft.withLock { $0.map(\.2) }, everyKind().map(\.1))
        XCTAssertEqual(inboxB.heartbeats.withLock { $0 }, [heartbeat()])
    }

    func testAPeerThatStartsLateGetsWhatIsSentOnceItIsUp() throws {
        // A free port: bind one, note it, release it.
        let port = try Inbox().transport(NodeID(9)).port
        let a = try Inbox().transport(nodeA)
        defer { a.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: port)
        for i in 0..<100 { a.send([(.controller, heartbeatMessage(i, from: nodeA, to: nodeB))], to: nodeB) }
        usleep(300_000)  // a few failed attempts, with back-off

        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB, port: port)
        defer { b.stop() }
        for i in 100..<200 { a.send([(.controller, heartbeatMessage(i, from: nodeA, to: nodeB))], to: nodeB) }
        XCTAssertTrue(inboxB.wait { inboxB.contexts.contains(199) }, "got \(inboxB.contexts)")
        let after = inboxB.contexts.filter { $0 >= 100 }
        XCTAssertEqual(after, (100..<200).map(UInt64.init), "everything sent after B came up, in order")
        XCTAssertEqual(inboxB.contexts, inboxB.contexts.sorted(), "in order, including any earlier ones")
    }

    func testFramesOfAnotherClusterAreDropped() throws {
        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB)
        let stranger = try Inbox().transport(NodeID(3), cluster: "other")
        let friend = try Inbox().transport(nodeA)
        defer { b.stop(); stranger.stop(); friend.stop() }
        stranger.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        friend.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        stranger.send([(.controller, heartbeatMessage(1, from: NodeID(3), to: nodeB))], to: nodeB)
        stranger.sendHeartbeat(heartbeat(cluster: "other", node: NodeID(3)), to: nodeB)
        usleep(200_000)
        // The friend's messages arrive after the stranger's were handled (or dropped).
        friend.send([(.controller, heartbeatMessage(2, from: nodeA, to: nodeB))], to: nodeB)
        friend.sendHeartbeat(heartbeat(), to: nodeB)
        XCTAssertTrue(inboxB.wait { inboxB.raftCount == 1 && inboxB.heartbeats.withLock { $0.count } == 1 })
        usleep(100_000)
        XCTAssertEqual(inboxB.contexts, [2])
        XCTAssertEqual(inboxB.heartbeats.withLock { $0.map(\.clusterId) }, ["c1"])
    }

    func testAMalformedFrameClosesOnlyItsConnection() throws {
        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB)
        let a = try Inbox().transport(nodeA)
        defer { b.stop(); a.stop() }
        let garbage = try BlockingStream.connect(host: "127.0.0.1", port: b.port, timeoutMillis: 1_000)
        var bad = raftPayload([ClusterWire.encode(.controller, heartbeatMessage(0, from: nodeA, to: nodeB))])
        bad[bad.count - 3] = 99  // corrupt the tail: a bad entry/snapshot marker or tagged section
        let frame = [0, 0, UInt8(bad.count >> 8), UInt8(bad.count & 0xff)] + bad
        try garbage.write(frame, shouldContinue: { true })
        XCTAssertTrue(inboxB.wait { garbage.isClosedByPeer }, "the listener closes a connection that sent garbage")
        a.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        a.send([(.controller, heartbeatMessage(7, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(inboxB.wait { inboxB.contexts == [7] })
    }

    func testMessagesForAnotherNodeAreNotDelivered() throws {
        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB)
        let a = try Inbox().transport(nodeA)
        defer { b.stop(); a.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        a.send([(.controller, heartbeatMessage(1, from: nodeA, to: NodeID(3))),
                (.controller, heartbeatMessage(2, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(inboxB.wait { inboxB.raftCount == 1 })
        XCTAssertEqual(inboxB.contexts, [2])
    }

    func testAPeerThatRestartsOnTheSamePortGetsWhatIsSentAfterwards() throws {
        let a = try Inbox().transport(nodeA)
        defer { a.stop() }
        let first = Inbox()
        let b1 = try first.transport(nodeB)
        let port = b1.port
        a.setPeer(nodeB, host: "127.0.0.1", port: port)
        a.send([(.controller, heartbeatMessage(1, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(first.wait { first.contexts == [1] })
        b1.stop()

        let second = Inbox()
        let b2 = try second.transport(nodeB, port: port)
        defer { b2.stop() }
        usleep(50_000)  // let the old connection's close reach A's socket
        a.send([(.controller, heartbeatMessage(2, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(second.wait { second.contexts == [2] }, "got \(second.contexts)")
    }

    func testSetPeerMovesTrafficToTheNewAddress() throws {
        let a = try Inbox().transport(nodeA)
        let old = Inbox(), new = Inbox()
        let b1 = try old.transport(nodeB), b2 = try new.transport(nodeB)
        defer { a.stop(); b1.stop(); b2.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: b1.port)
        a.send([(.controller, heartbeatMessage(1, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(old.wait { old.contexts == [1] })
        a.setPeer(nodeB, host: "127.0.0.1", port: b2.port)
        a.send([(.controller, heartbeatMessage(2, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(new.wait { new.contexts == [2] })
        XCTAssertEqual(old.contexts, [1])
    }

    func testStopIsPromptWhilePeersAreUnreachable() throws {
        let port = try Inbox().transport(NodeID(9)).port
        let a = try Inbox().transport(nodeA)
        a.setPeer(nodeB, host: "127.0.0.1", port: port)
        a.setPeer(NodeID(3), host: "127.0.0.1", port: port)
        for i in 0..<50 {
            a.send([(.controller, heartbeatMessage(i, from: nodeA, to: nodeB))], to: nodeB)
            a.send([(.controller, heartbeatMessage(i, from: nodeA, to: NodeID(3)))], to: NodeID(3))
            usleep(10_000)
        }
        XCTAssertGreaterThan(a.droppedCount(to: nodeB), 0, "messages to an unreachable peer are dropped")
        let start = Date()
        a.stop()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
    }

    func testBothEndsWithoutASecretStillTalk() throws {
        let inboxB = Inbox()
        let a = try Inbox().transport(nodeA, secret: nil), b = try inboxB.transport(nodeB, secret: nil)
        defer { a.stop(); b.stop() }
        a.setPeer(nodeB, host: "127.0.0.1", port: b.port)
        a.send([(.controller, heartbeatMessage(5, from: nodeA, to: nodeB))], to: nodeB)
        XCTAssertTrue(inboxB.wait { inboxB.contexts == [5] })
    }

    func testANodeWithAnotherSecretDeliversNothing() throws {
        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB)
        let impostor = try Inbox().transport(nodeA, secret: ClusterSecret(bytes: Array("a different secret, also 32 bytes long".utf8)))
        let unauthenticated = try Inbox().transport(NodeID(3), secret: nil)
        defer { b.stop(); impostor.stop(); unauthenticated.stop() }
        for sender in [impostor, unauthenticated] {
            sender.setPeer(nodeB, host: "127.0.0.1", port: b.port)
            sender.send([(.controller, heartbeatMessage(1, from: sender.nodeID, to: nodeB))], to: nodeB)
            sender.sendHeartbeat(heartbeat(node: sender.nodeID), to: nodeB)
        }
        // The unauthenticated sender's frame is always refused; the impostor may instead give up
        // itself, on seeing that B does not hold its secret, before B has a proof to refuse.
        XCTAssertTrue(inboxB.wait(seconds: 5) { b.refusedCount >= 1 }, "refused \(b.refusedCount)")
        usleep(500_000)
        XCTAssertEqual(inboxB.raftCount, 0)
        XCTAssertEqual(inboxB.heartbeats.withLock { $0.count }, 0)
    }

    /// Speaks the handshake by hand, as an attacker who has the secret's holder's connection would
    /// not be able to: then tries a forged sender, a bad MAC and a replayed frame.
    func testAuthenticatedConnectionsRefuseForgedSendersAlteredAndReplayedFrames() throws {
        let inboxB = Inbox()
        let b = try inboxB.transport(nodeB)
        defer { b.stop() }
        func open() throws -> (BlockingStream, FrameAuthenticator) {
            let stream = try BlockingStream.connect(host: "127.0.0.1", port: b.port, timeoutMillis: 1_000)
            let nonce = PeerCrypto.nonce()
            let hello = PeerAuthRequest(step: PeerAuthRequest.stepHello, fromNode: nodeA.rawValue, toNode: nodeB.rawValue,
                                        clusterId: "c1", nonce: nonce, proof: [])
            try stream.write(PeerFrameEncoder.sized(payload(.peerAuth(hello))), shouldContinue: { true })
            guard case .peerAuth(let challenge) = try InternalFrame.decode(try stream.readFrame(maxBytes: 4096, timeoutMillis: 2_000)) else {
                throw ClusterWireError.invalid("no challenge")
            }
            let handshake = PeerHandshake(secret: try XCTUnwrap(testSecret), clusterID: "c1", connecting: nodeA, listening: nodeB,
                                          connectingNonce: nonce, listeningNonce: challenge.nonce)
            XCTAssertTrue(PeerCrypto.equal(challenge.proof, handshake.listeningProof), "the listener proves it holds the secret")
            let proof = PeerAuthRequest(step: PeerAuthRequest.stepProof, fromNode: nodeA.rawValue, toNode: nodeB.rawValue,
                                        clusterId: "c1", nonce: [], proof: handshake.connectingProof)
            try stream.write(PeerFrameEncoder.sized(payload(.peerAuth(proof))), shouldContinue: { true })
            return (stream, FrameAuthenticator(key: handshake.sessionKey))
        }
        func raft(_ context: Int, claiming sender: NodeID) -> [UInt8] {
            payload(.raftMessages(RaftMessagesRequest(fromNode: sender.rawValue, clusterId: "c1",
                                                      messages: [ClusterWire.encode(.controller, heartbeatMessage(context, from: sender, to: nodeB))])))
        }

        var (stream, sealer) = try open()
        try stream.write(PeerFrameEncoder.sized(sealer.seal(raft(1, claiming: nodeA))), shouldContinue: { true })
        XCTAssertTrue(inboxB.wait { inboxB.contexts == [1] }, "an authenticated frame is delivered")
        try stream.write(PeerFrameEncoder.sized(sealer.seal(raft(2, claiming: NodeID(3)))), shouldContinue: { true })
        XCTAssertTrue(inboxB.wait { stream.isClosedByPeer }, "a frame naming another sender closes the connection")

        (stream, sealer) = try open()
        var altered = sealer.seal(raft(3, claiming: nodeA))
        altered[altered.count - 1] ^= 1
        try stream.write(PeerFrameEncoder.sized(altered), shouldContinue: { true })
        XCTAssertTrue(inboxB.wait { stream.isClosedByPeer }, "an altered frame closes the connection")

        (stream, sealer) = try open()
        let sealed = sealer.seal(raft(4, claiming: nodeA))
        try stream.write(PeerFrameEncoder.sized(sealed) + PeerFrameEncoder.sized(sealed), shouldContinue: { true })
        XCTAssertTrue(inboxB.wait { stream.isClosedByPeer }, "a replayed frame closes the connection")
        usleep(100_000)
        XCTAssertEqual(inboxB.contexts, [1, 4], "nothing forged, altered or replayed arrived")
        XCTAssertGreaterThanOrEqual(b.refusedCount, 3)
    }
}
