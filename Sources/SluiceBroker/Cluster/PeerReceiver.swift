import SluiceCore
import SluiceIO
import SluiceRaft
import SluiceWire
import Synchronization

/// The inbound half of the transport: decodes each inter-node frame and hands it on. Runs on the
/// listener's event-loop thread, so the callbacks it calls must not block.
///
/// Never answers. A malformed frame closes its connection (the sender reconnects, and whatever
/// made it send garbage shows in the log once per connection); a frame from another cluster or
/// for another node is dropped and logged once per distinct cause.
final class PeerReceiver: Sendable {
    typealias RaftHandler = @Sendable (_ from: NodeID, _ messages: [(RaftGroupID, Message)]) -> Void
    typealias HeartbeatHandler = @Sendable (BrokerHeartbeatRequest) -> Void
    typealias ForwardHandler = @Sendable (InternalRequest) -> Void

    let nodeID: NodeID
    let clusterID: String
    private let onRaftMessages: RaftHandler
    private let onHeartbeat: HeartbeatHandler
    private let onForward: ForwardHandler
    /// Causes already logged (a foreign cluster id, a wrong recipient), so each is logged once.
    private let logged = Mutex<Set<String>>([])

    init(nodeID: NodeID, clusterID: String, onRaftMessages: @escaping RaftHandler, onHeartbeat: @escaping HeartbeatHandler,
         onForward: @escaping ForwardHandler) {
        self.onForward = onForward
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.onRaftMessages = onRaftMessages
        self.onHeartbeat = onHeartbeat
    }

    /// The `FrameHandler` of the inter-node listener.
    func handle(_ connection: ConnectionContext, _ payload: [UInt8], _ slot: ResponseSlot) {
        do throws(ClusterWireError) {
            switch try InternalFrame.decode(payload) {
            case .raftMessages(let request):
                try receive(request, from: connection)
            case .brokerHeartbeat(let request):
                if isOurCluster(request.clusterId, from: connection) { onHeartbeat(request) }
            case .forwardRequest(let request):
                if isOurCluster(request.clusterId, from: connection) { onForward(.forwardRequest(request)) }
            case .forwardResponse(let response):
                if isOurCluster(response.clusterId, from: connection) { onForward(.forwardResponse(response)) }
            }
            slot.complete(.noResponse)
        } catch {
            Log.warn("inter-node: closing connection from \(connection.peer): \(error)")
            slot.complete(.closeConnection)
        }
    }

    private func receive(_ request: RaftMessagesRequest, from connection: ConnectionContext) throws(ClusterWireError) {
        guard isOurCluster(request.clusterId, from: connection) else { return }
        var messages: [(RaftGroupID, Message)] = []
        messages.reserveCapacity(request.messages.count)
        for wire in request.messages {
            let (group, message) = try ClusterWire.decode(wire)
            // A message for another node means the sender has a stale address for it: Raft must
            // not step it here.
            guard message.to == nodeID else {
                logOnce("to\(message.to)", "inter-node: dropping messages for node \(message.to) sent to node \(nodeID) by \(connection.peer)")
                continue
            }
            messages.append((group, message))
        }
        if !messages.isEmpty { onRaftMessages(NodeID(request.fromNode), messages) }
    }

    private func isOurCluster(_ id: String, from connection: ConnectionContext) -> Bool {
        if id == clusterID { return true }
        logOnce("cluster:" + id, "inter-node: dropping frames from \(connection.peer) of cluster \(id) (this is \(clusterID))")
        return false
    }

    private func logOnce(_ key: String, _ message: @autoclosure () -> String) {
        guard logged.withLock({ $0.insert(key).inserted }) else { return }
        Log.warn(message())
    }
}
