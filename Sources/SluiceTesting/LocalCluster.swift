import SluiceCore
import SluiceRaft

/// A small, fully controlled Raft group for unit tests (etcd's `network` in raft_test.go): nodes
/// step messages only when told, links can be cut, and every Ready is persisted, sent and applied
/// in the contract's order.
public struct LocalCluster {
    /// The cores, by id.
    public var nodes: [NodeID: RaftNode<MemoryStorage>] = [:]
    /// Their durable storage.
    public var storages: [NodeID: MemoryStorage] = [:]
    /// Entries each node applied, in order.
    public var applied: [NodeID: [Entry]] = [:]
    /// Read states each node received.
    public var readStates: [NodeID: [ReadState]] = [:]
    /// Messages sent and not yet delivered, in send order.
    public var inFlight: [Message] = []
    /// Directed links that drop everything: (from, to).
    public var cut: Set<[NodeID]> = []
    /// Message kinds dropped everywhere.
    public var ignoring: Set<String> = []
    /// Options every node gets.
    public let options: RaftOptions

    /// A group of `count` voters 1...count; PreVote, CheckQuorum and the no-op over an empty log as given.
    public init(count: Int, preVote: Bool = true, checkQuorum: Bool = true, noopOverCommittedLog: Bool = true, seed: UInt64 = 1) {
        var o = RaftOptions()
        o.preVote = preVote
        o.checkQuorum = checkQuorum
        o.noopOverCommittedLog = noopOverCommittedLog
        options = o
        let ids = (1...count).map { NodeID(Int32($0)) }
        for id in ids {
            add(id, storage: MemoryStorage(snapshot: .bootstrap(Configuration(voters: ids))), seed: seed)
        }
    }

    /// Adds a node over `storage` (e.g. a fresh one to be added by a membership change).
    public mutating func add(_ id: NodeID, storage: MemoryStorage, seed: UInt64 = 1) {
        storages[id] = storage
        nodes[id] = RaftNode(id: id, storage: storage, options: options, random: SeededRandom(seed: seed &+ UInt64(id.rawValue)))
        applied[id] = []
        readStates[id] = []
    }

    /// Ids in order.
    public var ids: [NodeID] { nodes.keys.sorted() }

    /// Persists, sends and applies every pending Ready of `id`.
    public mutating func process(_ id: NodeID) {
        guard var n = nodes[id], let s = storages[id] else { return }
        while n.hasReady {
            let r = n.ready()
            s.persist(r)
            inFlight.append(contentsOf: r.messages(afterPersistingTo: s))
            applied[id, default: []].append(contentsOf: r.committedEntries)
            readStates[id, default: []].append(contentsOf: r.readStates)
            n.advance(r)
        }
        nodes[id] = n
    }

    /// Processes every node's Ready and delivers messages until nothing moves (bounded).
    public mutating func stabilize(roundsMax: Int = 1000) {
        for _ in 0..<roundsMax {
            for id in ids { process(id) }
            if inFlight.isEmpty { return }
            let batch = inFlight
            inFlight = []
            for m in batch { deliver(m) }
        }
    }

    /// Delivers one message unless its link is cut or its kind ignored.
    public mutating func deliver(_ m: Message) {
        guard !cut.contains([m.from, m.to]), !ignoring.contains("\(m.kind)"), nodes[m.to] != nil else { return }
        nodes[m.to]!.step(m)
    }

    /// Cuts both directions between `id` and everyone else.
    public mutating func isolate(_ id: NodeID) {
        for other in ids where other != id {
            cut.insert([id, other])
            cut.insert([other, id])
        }
    }

    /// Restores every link.
    public mutating func heal() { cut.removeAll() }

    /// Ticks `id` `count` times, processing its Ready each time.
    public mutating func tick(_ id: NodeID, _ count: Int = 1) {
        for _ in 0..<count {
            nodes[id]!.tick()
            process(id)
        }
    }

    /// Makes `id` campaign and runs the group until quiet.
    public mutating func elect(_ id: NodeID) {
        nodes[id]!.campaign()
        stabilize()
    }

    /// The node that believes it leads the highest term, if any.
    public var leader: NodeID? {
        ids.filter { nodes[$0]!.role == .leader }.max { nodes[$0]!.term < nodes[$1]!.term }
    }
}
