import SluiceCore
import SluiceRaft
import SluiceTesting
import XCTest

/// A peer's message never traps a node: random and extreme field values are stepped into every
/// member of a live group with multi-index entries. Messages outside ``RaftBounds`` must change
/// nothing; any message at all must leave a node that still works (a trap ends the test process).
final class HostileMessageTests: XCTestCase {
    /// Three nodes on memory storage, delivering everything at once.
    private struct Group {
        var nodes: [NodeID: RaftNode<MemoryStorage>] = [:]
        var storages: [NodeID: MemoryStorage] = [:]

        init(seed: UInt64, term: Term = .zero) {
            let ids = [NodeID(1), NodeID(2), NodeID(3)]
            for id in ids {
                let storage = MemoryStorage(snapshot: .bootstrap(Configuration(voters: ids)), hardState: HardState(term: term))
                storages[id] = storage
                nodes[id] = RaftNode(id: id, storage: storage, random: SeededRandom(seed: seed &+ UInt64(id.rawValue)))
            }
        }

        mutating func stabilize() {
            for _ in 0..<200 {
                var outgoing: [Message] = []
                for id in nodes.keys.sorted() where nodes[id]!.hasReady {
                    let ready = nodes[id]!.ready()
                    storages[id]!.persist(ready)
                    outgoing += ready.messages(afterPersistingTo: storages[id]!)
                    nodes[id]!.advance(ready)
                }
                if outgoing.isEmpty { return }
                for m in outgoing where nodes[m.to] != nil { nodes[m.to]!.step(m) }
            }
        }

        var leader: NodeID? { nodes.values.first { $0.role == .leader }?.id }

        /// Ticks every node until one leads (or `rounds` run out).
        mutating func elect(rounds: Int = 100) {
            for _ in 0..<rounds where leader == nil {
                for id in nodes.keys.sorted() { nodes[id]!.tick() }
                stabilize()
            }
        }
    }

    private struct Fields {
        var random: SeededRandom
        let current: Term
        let last: LogIndex

        mutating func term() -> Term {
            let choices: [UInt64] = [0, current.rawValue, current.rawValue + 1, RaftBounds.termAcceptedMax.rawValue,
                                     RaftBounds.termAcceptedMax.rawValue + 1, RaftBounds.termAcceptedMax.rawValue + 2,
                                     RaftBounds.termMax.rawValue,
                                     RaftBounds.termMax.rawValue + 1, 1 << 63, UInt64.max, random.next()]
            return Term(choices[random.int(in: 0...(choices.count - 1))])
        }

        mutating func index() -> LogIndex {
            let choices: [Int64] = [Int64.min, -2, -1, 0, 3, 5, last.rawValue, last.rawValue + 1,
                                    RaftBounds.indexMax.rawValue, RaftBounds.indexMax.rawValue + 1, Int64.max,
                                    Int64(bitPattern: random.next())]
            return LogIndex(choices[random.int(in: 0...(choices.count - 1))])
        }

        mutating func entries() -> [Entry] {
            (0..<random.int(in: 0...3)).map { _ in
                let counts: [Int64] = [1, 2, 8, Int64.max, Int64(random.int(in: 1...1000))]
                return Entry(term: term(), lastIndex: index(), indexCount: counts[random.int(in: 0...(counts.count - 1))],
                             data: Array("hostile".utf8))
            }
        }

        mutating func message(to: NodeID) -> Message {
            let kinds: [MessageKind] = [.append, .appendResponse, .vote, .voteResponse, .preVote, .preVoteResponse,
                                        .heartbeat, .heartbeatResponse, .snapshot, .timeoutNow, .readIndex, .readIndexResponse]
            let senders: [Int32] = [1, 2, 3, 4, -1, Int32.max]
            var m = Message(kind: kinds[random.int(in: 0...(kinds.count - 1))], from: NodeID(senders[random.int(in: 0...5)]),
                            to: random.chance(0.9) ? to : NodeID(9), term: term(), logTerm: term(), index: index(),
                            entries: entries(), commit: index(), reject: random.chance(0.5), rejectHint: index(),
                            context: random.next(), leadershipTransfer: random.chance(0.1), logLost: random.chance(0.2))
            if m.kind == .snapshot {
                m.snapshot = Snapshot(metadata: SnapshotMetadata(index: index(), term: term(),
                                                                 configuration: Configuration(voters: [NodeID(1), NodeID(2), NodeID(3)])))
            }
            return m
        }
    }

    private func populatedGroup(seed: UInt64) throws -> Group {
        var g = Group(seed: seed)
        g.nodes[NodeID(1)]!.campaign()
        g.stabilize()
        let leader = try XCTUnwrap(g.leader)
        for count: Int64 in [4, 1, 8, 3] {
            _ = try g.nodes[leader]!.propose(Array("batch".utf8), indexCount: count)
            g.stabilize()
        }
        return g
    }

    func testOutOfBoundsMessagesChangeNothing() throws {
        var g = try populatedGroup(seed: 7)
        var random = SeededRandom(seed: 99)
        var checked = 0
        for _ in 0..<20_000 {
            let to = NodeID(Int32(random.int(in: 1...3)))
            let node = g.nodes[to]!
            var fields = Fields(random: random, current: node.term, last: node.lastIndex)
            let m = fields.message(to: to)
            random = fields.random
            guard m.boundsViolation != nil || m.exceedsAcceptedTerm(at: node.term) else { continue }
            g.nodes[to]!.step(m)
            let after = g.nodes[to]!
            XCTAssertEqual(after.hardState, node.hardState, "\(m)")
            XCTAssertEqual(after.softState, node.softState, "\(m)")
            XCTAssertEqual(after.lastIndex, node.lastIndex, "\(m)")
            XCTAssertFalse(after.hasReady && !node.hasReady, "\(m) produced work")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 5_000)
        let dropped = g.nodes.values.reduce(0) { $0 + $1.droppedMessages.values.reduce(0, +) }
        XCTAssertEqual(dropped, checked)
    }

    /// One message must not use up the term space: a term above ``RaftBounds/termAcceptedMax``
    /// (beyond the next campaign's step) is refused and adopts nothing, the bound itself is taken,
    /// and the group still elects from there.
    func testTermsBeyondTheAcceptedBoundAreRefused() throws {
        var g = try populatedGroup(seed: 13)
        let leader = try XCTUnwrap(g.leader)
        let follower = try XCTUnwrap(g.nodes.keys.sorted().first { $0 != leader })
        let bound = RaftBounds.termAcceptedMax.rawValue
        XCTAssertLessThan(bound + 2, RaftBounds.termMax.rawValue)
        let before = g.nodes[follower]!
        let lastTerm = try XCTUnwrap(before.term(at: before.lastIndex))
        let hostile = [
            Message(kind: .heartbeat, from: leader, to: follower, term: Term(bound + 2)),
            Message(kind: .heartbeat, from: leader, to: follower, term: RaftBounds.termMax),
            Message(kind: .vote, from: leader, to: follower, term: before.term, logTerm: Term(bound + 2), index: before.lastIndex),
            Message(kind: .append, from: leader, to: follower, term: before.term, logTerm: lastTerm, index: before.lastIndex,
                    entries: [Entry(term: Term(bound + 2), lastIndex: before.lastIndex + 1)], commit: before.commitIndex),
            Message(kind: .snapshot, from: leader, to: follower, term: before.term,
                    snapshot: Snapshot(metadata: SnapshotMetadata(index: before.lastIndex + 5, term: Term(bound + 2),
                                                                  configuration: before.configuration))),
        ]
        for m in hostile {
            g.nodes[follower]!.step(m)
            XCTAssertEqual(g.nodes[follower]!.hardState, before.hardState, "\(m)")
            XCTAssertEqual(g.nodes[follower]!.lastIndex, before.lastIndex, "\(m)")
        }
        XCTAssertEqual(g.nodes[follower]!.droppedMessages[.termOutOfRange], hostile.count)

        // The bound itself is a term like any other: the node adopts it, and still refuses a
        // term more than one campaign beyond.
        g.nodes[follower]!.step(Message(kind: .heartbeat, from: leader, to: follower, term: RaftBounds.termAcceptedMax))
        XCTAssertEqual(g.nodes[follower]!.term, RaftBounds.termAcceptedMax)
        g.nodes[follower]!.step(Message(kind: .heartbeat, from: leader, to: follower, term: Term(bound + 2)))
        XCTAssertEqual(g.nodes[follower]!.term, RaftBounds.termAcceptedMax)

        // The term spreads through stale-term replies, and the group elects above the bound.
        g.stabilize()
        g.elect()
        let newLeader = try XCTUnwrap(g.leader, "no leader after a peer raised the term to the bound")
        XCTAssertGreaterThan(g.nodes[newLeader]!.term, RaftBounds.termAcceptedMax)
        XCTAssertNoThrow(try g.nodes[newLeader]!.propose(Array("after".utf8)))
    }

    /// Above the bound a group's own campaigns still run, one term at a time, up to termMax.
    func testAGroupNearTermMaxElectsUpToIt() throws {
        var g = Group(seed: 17, term: Term(RaftBounds.termMax.rawValue - 3))
        g.nodes[NodeID(1)]!.campaign()
        g.stabilize()
        for _ in 0..<3 {
            let leader = try XCTUnwrap(g.leader)
            let next = g.nodes.keys.sorted().first { $0 != leader } ?? leader
            try g.nodes[leader]!.transferLeadership(to: next)
            g.stabilize()
        }
        let leader = try XCTUnwrap(g.leader)
        XCTAssertEqual(g.nodes[leader]!.term, RaftBounds.termMax)
        for id in g.nodes.keys.sorted() { XCTAssertEqual(g.nodes[id]!.term, RaftBounds.termMax) }
    }

    func testAnyMessageLeavesAWorkingNode() throws {
        var g = try populatedGroup(seed: 11)
        var random = SeededRandom(seed: 5)
        for round in 0..<20_000 {
            let to = NodeID(Int32(random.int(in: 1...3)))
            var fields = Fields(random: random, current: g.nodes[to]!.term, last: g.nodes[to]!.lastIndex)
            let m = fields.message(to: to)
            random = fields.random
            g.nodes[to]!.step(m)
            // Ready/advance check the core's invariants; persisting checks the storage's.
            g.stabilize()
            if round % 100 == 0 {
                for id in g.nodes.keys.sorted() { g.nodes[id]!.tick() }
                g.stabilize()
            }
        }
        // Whatever in-bounds messages did to the group's state, every node still steps, ticks and
        // persists; a leader still takes a proposal.
        for _ in 0..<60 {
            for id in g.nodes.keys.sorted() { g.nodes[id]!.tick() }
            g.stabilize()
        }
        if let leader = g.leader {
            XCTAssertNoThrow(try g.nodes[leader]!.propose(Array("after".utf8), indexCount: 2))
            g.stabilize()
        }
    }

    func testRegressionSeedsPass() throws {
        // Each line of tools/sluice-sim/regression-seeds.txt is replayed by `make test` through
        // sluice-sim too; here they run inside the test process as well.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let path = parts.joined(separator: "/") + "/tools/sluice-sim/regression-seeds.txt"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let seeds = text.split(separator: "\n").compactMap { line in line.hasPrefix("#") ? nil : line.split(separator: " ").first.flatMap { UInt64($0) } }
        XCTAssertFalse(seeds.isEmpty)
        for seed in seeds {
            var options = SimulationOptions()
            options.nodeCount = seed % 2 == 0 ? 3 : 5
            let r = Simulation(seed: seed, options: options).run()
            XCTAssertNil(r.violation, "seed \(seed)")
        }
    }
}
