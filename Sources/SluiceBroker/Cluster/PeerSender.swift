import Dispatch
import Foundation
import SluiceCore
import SluiceIO
import SluiceRaft
import SluiceWire
import Synchronization

/// Where a peer's inter-node listener is.
struct PeerAddress: Equatable, Sendable {
    var host: String
    var port: UInt16
}

/// Carries everything for one peer over one blocking TCP connection, on a thread of its own.
///
/// Callers only append to the queue (never block, never touch the socket); the thread takes all
/// that is queued at once, encodes it into as few frames as fit, and writes them. Connection
/// failures back off (50 ms doubling to 1 s) and drop what was queued before the failed attempt;
/// a write error drops the connection and what was being written. Raft tolerates both losses.
///
/// State table of the thread:
///
/// | state        | on work                    | on connect ok   | on connect error        | on write error |
/// |--------------|----------------------------|-----------------|-------------------------|----------------|
/// | disconnected | connect                    | → connected     | drop old, back off      | —              |
/// | connected    | write frames               | —               | —                       | → disconnected |
///
/// An address change or the peer closing its end (seen before each write) → disconnected.
final class PeerSender: Sendable {
    private struct State {
        var queue: PeerQueue
        var address: PeerAddress
        var stopped = false
        /// The thread is waiting on `wake`: the next enqueue must signal it.
        var sleeping = false
    }

    private enum Next {
        case send(PeerAddress)
        case stop
    }

    let peer: NodeID
    private let settings: PeerTransport.Settings
    /// Nil only with `cluster.insecure=true`: then frames go unauthenticated.
    private let secret: ClusterSecret?
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled by `stop`, so a back-off sleep ends at once.
    private let stopRequested = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)

    init(peer: NodeID, address: PeerAddress, encoder: PeerFrameEncoder, settings: PeerTransport.Settings, secret: ClusterSecret?) {
        self.peer = peer
        self.settings = settings
        self.secret = secret
        state = Mutex(State(queue: PeerQueue(bytesMax: settings.queueBytesMax), address: address))
        let thread = Thread { [self] in
            nameCurrentThread("sluice-peer-\(peer)")
            run(encoder: encoder)
            exited.signal()
        }
        thread.name = "sluice-peer-\(peer)"
        thread.start()
    }

    func setAddress(_ address: PeerAddress) {
        state.withLock { $0.address = address }
    }

    func enqueue(_ messages: [(RaftGroupID, Message)]) {
        enqueue { queue in for (group, message) in messages { queue.append(group, message) } }
    }

    func enqueue(heartbeat: BrokerHeartbeatRequest) {
        enqueue { $0.setHeartbeat(heartbeat) }
    }

    func enqueue(forward: InternalRequest) {
        enqueue { $0.appendForward(forward) }
    }

    /// Messages dropped so far (queue overflow or an unreachable peer).
    var droppedCount: Int { state.withLock { $0.queue.droppedCount } }

    /// Ends the thread (abandoning a write the peer is not taking) and waits for it.
    func stop() {
        let wasSleeping = state.withLock { state -> Bool in
            state.stopped = true
            defer { state.sleeping = false }
            return state.sleeping
        }
        stopRequested.signal()
        if wasSleeping { wake.signal() }
        exited.wait()
    }

    private func enqueue(_ add: (inout PeerQueue) -> Void) {
        let mustWake = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            add(&state.queue)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if mustWake { wake.signal() }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    // MARK: The thread

    private func run(encoder: PeerFrameEncoder) {
        var encoder = encoder
        var log = PeerReachabilityLog(peer: peer)
        var connection: (stream: BlockingStream, address: PeerAddress, authenticator: FrameAuthenticator?)?
        var backoffMillis = settings.backoffInitialMillis
        while case .send(let address) = waitForWork() {
            if let current = connection, current.address != address || current.stream.isClosedByPeer {
                connection = nil
            }
            if connection == nil {
                let attempt = state.withLock { $0.queue.nextSequence }
                do throws(SystemError) {
                    let stream = try BlockingStream.connect(host: address.host, port: address.port, timeoutMillis: settings.connectTimeoutMillis,
                                                            tls: settings.tlsClient)
                    connection = (stream, address, try authenticate(stream, encoder: &encoder))
                    log.connected(to: stream.address)
                    backoffMillis = settings.backoffInitialMillis
                } catch {
                    log.connectFailed(to: SocketAddress(host: address.host, port: address.port).description, error)
                    state.withLock { $0.queue.dropQueued(before: attempt) }
                    _ = stopRequested.wait(timeout: .now() + .milliseconds(backoffMillis))
                    backoffMillis = min(backoffMillis * 2, settings.backoffMaxMillis)
                    continue
                }
            }
            guard let stream = connection?.stream else { continue }
            let payloads = encoder.payloads(state.withLock { $0.queue.takeAll() })
            for (index, payload) in payloads.enumerated() {
                let sealed = connection?.authenticator?.seal(payload) ?? payload
                do throws(SystemError) {
                    try stream.write(PeerFrameEncoder.sized(sealed), shouldContinue: { !isStopped })
                } catch {
                    if !isStopped { log.lost(stream.address, error, droppedFrames: payloads.count - index) }
                    connection = nil
                    break
                }
            }
        }
    }

    /// Proves to the peer that this node holds the cluster secret and checks that the peer does
    /// too (see `PeerHandshake`); the authenticator then seals every frame on this connection.
    /// Nil without a secret (`cluster.insecure=true`).
    private func authenticate(_ stream: BlockingStream, encoder: inout PeerFrameEncoder) throws(SystemError) -> FrameAuthenticator? {
        guard let secret else { return nil }
        let ours = PeerCrypto.nonce()
        let hello = PeerAuthRequest(step: PeerAuthRequest.stepHello, fromNode: encoder.nodeID.rawValue, toNode: peer.rawValue,
                                    clusterId: encoder.clusterID, nonce: ours, proof: [])
        try stream.write(PeerFrameEncoder.sized(encoder.frame(.peerAuth(hello))), shouldContinue: { !isStopped })
        let answer = try stream.readFrame(maxBytes: 4096, timeoutMillis: settings.connectTimeoutMillis)
        guard case .peerAuth(let challenge)? = try? InternalFrame.decode(answer), challenge.step == PeerAuthRequest.stepChallenge,
              challenge.nonce.count == PeerCrypto.nonceBytes else {
            throw SystemError(call: "handshake(no challenge from node \(peer))", errno: EPROTO, path: stream.address)
        }
        let handshake = PeerHandshake(secret: secret, clusterID: encoder.clusterID, connecting: encoder.nodeID, listening: peer,
                                      connectingNonce: ours, listeningNonce: challenge.nonce)
        guard PeerCrypto.equal(challenge.proof, handshake.listeningProof) else {
            throw SystemError(call: "handshake(node \(peer) does not hold this cluster's secret)", errno: EACCES, path: stream.address)
        }
        let proof = PeerAuthRequest(step: PeerAuthRequest.stepProof, fromNode: encoder.nodeID.rawValue, toNode: peer.rawValue,
                                    clusterId: encoder.clusterID, nonce: [], proof: handshake.connectingProof)
        try stream.write(PeerFrameEncoder.sized(encoder.frame(.peerAuth(proof))), shouldContinue: { !isStopped })
        return FrameAuthenticator(key: handshake.sessionKey)
    }

    /// Blocks until something is queued (→ where to send it) or `stop` is called.
    private func waitForWork() -> Next {
        while true {
            let next = state.withLock { state -> Next? in
                if state.stopped { return .stop }
                if !state.queue.isEmpty { return .send(state.address) }
                state.sleeping = true
                return nil
            }
            if let next { return next }
            wake.wait()
        }
    }
}
