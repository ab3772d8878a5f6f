import SluiceCrypto
import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceMeta
import SluiceWire
import Synchronization

/// One broker node: the network server, the request handlers and the partitions they serve. A
/// node is always a member of a cluster (of one when `controller.quorum.voters` is empty): every
/// partition is a Raft group and every write takes the same path whatever the cluster's size.
///
/// Threads: event loops (SluiceIO) read frames and hand them to a per-connection `SerialQueue`
/// on the `WorkerPool`; handlers run there and complete their `ResponseSlot` at once or later
/// (from a `DelayedOperations` completion, or a Raft group's commit). `Timers` drives the
/// periodic work (group sessions, retention, heartbeats).
public final class KafkaBroker: Sendable {
    public let config: BrokerConfig
    public let replicas: ReplicaManager
    let pool: WorkerPool
    let delayed: DelayedOperations
    /// Periodic work: group sessions, retention, heartbeats, forwarded-request retries.
    let timers = Timers()
    let groups: GroupCoordinator
    /// This node's part in its cluster: Raft groups, controller, inter-node transport.
    let cluster: ClusterNode
    /// The cluster's id, made once and kept in the data directory.
    let clusterID: String
    /// Counters and the gauges `/metrics` shows.
    let metrics: BrokerMetrics
    /// The SASL exchange of each connection of a SASL_PLAINTEXT or SASL_SSL listener (nil when
    /// no listener uses SASL).
    let sasl: SaslAuthenticator?
    /// ACL checks (everything allowed unless `authorizer.class.name` is set).
    let authorizer: Authorizer
    /// Client quota measurements (nothing is measured while no quota is configured).
    let quotas: QuotaEnforcer
    private let connections = Mutex<[ConnectionID: SerialQueue]>([:])
    /// One server per client listener, by listener name.
    private let servers = Mutex<[String: FrameServer]>([:])
    private let operatorServer = Mutex<HTTPServer?>(nil)
    private let stopped = Atomic<Bool>(false)
    private let producerIDs = Mutex<(next: Int64, end: Int64)>((0, 0))
    /// This process's claim on `log.dirs`, held until it exits.
    private let dataDirectoryLock: DirectoryLock
    /// A data directory from a single-node sluiced whose topics and offsets still have to be
    /// re-created through the controller (see `SingleNodeUpgrade`).
    private let singleNodeImportPending: Bool
    /// The broker's own start, for log lines.
    let startedMillis = currentTimeMillis()

    public init(config: BrokerConfig, onFatal: @escaping @Sendable (String) -> Void = { message in
        Diagnostics.error("fatal: \(message); stopping so no write is acknowledged that the disk may have lost")
        exit(70)
    }) throws {
        self.config = config
        try FileSystem.createDirectories(config.logDirectory)
        dataDirectoryLock = try DirectoryLock(directory: config.logDirectory)
        try Self.claimNodeIdentity(config.logDirectory, nodeID: config.nodeID)
        singleNodeImportPending = try SingleNodeUpgrade.setAside(config.logDirectory, alone: !config.hasPeers)
        let metadata = try MetadataStore(path: config.logDirectory + "/sluice-meta.db")
        replicas = try ReplicaManager(config: config, metadata: metadata)
        clusterID = try Self.loadClusterID(config.logDirectory, configured: config.clusterID, voters: config.controllerQuorumVoters)
        var groupSettings = GroupCoordinator.Settings()
        groupSettings.minSessionTimeoutMillis = config.groupMinSessionTimeoutMillis
        groupSettings.maxSessionTimeoutMillis = config.groupMaxSessionTimeoutMillis
        groupSettings.initialRebalanceDelayMillis = config.groupInitialRebalanceDelayMillis
        groupSettings.offsetsRetentionMillis = config.offsetsRetentionMinutes * 60_000
        groupSettings.maxGroupSize = config.groupMaxSize
        // One store for both: the cluster's offsets machines stage changes in it that reads
        // (the coordinator's) must see before they reach SQLite.
        let offsetStore = try OffsetStore(database: metadata.database)
        groups = try GroupCoordinator(settings: groupSettings, offsets: offsetStore, now: { currentTimeMillis() })
        pool = WorkerPool(threads: config.ioThreads)
        let delayed = DelayedOperations(pool: pool)
        self.delayed = delayed
        let metrics = BrokerMetrics()
        self.metrics = metrics
        sasl = config.anyListenerUsesSASL ? SaslAuthenticator(mechanisms: config.saslMechanisms) { [metadata] user, mechanism in
            (try? metadata.scramCredential(user: user, mechanism: mechanism.rawValue)) ?? nil
        } : nil
        let groups = self.groups
        let coordinatorOf = Mutex<ClusterNode?>(nil)
        let node = try ClusterNode(config: config, metadata: metadata, offsetStore: offsetStore, replicas: replicas, clusterID: clusterID,
                                   onHighWatermark: { tp in delayed.notify(tp) },
                                   onControllerLeadership: { _ in },
                                   onOffsetsLeadershipLost: { tp in
                                       guard let node = coordinatorOf.withLock({ $0 }) else { return }
                                       groups.forgetMembers { node.coordinatorPartition($0) == tp }
                                   },
                                   onOffsetsCoordinating: { tp, since in
                                       guard let node = coordinatorOf.withLock({ $0 }) else { return }
                                       groups.adoptStoredGroups(where: { node.coordinatorPartition($0) == tp }, coordinatingSince: since)
                                   },
                                   onFatal: onFatal)
        coordinatorOf.withLock { $0 = node }
        cluster = node
        authorizer = Authorizer(enabled: config.authorizerEnabled, superUsers: config.superUsers,
                                allowIfNoAcl: config.allowEveryoneIfNoAclFound, entries: { node.aclIndex })
        quotas = QuotaEnforcer(configured: { node.clientQuotas })
        node.host.fsyncObserved = { metrics.fsyncSeconds.observe($0) }
        replicas.useCluster(ReplicaManager.ClusterHooks(
            isController: { node.isControllerLeader },
            commit: { commands, done in node.propose(commands, done: done) },
            place: { count, first, rf in node.assignReplicas(count: count, firstPartition: first, replicationFactor: rf) },
            liveBrokers: { node.brokers.filter { !$0.fenced }.count },
            replicaCounts: { node.placements.reduce(into: [:]) { counts, record in for id in record.holders { counts[id, default: 0] += 1 } } }))
        groups.replicateOffsets(through: { command, done in node.commitOffsets(command, done: done) },
                                coordinates: { group in node.isCoordinator(for: group) })
        metrics.observe(self)
        cluster.forwarder.setExecutor { [weak self] request, caller, done in
            guard let self else { return done(.notController) }
            executeAsController(request, caller: caller, done: done)
        }
    }

    /// The server of a client listener, once started.
    func clientServer(for listener: String) -> FrameServer? { servers.withLock { $0[listener] } }

    /// Every client listener's server, once started.
    var clientServers: [FrameServer] { servers.withLock { Array($0.values) } }

    /// The port the first client listener is bound to (after `start`).
    public var port: UInt16 { port(of: config.clientListenerName) ?? 0 }

    /// The port a client listener is bound to (after `start`).
    public func port(of listener: String) -> UInt16? { servers.withLock { $0[listener]?.port } }

    /// Binds the listener and starts serving. The node first joins its cluster: the client
    /// listener opens only once the applied metadata registers this node and the controller
    /// leader (so Metadata names the controller among the registered brokers, and a CreateTopics
    /// sent the moment the port accepts sees them), or after `registrationWaitMillis`, which is logged.
    /// `keepWaiting` is asked while waiting for registration: false (a stop signal came) ends the wait.
    public func start(keepWaiting: () -> Bool = { true }) throws {
        try cluster.start(timers: timers)
        waitUntilRegistered(cluster, keepWaiting: keepWaiting)
        if singleNodeImportPending {
            try SingleNodeUpgrade.importTopicsAndOffsets(config.logDirectory, into: self, keepWaiting: keepWaiting)
        }
        try startClientListeners()
        bootstrapScramUsers()
        try startOperatorEndpoints()
        timers.every(millis: 100) { [groups] in groups.tick() }
        timers.every(millis: 30_000) { [quotas] in quotas.expire() }
        timers.every(millis: config.retentionCheckIntervalMillis) { [cluster] in cluster.applyRetention() }
    }

    /// One server per client listener. They share the connection limits (`max.connections`,
    /// `max.connections.per.ip` count every listener's connections) and split
    /// `queued.max.request.bytes` evenly; connection ids come from disjoint ranges, so per-connection
    /// state (request queues, SASL sessions) never mixes two listeners' connections.
    private func startClientListeners() throws {
        let limiter = ConnectionLimiter(total: config.maxConnections, perIP: config.maxConnectionsPerIP)
        let tls = try config.makeTLSContext()
        for (index, listener) in config.clientListeners.enumerated() {
            var configuration = FrameServer.Configuration()
            configuration.label = config.clientListeners.count == 1 ? "sluice-client" : "sluice-\(listener.name.lowercased())"
            configuration.listenerName = listener.name
            configuration.firstConnectionID = UInt64(index) << 48
            configuration.sharedLimiter = limiter
            configuration.host = listener.host
            configuration.port = listener.port
            configuration.eventLoopCount = config.networkThreads
            configuration.maxRequestBytes = config.socketRequestMaxBytes
            configuration.idleTimeout = .milliseconds(config.connectionsMaxIdleMillis)
            configuration.maxQueuedRequestBytes = config.queuedMaxRequestBytes / config.clientListeners.count
            configuration.requestReadTimeout = .milliseconds(config.requestReadTimeoutMillis)
            configuration.onPressure = { pressure in Diagnostics.warn("client listener \(listener.name): \(pressure.explanation)") }
            configuration.tls = config.usesTLS(listener.name) ? tls : nil
            if config.usesSASL(listener.name) { configuration.unauthenticatedFrameBytesMax = config.saslMaxReceiveBytes }
            configuration.tlsHandshakeTimeout = .milliseconds(config.tls.handshakeTimeoutMillis)
            let frameServer = try FrameServer(configuration: configuration, handler: { [self] connection, payload, slot in
                let arrived = monotonicNanos()
                queue(for: connection.id).submit { [self] in handle(payload, connection: connection, slot: slot, arrivedNanos: arrived) }
            }, onConnectionClosed: { [self] connection in
                let queue = connections.withLock { $0.removeValue(forKey: connection.id) }
                guard let sasl else { return }
                // Behind the connection's own requests: one still queued must not bring its session back.
                if let queue { queue.submit { sasl.forget(connection.id) } } else { sasl.forget(connection.id) }
            })
            servers.withLock { $0[listener.name] = frameServer }
        }
    }

    /// SIGHUP: loads the TLS listeners' certificate and key files again; new connections use
    /// them, established ones keep their sessions. A file that does not load leaves the previous
    /// certificates in place, and says why.
    public func reloadCertificates() {
        let tlsServers = config.clientListeners.filter { config.usesTLS($0.name) }.compactMap { clientServer(for: $0.name) }
        do {
            guard let context = try config.makeTLSContext(), !tlsServers.isEmpty else {
                Diagnostics.info("SIGHUP: the client listeners are clear text; nothing to reload")
                return
            }
            for server in tlsServers { server.replaceTLSContext(context) }
            Diagnostics.info("SIGHUP: TLS certificates reloaded; new connections use them")
        } catch {
            Diagnostics.error("SIGHUP: TLS certificates not reloaded, the previous ones stay in use: \(error.description)")
        }
    }

    /// The operators' HTTP listener, when `admin.listeners` names one.
    private func startOperatorEndpoints() throws {
        guard let port = config.adminListenPort else { return }
        var configuration = HTTPServer.Configuration()
        configuration.host = config.adminListenHost ?? "127.0.0.1"
        configuration.port = port
        let http = try HTTPServer(configuration: configuration) { [weak self] request in
            self?.operatorResponse(request) ?? HTTPResponse(status: 503, text: "stopping\n")
        }
        operatorServer.withLock { $0 = http }
        Diagnostics.info("operator endpoints on http://\(configuration.host):\(http.port) (/metrics, /health, /ready)")
    }

    /// The port of the operators' HTTP listener, once started.
    public var operatorPort: UInt16? { operatorServer.withLock { $0?.port } }

    /// Start-up only (the main thread, before any client is served): waits for the applied
    /// metadata to register this node and the controller leader, woken by each change of the
    /// node's view. A node that registered before the controller did would otherwise answer
    /// Metadata naming a controller missing from its broker list (librdkafka's AdminClient then
    /// waited out its whole request timeout for one in about 70 fresh three-node starts). A
    /// cluster of one also waits until it leads its partitions again (a few milliseconds: it is
    /// their only voter), so a client's first request after a restart finds them served.
    private func waitUntilRegistered(_ cluster: ClusterNode, keepWaiting: () -> Bool) {
        let deadline = monotonicNanos() + UInt64(config.registrationWaitMillis) * 1_000_000
        let alone = !config.hasPeers
        while true {
            let seen = cluster.currentViewGeneration
            if cluster.isRegistered && cluster.controllerIsRegistered && (!alone || cluster.leadsEveryLocalPartition) { break }
            guard keepWaiting() else { break }
            if monotonicNanos() >= deadline {
                let missing = !cluster.isRegistered ? "this node is not registered with the controller"
                    : !cluster.controllerIsRegistered ? "the controller leader is not registered yet" : "this node does not lead its partitions yet"
                Diagnostics.warn("\(missing) after \(config.registrationWaitMillis) ms (no quorum yet?); serving clients anyway")
                return
            }
            // Bounded, so a stop signal (keepWaiting) is seen within 100 ms.
            cluster.awaitViewChange(since: seen, timeoutNanos: min(100_000_000, nanosElapsed(since: monotonicNanos(), now: deadline)))
        }
        Diagnostics.info("registered with the controller (node \(cluster.controllerLeader.map { "\($0)" } ?? "unknown")); serving clients")
    }

    /// Where clients of `listener` are told to connect: its advertised address, or the bound
    /// port; nil for a name that is not one of this node's client listeners.
    func advertisedAddress(of listener: String) -> BrokerConfig.AdvertisedAddress? {
        guard let configured = config.clientListeners.first(where: { $0.name == listener }) else { return nil }
        return config.advertisedAddress(of: configured, boundPort: port(of: listener) ?? 0)
    }


    func currentMillis() -> Int64 { currentTimeMillis() }

    /// The cluster id is kept in the data directory. Nodes of one cluster must agree on it (the
    /// transport drops frames from another cluster), so a clustered node derives a fresh one from
    /// `controller.quorum.voters`, which every member is configured with.
    /// The cluster this data directory belongs to: the id kept in it; at the first start,
    /// `cluster.id` if set, else one made from the voters line (the same on every node that starts
    /// together with it), else a random one. A `cluster.id` that differs from the kept one refuses
    /// to start: the directory holds another cluster's data.
    private static func loadClusterID(_ directory: String, configured: String?, voters: [BrokerConfig.QuorumVoter]) throws -> String {
        let path = directory + "/cluster.id"
        if let bytes = try FileSystem.readSmallFile(path), let text = String(validating: bytes, as: UTF8.self),
           !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let kept = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let configured, configured != kept {
                throw BrokerConfig.ConfigError(description: "cluster.id=\(configured) but \(path) holds cluster \(kept): this data directory belongs to another cluster; use an empty log.dirs to join \(configured)")
            }
            return kept
        }
        var id = configured ?? "sluice-" + UUID().uuidString.lowercased().prefix(18)
        if configured == nil, !voters.isEmpty {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in voters.map({ "\($0.nodeID)@\($0.host):\($0.port)" }).joined(separator: ",").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            id = "sluice-" + String(hash, radix: 16)
        }
        try FileSystem.writeAtomically(Array((id + "\n").utf8), to: path)
        return String(id)
    }

    /// A data directory belongs to one node id, recorded at its first start: a node started with
    /// another id on it would serve that node's replicas as its own.
    private static func claimNodeIdentity(_ directory: String, nodeID: Int32) throws {
        let path = directory + "/node.id"
        if let bytes = try FileSystem.readSmallFile(path, maxBytes: 64) {
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard Int32(text) == nodeID else {
                throw BrokerConfig.ConfigError(description: "log.dirs \(directory) belongs to node \(text) (\(path)), not to node.id \(nodeID); give each node its own directory")
            }
            return
        }
        try FileSystem.writeAtomically(Array("\(nodeID)\n".utf8), to: path)
    }

    private func queue(for id: ConnectionID) -> SerialQueue {
        connections.withLock { queues in
            if let queue = queues[id] { return queue }
            let queue = SerialQueue(pool: pool)
            queues[id] = queue
            return queue
        }
    }

    /// Stops serving and closes every log cleanly.
    public func shutdown() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let frameServers = clientServers
        operatorServer.withLock { $0 }?.shutdown()
        timers.stop()
        // Leaderships handed over, then every waiting proposal and parked fetch answered (an
        // error the client retries elsewhere, or what there is to read), then the connections
        // drain those answers within the grace period.
        cluster.stop()
        delayed.stop()
        // Side by side: every listener stops accepting and drains within the one grace period.
        DispatchQueue.concurrentPerform(iterations: frameServers.count) { frameServers[$0].shutdown(gracePeriod: .seconds(2)) }
        servers.withLock { $0 = [:] }
        replicas.closeAll()
        pool.stop()
    }

    /// Producer ids are unique in the cluster without a controller round trip: the node id sits in
    /// the high bits and a block counter, fsynced before use, in the low ones.
    private func allocateNodeLocalProducerIDs(count: Int64) throws -> Int64 {
        let path = config.logDirectory + "/producer-id-block"
        var next: Int64 = 0
        if let bytes = try FileSystem.readSmallFile(path), let text = String(validating: bytes, as: UTF8.self),
           let stored = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            next = stored
        }
        try FileSystem.writeAtomically(Array("\(next + count)\n".utf8), to: path)
        return (Int64(config.nodeID) + 1) << 40 | next
    }

    /// The replication factor of a topic created without one.
    var effectiveDefaultReplicationFactor: Int16 {
        if let configured = config.defaultReplicationFactor { return configured }
        return Int16(max(1, min(3, cluster.brokers.filter { !$0.fenced }.count)))
    }

    /// The next producer id, from blocks of 1,000 reserved in this node's `producer-id-block` file
    /// (`allocateNodeLocalProducerIDs`), never from the metadata store.
    func nextProducerID() throws -> Int64 {
        try producerIDs.withLock { block in
            if block.next >= block.end {
                let first = try allocateNodeLocalProducerIDs(count: 1000)
                block = (first, first + 1000)
            }
            defer { block.next += 1 }
            return block.next
        }
    }
}
