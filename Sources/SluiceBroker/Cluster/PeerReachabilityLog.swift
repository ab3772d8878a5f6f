import SluiceCore
import SluiceIO

/// Logs one peer's connection state changes, never the same state twice in a row: a peer that is
/// down for an hour gives one warning, not one per retry.
struct PeerReachabilityLog {
    private enum State: Equatable {
        case unknown
        case connected(String)
        case failing(String, errno: Int32)
    }

    let peer: NodeID
    private var state = State.unknown

    init(peer: NodeID) { self.peer = peer }

    mutating func connected(to address: String) {
        let next = State.connected(address)
        guard next != state else { return }
        state = next
        Diagnostics.info("inter-node: connected to node \(peer) at \(address)")
    }

    mutating func connectFailed(to address: String, _ error: SystemError) {
        let next = State.failing(address, errno: error.errno)
        guard next != state else { return }
        state = next
        Diagnostics.warn("inter-node: cannot reach node \(peer) at \(address): \(error); retrying, messages meanwhile are dropped (logged again on change)")
    }

    mutating func lost(_ address: String, _ error: SystemError, droppedFrames: Int) {
        state = .unknown
        Diagnostics.warn("inter-node: connection to node \(peer) at \(address) failed: \(error); \(droppedFrames) frame(s) dropped, reconnecting")
    }
}
