import SluiceCore
import SluiceIO
import SluiceRaft
import SluiceWire
import Synchronization

/// One-way messages between the nodes of a cluster, over the inter-node listener (Kafka's
/// `CONTROLLER://`): Raft messages of every group, broker heartbeats, and forwarded admin
/// requests with their answers (each answer is a one-way frame of its own, matched by id).
///
/// Inbound: a `FrameServer` decodes each frame (int32 size, request header v2, an internal API
/// body) and calls `onRaftMessages` / `onHeartbeat` on its event-loop thread; those must not block.
/// Nothing is ever answered.
///
/// Outbound: `send` and `sendHeartbeat` never block. Each peer has a bounded queue and a sender
/// thread with one blocking TCP connection; everything queued for a peer leaves in as few frames
/// as possible, in order. Messages may be lost (queue overflow, unreachable peer, broken
/// connection), never reordered or duplicated by the transport; Raft copes with loss.
public final class PeerTransport: Sendable {
    /// Limits and timings; the defaults suit a LAN cluster.
    public struct Settings: Sendable {
        /// Bytes queued per peer (by `Message.byteCount`) before the oldest messages are dropped.
        public var queueBytesMax = 64 << 20
        /// A frame is closed once its messages reach this size; a larger single message goes alone.
        public var frameBytesTarget = 1 << 20
        /// Largest inbound frame accepted (a snapshot travels in one).
        public var inboundFrameBytesMax = 256 << 20
        /// Bytes of inbound frames being read or handled at once, over all peers; beyond it a
        /// peer's socket is left unread until room frees.
        public var inboundQueuedBytesMax = 512 << 20
        /// A frame must arrive whole within this once its first byte has (a stalled sender's
        /// connection is closed and its buffer freed).
        public var inboundFrameReadTimeoutMillis = 30_000
        /// How long one connection attempt may take.
        public var connectTimeoutMillis = 1_000
        /// First wait after a failed connection attempt; doubles up to `backoffMaxMillis`.
        public var backoffInitialMillis = 50
        /// Longest wait between connection attempts.
        public var backoffMaxMillis = 1_000
        /// Mutual TLS on the inter-node channel (`CONTROLLER:SSL`): the listener's context, which
        /// requires a client certificate from the cluster's authority, and the one connections
        /// are made with, which presents this node's certificate and verifies the peer's.
        public var tlsServer: TLSContext?
        public var tlsClient: TLSContext?

        /// The defaults.
        public init() {}
    }

    /// This node.
    public let nodeID: NodeID
    /// Frames carrying another cluster id are dropped on receipt.
    public let clusterID: String
    private let settings: Settings
    private let secret: ClusterSecret?
    private let receiver: PeerReceiver
    /// Nil on a cluster of one: nobody else connects, so no port is bound.
    private let server: FrameServer?
    private let senders = Mutex<[NodeID: PeerSender]>([:])
    /// Peers something was sent to without an address, so each is logged once.
    private let unknownPeersLogged = Mutex<Set<NodeID>>([])
    private let stopped = Atomic<Bool>(false)

    /// Binds the inter-node listener on `listenHost:listenPort` (0: any free port, see `port`;
    /// nil: none, for a node that no other node reaches) and starts receiving. The callbacks run on the listener's event-loop thread and must not
    /// block; `from` is the sending node.
    public init(
        nodeID: NodeID, clusterID: String, listenHost: String, listenPort: UInt16?, settings: Settings = Settings(),
        secret: ClusterSecret?,
        onRaftMessages: @escaping @Sendable (_ from: NodeID, _ messages: [(RaftGroupID, Message)]) -> Void,
        onHeartbeat: @escaping @Sendable (BrokerHeartbeatRequest) -> Void,
        onForward: @escaping @Sendable (InternalRequest) -> Void = { _ in }
    ) throws(SystemError) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.settings = settings
        self.secret = secret
        let receiver = PeerReceiver(nodeID: nodeID, clusterID: clusterID, secret: secret, onRaftMessages: onRaftMessages,
                                    onHeartbeat: onHeartbeat, onForward: onForward)
        self.receiver = receiver
        guard let listenPort else {
            server = nil
            return
        }
        var configuration = FrameServer.Configuration()
        configuration.label = "sluice-peer"
        configuration.host = listenHost
        configuration.port = listenPort
        // A handful of peers, each on one connection: one loop keeps their frames in order cheaply.
        configuration.eventLoopCount = 1
        configuration.maxRequestBytes = settings.inboundFrameBytesMax
        configuration.maxQueuedRequestBytes = settings.inboundQueuedBytesMax
        configuration.requestReadTimeout = .milliseconds(settings.inboundFrameReadTimeoutMillis)
        // Until a connection has proved it holds the secret (hello, proof) its frames stay small.
        configuration.handshakeFrames = secret == nil ? 0 : 2
        configuration.handshakeFrameBytesMax = 4096
        configuration.tls = settings.tlsServer
        configuration.onPressure = { pressure in Diagnostics.warn("inter-node listener: \(pressure.explanation)") }
        server = try FrameServer(configuration: configuration, handler: receiver.handle, onConnectionClosed: receiver.connectionClosed)
    }

    deinit {
        stop()
    }

    /// The port the inter-node listener is bound to (0 without one).
    public var port: UInt16 { server?.port ?? 0 }

    /// Where `id` listens; call again when it moves (voters come from the configuration, other
    /// nodes from their heartbeats). The next frame to it goes to the new address.
    public func setPeer(_ id: NodeID, host: String, port: UInt16) {
        guard id != nodeID, !stopped.load(ordering: .acquiring) else { return }
        let address = PeerAddress(host: host, port: port)
        senders.withLock { senders in
            if let sender = senders[id] {
                sender.setAddress(address)
            } else {
                let encoder = PeerFrameEncoder(nodeID: nodeID, clusterID: clusterID, frameBytesTarget: settings.frameBytesTarget)
                senders[id] = PeerSender(peer: id, address: address, encoder: encoder, settings: settings, secret: secret)
            }
        }
    }

    /// Queues Raft messages for `peer`; never blocks. Dropped (logged once) if the peer's address
    /// is not known yet.
    public func send(_ messages: [(RaftGroupID, Message)], to peer: NodeID) {
        guard !messages.isEmpty else { return }
        sender(for: peer)?.enqueue(messages)
    }

    /// Queues a heartbeat for `peer`, replacing one still waiting to go; never blocks.
    public func sendHeartbeat(_ request: BrokerHeartbeatRequest, to peer: NodeID) {
        sender(for: peer)?.enqueue(heartbeat: request)
    }

    /// Queues a forwarded request or its answer for `peer`; never blocks. Lost like any frame
    /// when the peer is unreachable: the forwarding node times the request out.
    public func sendForward(_ frame: InternalRequest, to peer: NodeID) {
        sender(for: peer)?.enqueue(forward: frame)
    }

    /// Inbound frames refused so far (failed authentication, a forged sender, a malformed frame).
    public var refusedCount: Int { receiver.refusedCount.load(ordering: .relaxed) }

    /// Messages to `peer` dropped so far (overflow or unreachable), for tests and metrics.
    public func droppedCount(to peer: NodeID) -> Int {
        senders.withLock { $0[peer] }?.droppedCount ?? 0
    }

    /// Stops the listener and every sender thread; what is still queued is dropped. Idempotent;
    /// must not be called from a callback (it joins the listener's thread).
    public func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        server?.shutdown()
        let all = senders.withLock { senders in
            defer { senders.removeAll() }
            return Array(senders.values)
        }
        for sender in all { sender.stop() }
    }

    private func sender(for peer: NodeID) -> PeerSender? {
        if let sender = senders.withLock({ $0[peer] }) { return sender }
        if !stopped.load(ordering: .relaxed), unknownPeersLogged.withLock({ $0.insert(peer).inserted }) {
            Diagnostics.warn("inter-node: no address for node \(peer) yet; dropping what is sent to it until setPeer")
        }
        return nil
    }
}
