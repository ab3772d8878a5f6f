// libFuzzer target for the inter-node listener: every byte string is a candidate frame payload.
// It goes through what a node does with one: the internal frame decoder, the Raft message
// conversion and bounds checks, the heartbeat checks, and then — for whatever passes — a live
// three-node Raft group that steps it. Nothing may trap, and nothing that breaks RaftBounds may
// change a node's term. Built by `make fuzz`.
@testable import SluiceBroker
import SluiceCore
import SluiceRaft
import SluiceWire

/// A small group, rebuilt for every input so runs stay independent.
private func group() -> ([NodeID: RaftNode<MemoryStorage>], [NodeID: MemoryStorage]) {
    let ids = [NodeID(1), NodeID(2), NodeID(3)]
    var nodes: [NodeID: RaftNode<MemoryStorage>] = [:]
    var storages: [NodeID: MemoryStorage] = [:]
    for id in ids {
        let storage = MemoryStorage(snapshot: .bootstrap(Configuration(voters: ids)))
        storages[id] = storage
        nodes[id] = RaftNode(id: id, storage: storage, random: SeededRandom(seed: UInt64(id.rawValue)))
    }
    return (nodes, storages)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let frame = try? InternalFrame.decode(bytes) else { return 0 }
    switch frame {
    case .raftMessages(let request):
        var (nodes, storages) = group()
        for wire in request.messages {
            guard let (_, message) = try? ClusterWire.decode(wire), var node = nodes[message.to], let storage = storages[message.to] else { continue }
            let before = node.term
            node.step(message)
            if message.boundsViolation != nil, node.term != before {
                fatalError("an out-of-bounds message changed a term: \(message)")
            }
            // Persist and advance as a host would: the Ready contract's checks run too.
            while node.hasReady {
                let ready = node.ready()
                storage.persist(ready)
                node.advance(ready)
            }
            nodes[message.to] = node
        }
    case .brokerHeartbeat(let request):
        _ = ClusterNode.heartbeatProblem(request)
    case .forwardRequest, .forwardResponse, .peerAuth:
        break
    }
    return 0
}
