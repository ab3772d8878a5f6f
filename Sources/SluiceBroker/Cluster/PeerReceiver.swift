import SluiceCore
import SluiceIO
import SluiceRaft
import SluiceWire
import Synchronization

/// The inbound half of the transport: authenticates each connection, decodes each inter-node
/// frame and hands it on. Runs on the listener's event-loop thread, so the callbacks it calls must
/// not block.
///
/// With a cluster secret, a connection must first complete the `PeerAuth` handshake (hello →
/// challenge → proof); every later frame must carry the MAC of the connection's session key and
/// the next frame number. The sending node's id is the one it proved, never what a frame claims:
/// a frame naming another sender is dropped. Anything else (a frame before the handshake, a bad
/// proof or MAC) closes the connection and is logged once per cause. Without a secret
/// (`cluster.insecure=true`) frames are taken as they come, as before.
///
/// Only the handshake's challenge is ever answered. A malformed frame closes its connection (the
/// sender reconnects, and whatever made it send garbage shows in the log once per cause); a frame
/// from another cluster or for another node is dropped and logged once per distinct cause.
final class PeerReceiver: Sendable {
    typealias RaftHandler = @Sendable (_ from: NodeID, _ messages: [(RaftGroupID, Message)]) -> Void
    typealias HeartbeatHandler = @Sendable (BrokerHeartbeatRequest) -> Void
    typealias ForwardHandler = @Sendable (InternalRequest) -> Void

    private enum Session {
        case challenged(PeerHandshake)
        case authenticated(NodeID, FrameAuthenticator)
    }

    private struct Refused: Error {
        var cause: String
        var detail: String
    }

    let nodeID: NodeID
    let clusterID: String
    private let secret: ClusterSecret?
    private let onRaftMessages: RaftHandler
    private let onHeartbeat: HeartbeatHandler
    private let onForward: ForwardHandler
    private let sessions = Mutex<[ConnectionID: Session]>([:])
    /// Causes already logged (a foreign cluster id, a wrong recipient), so each is logged once.
    /// Keyed by the kind of cause and the peer's address, never by what the peer sent, or an
    /// unauthenticated peer could grow it without end (and write a line per distinct value).
    private let logged = Mutex<Set<String>>([])
    /// Frames and messages refused (failed authentication, a forged sender, an invalid field).
    let refusedCount = Atomic<Int>(0)

    init(nodeID: NodeID, clusterID: String, secret: ClusterSecret?, onRaftMessages: @escaping RaftHandler,
         onHeartbeat: @escaping HeartbeatHandler, onForward: @escaping ForwardHandler) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.secret = secret
        self.onRaftMessages = onRaftMessages
        self.onHeartbeat = onHeartbeat
        self.onForward = onForward
    }

    /// The `FrameHandler` of the inter-node listener.
    func handle(_ connection: ConnectionContext, _ payload: [UInt8], _ slot: ResponseSlot) {
        do throws(Refused) {
            guard let secret else {
                try dispatch(try decode(payload), sender: nil, from: connection)
                return slot.complete(.noResponse)
            }
            switch sessions.withLock({ $0[connection.id] }) {
            case nil:
                slot.complete(.parts([.bytes(try challenge(payload, secret: secret, connection: connection))]))
            case .challenged(let handshake)?:
                try verifyProof(payload, handshake, connection: connection)
                slot.complete(.noResponse)
            case .authenticated(let sender, _)?:
                let inner = try sessions.withLock { sessions throws(Refused) -> [UInt8] in
                    guard case .authenticated(let node, var authenticator)? = sessions[connection.id],
                          let inner = authenticator.open(payload) else {
                        throw Refused(cause: "mac\(sender)", detail: "a frame from node \(sender) fails its MAC (forged, altered or replayed)")
                    }
                    sessions[connection.id] = .authenticated(node, authenticator)
                    return inner
                }
                try dispatch(try decode(inner), sender: sender, from: connection)
                slot.complete(.noResponse)
            }
        } catch {
            refuse(connection, error)
            slot.complete(.closeConnection)
        }
    }

    /// The listener forgets a connection's session when it closes.
    func connectionClosed(_ connection: ConnectionContext) {
        _ = sessions.withLock { $0.removeValue(forKey: connection.id) }
    }

    private func decode(_ payload: [UInt8]) throws(Refused) -> InternalRequest {
        do { return try InternalFrame.decode(payload) } catch {
            throw Refused(cause: "malformed", detail: Diagnostics.quoted("\(error)", limit: 256))
        }
    }

    // MARK: Handshake

    private func challenge(_ payload: [UInt8], secret: ClusterSecret, connection: ConnectionContext) throws(Refused) -> [UInt8] {
        guard case .peerAuth(let hello) = try decode(payload), hello.step == PeerAuthRequest.stepHello else {
            throw Refused(cause: "unauthenticated", detail: "a frame before the authentication handshake (is the sender missing cluster.secret.file, or set to cluster.insecure?)")
        }
        guard hello.clusterId == clusterID else {
            throw Refused(cause: "cluster id mismatch", detail: "a hello from cluster \(Diagnostics.quoted(hello.clusterId)) (this is \(clusterID))")
        }
        guard hello.toNode == nodeID.rawValue, hello.fromNode >= 0, hello.fromNode != nodeID.rawValue,
              hello.nonce.count == PeerCrypto.nonceBytes else {
            throw Refused(cause: "hello", detail: "a hello from node \(hello.fromNode) for node \(hello.toNode) with a \(hello.nonce.count)-byte nonce")
        }
        let handshake = PeerHandshake(secret: secret, clusterID: clusterID, connecting: NodeID(hello.fromNode), listening: nodeID,
                                      connectingNonce: hello.nonce, listeningNonce: PeerCrypto.nonce())
        sessions.withLock { $0[connection.id] = .challenged(handshake) }
        let answer = PeerAuthRequest(step: PeerAuthRequest.stepChallenge, fromNode: hello.fromNode, toNode: nodeID.rawValue, clusterId: clusterID,
                                     nonce: handshake.listeningNonce, proof: handshake.listeningProof)
        return InternalFrame.encode(.peerAuth(answer), correlationID: 0, clientID: "sluice-node-\(nodeID)")
    }

    private func verifyProof(_ payload: [UInt8], _ handshake: PeerHandshake, connection: ConnectionContext) throws(Refused) {
        guard case .peerAuth(let proof) = try decode(payload), proof.step == PeerAuthRequest.stepProof,
              PeerCrypto.equal(proof.proof, handshake.connectingProof) else {
            throw Refused(cause: "bad proof", detail: "node \(handshake.connecting) failed the handshake: it does not hold this cluster's secret")
        }
        sessions.withLock { $0[connection.id] = .authenticated(handshake.connecting, FrameAuthenticator(key: handshake.sessionKey)) }
    }

    // MARK: Frames

    /// Hands a decoded frame on. `sender` is the authenticated node (nil when insecure): a frame
    /// naming anyone else as its sender is refused.
    private func dispatch(_ frame: InternalRequest, sender: NodeID?, from connection: ConnectionContext) throws(Refused) {
        func claim(_ claimed: Int32, _ clusterId: String) throws(Refused) -> Bool {
            if let sender, claimed != sender.rawValue {
                throw Refused(cause: "forged\(sender)", detail: "node \(sender) sent a frame claiming to be node \(claimed)")
            }
            return isOurCluster(clusterId, from: connection)
        }
        switch frame {
        case .raftMessages(let request):
            if try claim(request.fromNode, request.clusterId) { try receive(request, from: connection) }
        case .brokerHeartbeat(let request):
            if try claim(request.nodeId, request.clusterId) { onHeartbeat(request) }
        case .forwardRequest(let request):
            if try claim(request.fromNode, request.clusterId) { onForward(frame) }
        case .forwardResponse(let response):
            if try claim(response.fromNode, response.clusterId) { onForward(frame) }
        case .peerAuth:
            throw Refused(cause: "handshake-again", detail: "a handshake frame on an open connection")
        }
    }

    private func receive(_ request: RaftMessagesRequest, from connection: ConnectionContext) throws(Refused) {
        var messages: [(RaftGroupID, Message)] = []
        messages.reserveCapacity(request.messages.count)
        for wire in request.messages {
            let decoded: (RaftGroupID, Message)
            do { decoded = try ClusterWire.decode(wire) } catch { throw Refused(cause: "malformed", detail: Diagnostics.quoted("\(error)", limit: 256)) }
            let (group, message) = decoded
            guard message.from.rawValue == request.fromNode else {
                throw Refused(cause: "forged-message", detail: "a Raft message from node \(message.from) inside a frame from node \(request.fromNode)")
            }
            // A message for another node means the sender has a stale address for it: Raft must
            // not step it here.
            guard message.to == nodeID else {
                logOnce("wrong recipient from \(connection.peer.host)", "inter-node: dropping messages for node \(message.to) sent to node \(nodeID) by \(connection.peer)")
                continue
            }
            messages.append((group, message))
        }
        if !messages.isEmpty { onRaftMessages(NodeID(request.fromNode), messages) }
    }

    private func isOurCluster(_ id: String, from connection: ConnectionContext) -> Bool {
        if id == clusterID { return true }
        logOnce("cluster id mismatch from \(connection.peer.host)", "inter-node: dropping frames from \(connection.peer) of cluster \(Diagnostics.quoted(id)) (this is \(clusterID))")
        return false
    }

    private func refuse(_ connection: ConnectionContext, _ refused: Refused) {
        refusedCount.add(1, ordering: .relaxed)
        _ = sessions.withLock { $0.removeValue(forKey: connection.id) }
        logOnce("\(refused.cause) from \(connection.peer.host)", "inter-node: closing the connection from \(connection.peer): \(refused.detail)")
    }

    /// Keys are a fixed cause with the peer's address (or, where it is authenticated, its proven
    /// node id), never text a peer chose, so each cause is logged once per peer address. The cap
    /// bounds the set when many addresses misbehave; reaching it is logged, once.
    private func logOnce(_ key: String, _ message: @autoclosure () -> String) {
        let (first, full) = logged.withLock { logged -> (Bool, Bool) in
            guard logged.count < Self.loggedCausesMax else { return (false, false) }
            let inserted = logged.insert(key).inserted
            return (inserted, inserted && logged.count == Self.loggedCausesMax)
        }
        guard first else { return }
        Diagnostics.warn(message())
        if full {
            Diagnostics.warn("inter-node: \(Self.loggedCausesMax) distinct causes logged since start; refusals from further peers are counted (sluice_peer_frames_refused_total) but no longer logged")
        }
    }

    /// Distinct causes logged at most: a dozen causes for each of some twenty peer addresses.
    static let loggedCausesMax = 256

    /// Causes logged so far (for tests).
    var loggedCauseCount: Int { logged.withLock { $0.count } }
}
