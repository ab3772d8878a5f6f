#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSluiceLinux
import SluiceCore
import Dispatch
import Synchronization

/// A TCP server for Kafka-style framing (int32 big-endian size, then the payload) on a few epoll
/// event-loop threads.
///
/// Each frame is handed whole to the handler on the connection's loop thread with a
/// `ResponseSlot`; many requests may be in flight per connection and their responses are written
/// strictly in request order. Call `shutdown()` before dropping the server.
public final class FrameServer: Sendable {
    /// Server settings. Defaults follow Kafka's broker defaults.
    public struct Configuration: Sendable {
        /// Address to listen on (numeric or a name `getaddrinfo` resolves; the first result is used).
        public var host: String = "127.0.0.1"
        /// Port to listen on; 0 lets the kernel choose (see `FrameServer.port`).
        public var port: UInt16 = 0
        /// Event-loop threads (Kafka `num.network.threads` is 3); each owns its connections.
        public var eventLoopCount: Int = 2
        /// Largest request payload accepted (`socket.request.max.bytes`); a bigger or negative
        /// size prefix closes the connection before anything is allocated.
        public var maxRequestBytes: Int = Limits.requestBytesMaxDefault
        /// Most open connections (`max.connections`); beyond it, new ones are accepted and closed.
        public var maxConnections: Int = Int(Int32.max)
        /// Most open connections from one IP address (`max.connections.per.ip`).
        public var maxConnectionsPerIP: Int = Int(Int32.max)
        /// A connection with no bytes read or written for this long, and no request waiting for
        /// its handler, is closed (`connections.max.idle.ms`, 10 minutes). Zero or less: never.
        public var idleTimeout: Duration = .seconds(600)
        /// Requests in flight on one connection (dispatched, response not yet written); at the
        /// limit the server stops reading that socket until responses go out.
        public var maxInflightRequestsPerConnection: Int = 100
        /// `listen(2)` backlog.
        public var listenBacklog: Int32 = 1024
        /// Serve TLS with these certificates (`replaceTLSContext` swaps them for new connections);
        /// nil: clear text.
        public var tls: TLSContext?
        /// A TLS handshake not finished this long after the connection was accepted closes it.
        public var tlsHandshakeTimeout: Duration = .seconds(10)
        /// Names the server's threads (`<label>-net-<n>`), so a log line or a crash says which
        /// listener it came from.
        public var label: String = "sluice"
        /// The listener's name, given to the handler with each connection (a broker serves
        /// several listeners with different security, one server each).
        public var listenerName: String = ""
        /// Connection ids start above this: servers of one process given disjoint ranges hand
        /// out ids no two of their connections share.
        public var firstConnectionID: UInt64 = 0
        /// Counts connections against limits shared with other servers (`maxConnections` and
        /// `maxConnectionsPerIP` of this configuration are then unused); nil: this server's own.
        public var sharedLimiter: ConnectionLimiter?
        /// Bytes of requests held by the whole server: frames being read plus frames handed to
        /// the handler and not yet answered (Kafka's `queued.max.request.bytes`). A frame is
        /// counted in full as soon as its size is read; a connection whose next frame does not
        /// fit waits, its socket unread, until answers free room. Never below `maxRequestBytes`.
        public var maxQueuedRequestBytes: Int = 512 << 20
        /// A frame whose first byte has arrived must be whole within this, or the connection is
        /// closed: a client trickling bytes cannot hold a buffer for ever (slow-loris). Zero or
        /// less: never.
        public var requestReadTimeout: Duration = .seconds(30)
        /// The first `handshakeFrames` frames of a connection may hold at most
        /// `handshakeFrameBytesMax` bytes: a listener whose peers must first authenticate with
        /// small frames lets no unauthenticated connection claim a large buffer.
        public var handshakeFrames: UInt64 = 0
        public var handshakeFrameBytesMax: Int = 4096
        /// When set, every frame is at most this large until `liftFrameLimit` is called for the
        /// connection (SASL: a client that has not authenticated cannot make the server read and
        /// hold a 100 MiB frame; Kafka's `sasl.server.max.receive.size`).
        public var unauthenticatedFrameBytesMax: Int?
        /// Hears when the server runs short of descriptors or of its request-byte budget, and when
        /// that ends; called on a loop thread, must not block.
        public var onPressure: (@Sendable (Pressure) -> Void)?

        /// The defaults.
        public init() {}
    }

    /// A resource the server ran out of, or got back.
    public enum Pressure: Sendable, Equatable {
        /// `accept` failed for want of descriptors (EMFILE/ENFILE) or kernel memory.
        case descriptorsExhausted
        /// A frame waited for `maxQueuedRequestBytes` to free room.
        case requestBytesExhausted
        /// Both are available again.
        case relieved
    }

    /// The settings the server runs with.
    public let configuration: Configuration
    /// The address actually bound.
    public let localAddress: SocketAddress
    /// The port actually bound (the ephemeral one when `configuration.port` was 0).
    public var port: UInt16 { localAddress.port }

    private let core: ServerCore
    private let serverLoops: [ServerLoop]
    private let acceptor: Acceptor
    private let threads: [LoopThread]
    private let shutdownStarted = Atomic<Bool>(false)

    /// Binds, listens and starts the event-loop threads. `handler` receives every request frame;
    /// `onConnectionClosed` (optional) hears of every closed connection.
    public init(configuration: Configuration = Configuration(),
                handler: @escaping FrameHandler,
                onConnectionClosed: ConnectionClosedHandler? = nil) throws(SystemError) {
        precondition(configuration.eventLoopCount >= 1, "FrameServer needs at least one event loop")
        precondition(configuration.maxInflightRequestsPerConnection >= 1, "maxInflightRequestsPerConnection must be >= 1")
        precondition(configuration.maxRequestBytes >= 0 && configuration.maxRequestBytes <= Int(Int32.max),
                     "maxRequestBytes must fit an int32 size prefix")
        Socket.ignoreBrokenPipe
        self.configuration = configuration
        let core = ServerCore(configuration: configuration, handler: handler, onClose: onConnectionClosed)
        self.core = core

        let listener = try Socket.makeListener(host: configuration.host, port: configuration.port,
                                               backlog: configuration.listenBacklog)
        var loops: [EventLoop] = []
        do throws(SystemError) {
            localAddress = try Socket.localAddress(of: listener)
            for index in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(name: "\(configuration.label)-net-\(index)"))
            }
        } catch {
            _ = close(listener)
            for loop in loops { loop.requestStop(); loop.run() }  // never started: tears down at once
            throw error
        }
        let serverLoops = loops.map { ServerLoop(loop: $0, core: core) }
        self.serverLoops = serverLoops
        let acceptor = Acceptor(fd: listener, core: core, home: serverLoops[0], loops: serverLoops)
        self.acceptor = acceptor
        do throws(SystemError) {
            // Before the threads start, so the loop thread does not own it yet.
            try acceptor.start()
        } catch {
            _ = close(listener)
            for loop in loops { loop.requestStop(); loop.run() }
            throw error
        }

        var threads: [LoopThread] = []
        for loop in loops {
            do throws(SystemError) {
                threads.append(try LoopThread(name: loop.name) { loop.run() })
            } catch {
                for started in loops { started.requestStop() }
                for thread in threads { thread.join() }
                for unstarted in loops.dropFirst(threads.count) { unstarted.run() }
                throw error
            }
        }
        self.threads = threads
    }

    deinit {
        shutdown()
    }

    /// Open connections.
    public var connectionCount: Int { core.limiter.total }
    /// Requests dispatched on all connections whose responses are not yet fully written.
    public var inflightRequestCount: Int { core.inflightTotal.load(ordering: .relaxed) }
    /// Bytes of frames being read or awaiting their answer, against `maxQueuedRequestBytes`.
    public var queuedRequestBytes: Int { core.queuedBytes.load(ordering: .relaxed) }
    /// Frames that waited for request-byte room so far.
    public var requestByteWaits: Int { core.budgetWaits.load(ordering: .relaxed) }
    /// Connections closed for not completing a frame within `requestReadTimeout`.
    public var slowReadsClosed: Int { core.slowReadsClosed.load(ordering: .relaxed) }

    /// TLS handshakes or sessions that failed (bad certificate, protocol version, garbage, timeout).
    public var tlsFailureCount: Int { core.tlsFailures.load(ordering: .relaxed) }

    /// Lets `connection`'s frames be as large as `maxRequestBytes` from now on (its peer
    /// authenticated). Any thread; takes effect on the connection's loop before later answers go out.
    public func liftFrameLimit(_ connection: ConnectionID) {
        for serverLoop in serverLoops {
            _ = serverLoop.loop.execute { serverLoop.liftFrameLimit(connection) }
        }
    }

    /// Closes `connection` once the answers already queued on it are written (any thread).
    public func closeConnection(_ connection: ConnectionID) {
        for serverLoop in serverLoops {
            _ = serverLoop.loop.execute { serverLoop.closeWhenFlushed(connection) }
        }
    }

    /// New connections use `context` from now on; established ones keep the session they have
    /// (a certificate reload drops no connection).
    public func replaceTLSContext(_ context: TLSContext) {
        core.tls.withLock { $0 = context }
    }

    /// Connections accepted and closed at once because of `maxConnections` or `maxConnectionsPerIP`.
    public var rejectedConnectionCount: Int { core.rejectedConnections.load(ordering: .relaxed) }

    /// Stops accepting, optionally lets in-flight requests finish for up to `gracePeriod` (no new
    /// requests are read meanwhile), then closes every connection and joins the event-loop
    /// threads. Idempotent; must not be called from a handler (it would join its own thread).
    public func shutdown(gracePeriod: Duration = .zero) {
        guard shutdownStarted.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        precondition(!serverLoops.contains { $0.loop.inLoopThread }, "FrameServer.shutdown on one of its own event-loop threads")
        core.stopping.store(true, ordering: .releasing)
        let acceptor = self.acceptor
        post(to: serverLoops[0]) { acceptor.close() }
        let graceNs = gracePeriod.nanosecondsClamped
        if graceNs > 0 {
            for serverLoop in serverLoops {
                post(to: serverLoop) { serverLoop.drain() }
            }
            // Woken by the last answer (`requestsFinished` once stopping), not by polling.
            let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: graceNs))
            while core.inflightTotal.load(ordering: .acquiring) > 0 && core.drained.wait(timeout: deadline) == .success {}
        }
        for serverLoop in serverLoops { serverLoop.loop.requestStop() }
        for thread in threads { thread.join() }
    }

    /// Posts a shutdown step, retrying briefly while the mailbox is full. If it never fits, the
    /// stop that follows closes everything anyway.
    private func post(to serverLoop: ServerLoop, _ task: @escaping EventLoopTask) {
        for _ in 0..<1000 {
            if serverLoop.loop.execute(task) { return }
            usleep(1_000)
        }
    }
}

/// State shared by the acceptor and every connection of one server. Immutable or atomic or
/// behind its own lock, hence `Sendable`.
final class ServerCore: Sendable {
    let configuration: FrameServer.Configuration
    let handler: FrameHandler
    let onClose: ConnectionClosedHandler?
    let limiter: ConnectionLimiter
    let nextConnectionID = Atomic<UInt64>(0)
    let inflightTotal = Atomic<Int>(0)
    /// Signalled when the last request in flight is answered while the server stops.
    let drained = DispatchSemaphore(value: 0)
    let rejectedConnections = Atomic<Int>(0)
    /// Bytes of frames being read or awaiting their answer (see `maxQueuedRequestBytes`).
    let queuedBytes = Atomic<Int>(0)
    let queuedBytesMax: Int
    /// Frames that had to wait for room, and connections closed for reading too slowly.
    let budgetWaits = Atomic<Int>(0)
    let slowReadsClosed = Atomic<Int>(0)
    /// Set while a shortage has been reported and not yet relieved, so each is told once.
    let underPressure = Atomic<Bool>(false)
    /// Set by `shutdown`: new sockets are closed instead of served.
    let stopping = Atomic<Bool>(false)
    /// The TLS context new connections start their sessions from; nil: clear text.
    let tls: Mutex<TLSContext?>
    let tlsFailures = Atomic<Int>(0)

    init(configuration: FrameServer.Configuration, handler: @escaping FrameHandler, onClose: ConnectionClosedHandler?) {
        self.configuration = configuration
        self.handler = handler
        self.onClose = onClose
        self.limiter = configuration.sharedLimiter ?? ConnectionLimiter(total: configuration.maxConnections, perIP: configuration.maxConnectionsPerIP)
        nextConnectionID.store(configuration.firstConnectionID, ordering: .relaxed)
        self.tls = Mutex(configuration.tls)
        queuedBytesMax = max(configuration.maxQueuedRequestBytes, configuration.maxRequestBytes)
    }

    /// `count` requests were answered (or dropped with their connection).
    func requestsFinished(_ count: Int) {
        guard count > 0 else { return }
        let left = inflightTotal.subtract(count, ordering: .acquiringAndReleasing).newValue
        if left == 0 && stopping.load(ordering: .acquiring) { drained.signal() }
    }

    /// Counts `bytes` against the budget if they fit (any thread).
    func reserve(_ bytes: Int) -> Bool {
        var current = queuedBytes.load(ordering: .relaxed)
        while current + bytes <= queuedBytesMax {
            let (exchanged, actual) = queuedBytes.compareExchange(expected: current, desired: current + bytes, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = actual
        }
        budgetWaits.add(1, ordering: .relaxed)
        report(.requestBytesExhausted)
        return false
    }

    func release(_ bytes: Int) {
        let left = queuedBytes.subtract(bytes, ordering: .acquiringAndReleasing).newValue
        if left <= queuedBytesMax / 2 { report(.relieved) }
    }

    /// Tells `onPressure` of a shortage once per episode, and of its end once.
    func report(_ pressure: FrameServer.Pressure) {
        let shortage = pressure != .relieved
        guard underPressure.compareExchange(expected: !shortage, desired: shortage, ordering: .acquiringAndReleasing).exchanged else { return }
        configuration.onPressure?(pressure)
    }
}

/// Counts open connections, in total and per peer IP. Taken by the acceptor (loop 0), released
/// by whichever loop closes the connection: hence a `Mutex`. No other lock is taken while held.
public final class ConnectionLimiter: Sendable {
    private struct Counts {
        var total = 0
        var perIP: [String: Int] = [:]
    }

    private let totalMax: Int
    private let perIPMax: Int
    private let counts = Mutex(Counts())

    public init(total: Int, perIP: Int) {
        totalMax = total
        perIPMax = perIP
    }

    /// Counts a new connection from `ip` if both limits allow; false means reject it.
    func tryAcquire(ip: String) -> Bool {
        counts.withLock { counts in
            let fromIP = counts.perIP[ip, default: 0]
            guard counts.total < totalMax, fromIP < perIPMax else { return false }
            counts.total += 1
            counts.perIP[ip] = fromIP + 1
            return true
        }
    }

    /// Forgets a connection counted by `tryAcquire`.
    func release(ip: String) {
        counts.withLock { counts in
            precondition(counts.total > 0, "connection limiter released below zero")
            counts.total -= 1
            let fromIP = counts.perIP[ip, default: 0] - 1
            precondition(fromIP >= 0, "connection limiter released an IP below zero")
            counts.perIP[ip] = fromIP == 0 ? nil : fromIP
        }
    }

    var total: Int { counts.withLock { $0.total } }
}

/// The listening socket, registered on the first loop; hands accepted sockets to the loops round
/// robin. Mutable state is owned by `home.loop`'s thread, hence `@unchecked Sendable`.
final class Acceptor: EventLoopChannel, @unchecked Sendable {
    /// Accepts per readiness event before yielding to the other descriptors.
    private static let acceptsPerEventMax = 64
    /// Back-off when out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM).
    private static let exhaustedBackoffNs: UInt64 = 100_000_000

    private let fd: Int32
    private let core: ServerCore
    private let home: ServerLoop
    private let loops: [ServerLoop]
    private var token: UInt64 = 0
    private var nextLoop = 0
    private var closed = false

    init(fd: Int32, core: ServerCore, home: ServerLoop, loops: [ServerLoop]) {
        self.fd = fd
        self.core = core
        self.home = home
        self.loops = loops
    }

    func start() throws(SystemError) {
        token = try home.loop.register(fd: fd, events: EPOLLIN.rawValue, channel: self)
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<Self.acceptsPerEventMax {
            if closed { return }
            do throws(SystemError) {
                guard let (socket, peer) = try Socket.accept(listener: fd) else { return }
                admit(socket, peer: peer)
            } catch {
                switch error.errno {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    core.report(.descriptorsExhausted)
                    backOff()
                    return
                default:
                    continue  // ECONNABORTED, EPROTO, EPERM…: that connection only
                }
            }
        }
    }

    /// Stops watching the listener for a while so a full descriptor table does not spin the loop.
    private func backOff() {
        do throws(SystemError) {
            try home.loop.modify(fd: fd, token: token, events: 0)
        } catch {
            return
        }
        home.loop.scheduleTimer(afterNs: Self.exhaustedBackoffNs) { [self] in
            if closed { return }
            try? home.loop.modify(fd: fd, token: token, events: EPOLLIN.rawValue)
        }
    }

    private func admit(_ socket: Int32, peer: SocketAddress) {
        if core.stopping.load(ordering: .acquiring) {
            _ = Glibc.close(socket)
            return
        }
        guard core.limiter.tryAcquire(ip: peer.host) else {
            // Accepted, then closed at once: the client sees a clean EOF, like Kafka's limits.
            // Counted first, so whoever sees the EOF also sees the count.
            core.rejectedConnections.add(1, ordering: .relaxed)
            _ = Glibc.close(socket)
            return
        }
        let id = ConnectionID(rawValue: core.nextConnectionID.add(1, ordering: .relaxed).newValue)
        let context = ConnectionContext(id: id, peer: peer, listener: core.configuration.listenerName)
        let target = loops[nextLoop]
        nextLoop = (nextLoop + 1) % loops.count
        if target === home {
            target.add(socket: socket, context: context)
        } else if !target.loop.execute({ target.add(socket: socket, context: context) }) {
            _ = Glibc.close(socket)
            core.limiter.release(ip: peer.host)
        }
    }

    /// Closes the listening socket (shutdown, or the loop stopping). Idempotent.
    func close() {
        if closed { return }
        closed = true
        home.loop.deregister(fd: fd, token: token)
        _ = Glibc.close(fd)
    }

    func loopWillClose() {
        close()
    }
}

/// One server's share of one event loop: its connections, the idle sweep and the scratch buffers
/// every connection on the loop reuses. Mutable state is owned by `loop`'s thread, hence
/// `@unchecked Sendable`.
final class ServerLoop: @unchecked Sendable {
    /// Byte chunks gathered into one `writev`.
    static let iovecsMax = 64
    /// One `read` fills at most this much.
    static let readBufferBytes = 128 << 10

    let loop: EventLoop
    let core: ServerCore
    /// Scratch for `read`; framed bytes are copied out before the next read.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Scratch `iovec` array for `writev`.
    let iovecs: UnsafeMutablePointer<iovec>
    /// Scratch for TLS plaintext: decrypted requests, file parts read before encryption.
    let plaintextBuffer: UnsafeMutableRawBufferPointer
    static let plaintextBufferBytes = 64 << 10

    private var connections: [ConnectionID: Connection] = [:]
    private var sweepScheduled = false
    private var draining = false
    private let idleNs: UInt64
    private let readTimeoutNs: UInt64
    private let sweepIntervalNs: UInt64

    init(loop: EventLoop, core: ServerCore) {
        self.loop = loop
        self.core = core
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferBytes, alignment: 16)
        iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: Self.iovecsMax)
        plaintextBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: core.configuration.tls == nil ? 0 : Self.plaintextBufferBytes, alignment: 16)
        idleNs = core.configuration.idleTimeout.nanosecondsClamped
        readTimeoutNs = core.configuration.requestReadTimeout.nanosecondsClamped
        // Idle and slow connections close within their timeout + one sweep interval (1/20 of the
        // shorter timeout, 5 ms to 1 s); a connection waiting for request-byte room is retried as often.
        let handshakeNs = core.configuration.tls == nil ? 0 : core.configuration.tlsHandshakeTimeout.nanosecondsClamped
        let shortest: UInt64 = [idleNs, readTimeoutNs, handshakeNs].filter { $0 > 0 }.min() ?? 20_000_000_000
        sweepIntervalNs = min(max(shortest / 20, 5_000_000), 1_000_000_000)
    }

    deinit {
        readBuffer.deallocate()
        iovecs.deallocate()
        plaintextBuffer.deallocate()
    }

    /// Starts serving an accepted socket on this loop (loop thread).
    func add(socket: Int32, context: ConnectionContext) {
        if loop.isClosing || core.stopping.load(ordering: .acquiring) {
            _ = Glibc.close(socket)
            core.limiter.release(ip: context.peer.host)
            return
        }
        // Responses are whole frames written at once: do not let Nagle hold their tails back.
        try? Socket.setOption(socket, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        var session: TLSStream?
        if let tlsContext = core.tls.withLock({ $0 }) {
            do throws(TLSError) {
                session = try TLSStream(context: tlsContext)
            } catch {
                core.tlsFailures.add(1, ordering: .relaxed)
                _ = Glibc.close(socket)
                core.limiter.release(ip: context.peer.host)
                return
            }
        }
        let connection = Connection(fd: socket, context: context, serverLoop: self, core: core, tls: session)
        guard connection.start() else {
            core.limiter.release(ip: context.peer.host)
            return
        }
        connections[context.id] = connection
        if draining { connection.stopReading() }
        scheduleSweep()
    }

    /// Called by a connection once it has closed (loop thread).
    func connectionClosed(_ connection: Connection) {
        connections[connection.context.id] = nil
        core.limiter.release(ip: connection.context.peer.host)
        core.onClose?(connection.context)
    }

    /// See `FrameServer.closeConnection` (loop thread).
    func closeWhenFlushed(_ id: ConnectionID) {
        connections[id]?.closeWhenFlushed()
    }

    /// See `FrameServer.liftFrameLimit` (loop thread).
    func liftFrameLimit(_ id: ConnectionID) {
        connections[id]?.liftFrameLimit()
    }

    /// Shutdown drain: no connection reads another request (loop thread).
    func drain() {
        draining = true
        for connection in connections.values { connection.stopReading() }
    }

    private func scheduleSweep() {
        if sweepScheduled || connections.isEmpty { return }
        sweepScheduled = true
        loop.scheduleTimer(afterNs: sweepIntervalNs) { [self] in
            sweepScheduled = false
            sweepIdle()
            scheduleSweep()
        }
    }

    /// Closes idle connections and ones that stalled in the middle of a frame; lets connections
    /// waiting for request-byte room try again.
    private func sweepIdle() {
        let now = monotonicNanoseconds()
        var idle: [Connection] = []
        var slow: [Connection] = []
        var waiting: [Connection] = []
        var handshakeExpired: [Connection] = []
        for connection in connections.values {
            if let deadline = connection.handshakeDeadlineNs, now >= deadline {
                handshakeExpired.append(connection)
            } else if connection.isWaitingForRoom {
                waiting.append(connection)
            } else if readTimeoutNs > 0, connection.isReadingAFrame, let started = connection.frameStartedNs, now &- started >= readTimeoutNs {
                slow.append(connection)
            } else if idleNs > 0 && !connection.awaitingHandler && now &- connection.lastActivityNs >= idleNs {
                idle.append(connection)
            }
        }
        for connection in idle { connection.close() }
        core.slowReadsClosed.add(slow.count, ordering: .relaxed)
        for connection in slow { connection.close() }
        for connection in waiting { connection.retryWaitingFrame() }
        core.tlsFailures.add(handshakeExpired.count, ordering: .relaxed)
        for connection in handshakeExpired { connection.close() }
    }
}
