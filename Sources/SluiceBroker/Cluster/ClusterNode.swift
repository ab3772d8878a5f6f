import Foundation
import SluiceCore
import SluiceIO
import SluiceMeta
import SluiceRaft
import SluiceWire
import Synchronization

/// This node's part in its cluster (of one node or more): the Raft groups (controller + local
/// partition replicas), the inter-node transport, heartbeats to the controller, and — while this
/// node leads the controller quorum — registering, fencing and placing brokers and partitions.
public final class ClusterNode: Sendable {
    let config: BrokerConfig
    let nodeID: NodeID
    let metadata: MetadataStore
    let replicas: ReplicaManager
    let host: RaftHost
    let transport: PeerTransport
    /// Takes controller-bound client requests to the controller leader, wherever they arrive.
    let forwarder: ControllerForwarder
    let clusterID: String
    let incarnation = currentTimeMillis()
    /// Committed offsets of the groups whose offsets partitions have a replica here.
    let offsetStore: OffsetStore
    /// Writes what the offsets partitions' machines applied to `offsetStore` out to SQLite.
    private let offsetsWriter = OffsetsWriter()
    let creatingOffsetsTopic = Atomic<Bool>(false)
    let scrubber: Scrubber
    private let stopped = Atomic<Bool>(false)
    /// Leadership changes seen (controller and partitions), for metrics.
    let leaderChanges = Atomic<Int>(0)
    /// Counts changes of this node's view (applied metadata, leaderships), and wakes the threads
    /// that wait for one (start-up and shutdown; see `awaitViewChange`).
    private let viewGeneration = Atomic<UInt64>(0)
    private let viewChange = NSCondition()
    /// Controller-leader bookkeeping (Raft thread only, but kept behind a lock for clarity).
    private let liveness = Mutex<[Int32: UInt64]>([:])
    /// When this leader last looked for silent brokers, to notice that it was itself stalled.
    private let lastFencingCheckNanos = Mutex<UInt64>(0)
    private let brokersCache = Mutex<[BrokerRecord]>([])
    /// Partition leadership lines waiting for the next heartbeat round, which logs them.
    private let leadershipLines = Mutex<[String]>([])
    /// Nodes whose invalid heartbeats were logged (once each).
    private let loggedHeartbeatProblems = Mutex<Set<String>>([])
    private let placementsCache = Mutex<[TopicPartition: PartitionRecord]>([:])
    /// The access control entries, as of the last applied controller entry.
    private let aclsCache = Mutex(AclIndex())
    /// The client quotas, as of the last applied controller entry.
    private let quotasCache = Mutex<[ClientQuotaEntity: [String: Double]]>([:])
    /// Called with a partition whose high watermark moved (wakes parked fetches and produces).
    let onHighWatermark: @Sendable (TopicPartition) -> Void
    /// Called when this node stops or starts leading the controller.
    let onControllerLeadership: @Sendable (Bool) -> Void
    /// Called when this node stops leading an offsets partition (its groups' coordinator moves).
    let onOffsetsLeadershipLost: @Sendable (TopicPartition) -> Void
    /// This node now coordinates the groups of an offsets partition, with all of it applied.
    let onOffsetsCoordinating: @Sendable (TopicPartition, Int64) -> Void

    init(config: BrokerConfig, metadata: MetadataStore, offsetStore: OffsetStore, replicas: ReplicaManager, clusterID: String,
         onHighWatermark: @escaping @Sendable (TopicPartition) -> Void,
         onControllerLeadership: @escaping @Sendable (Bool) -> Void,
         onOffsetsLeadershipLost: @escaping @Sendable (TopicPartition) -> Void,
         onOffsetsCoordinating: @escaping @Sendable (TopicPartition, Int64) -> Void,
         onFatal: @escaping @Sendable (String) -> Void) throws {
        self.config = config
        nodeID = NodeID(config.nodeID)
        self.metadata = metadata
        self.replicas = replicas
        self.clusterID = clusterID
        self.onHighWatermark = onHighWatermark
        self.onControllerLeadership = onControllerLeadership
        self.onOffsetsLeadershipLost = onOffsetsLeadershipLost
        self.onOffsetsCoordinating = onOffsetsCoordinating
        self.offsetStore = offsetStore
        let notifyHighWatermark = onHighWatermark
        let scrubberBox = Mutex<Scrubber?>(nil)
        let box = Mutex<PeerTransport?>(nil)
        let hostBox = Mutex<RaftHost?>(nil)
        let selfBox = Mutex<ClusterNode?>(nil)
        let forwarderBox = Mutex<ControllerForwarder?>(nil)
        let raftHost = RaftHost(
            nodeID: NodeID(config.nodeID), options: Self.raftOptions(config), tickMillis: config.raftTickMillis,
            send: { to, messages in box.withLock { $0 }?.send(messages, to: to) },
            leadershipChanged: { group, view in selfBox.withLock { $0 }?.leadershipChanged(group, view) },
            highWatermarkMoved: { partition in notifyHighWatermark(partition.topicPartition) },
            replicaDamaged: { partition in scrubberBox.withLock { $0 }?.enqueue([partition]) },
            targetReplicas: { tp in selfBox.withLock { $0 }?.placement(tp)?.targetReplicas },
            onFatal: onFatal)
        host = raftHost
        // Off the Raft thread: the coordinator reads the store (SQLite) to take in the groups.
        raftHost.machineCaughtUp = { [offsetsWriter, onOffsetsCoordinating] tp in
            guard tp.topic == Self.offsetsTopic else { return }
            let since = currentTimeMillis()
            offsetsWriter.submit { onOffsetsCoordinating(tp, since) }
        }
        raftHost.minInsyncReplicas = config.minInsyncReplicas
        raftHost.replicaLagMaxNanos = UInt64(config.replicaLagTimeMaxMillis) * 1_000_000
        raftHost.controllerCompactionEntries = config.controllerCompactionEntries
        let scrub = Scrubber(onDamage: { partition, offset in
            Diagnostics.error("replica \(partition.topicPartition): batch at offset \(offset) fails its CRC; repairing from the leader")
            raftHost.perform { raftHost.repair(partition, from: offset) }
        })
        scrubber = scrub
        scrubberBox.withLock { $0 = scrub }
        hostBox.withLock { $0 = raftHost }
        transport = try PeerTransport(
            nodeID: nodeID, clusterID: clusterID, listenHost: config.interNodeHost ?? "127.0.0.1", listenPort: config.interNodePort,
            settings: try Self.peerSettings(config), secret: try Self.clusterSecret(config),
            onRaftMessages: { from, messages in hostBox.withLock { $0 }?.receive(from: from, messages) },
            onHeartbeat: { request in selfBox.withLock { $0 }?.heartbeatReceived(request) },
            onForward: { frame in forwarderBox.withLock { $0 }?.received(frame) })
        let forwarding = ControllerForwarder(nodeID: nodeID, clusterID: clusterID, transport: transport,
                                             controllerLeader: { raftHost.published.withLock { $0.controller.leader } })
        forwarder = forwarding
        forwarderBox.withLock { $0 = forwarding }
        box.withLock { $0 = transport }
        selfBox.withLock { $0 = self }
        for voter in config.controllerQuorumVoters where voter.nodeID != config.nodeID {
            transport.setPeer(NodeID(voter.nodeID), host: voter.host, port: voter.port)
        }
        try refreshCaches()
        for broker in brokersCache.withLock({ $0 }) where broker.nodeID != config.nodeID {
            transport.setPeer(NodeID(broker.nodeID), host: broker.interNodeHost, port: UInt16(clamping: broker.interNodePort))
        }
    }

    private static func raftOptions(_ config: BrokerConfig) -> RaftOptions {
        var options = RaftOptions()
        options.electionTimeoutTicks = Int(max(4, config.raftElectionTimeoutMillis / config.raftTickMillis))
        // A fresh partition's first record gets offset 0, as in Kafka: no no-op over an empty log.
        options.noopOverCommittedLog = false
        options.heartbeatIntervalTicks = max(1, options.electionTimeoutTicks / 5)
        return options
    }

    /// The shared secret inter-node connections prove, or none (`cluster.insecure=true`, warned).
    private static func clusterSecret(_ config: BrokerConfig) throws -> ClusterSecret? {
        let secret = try config.clusterSecretFile.map { path throws(BrokerConfig.ConfigError) in try ClusterSecret(file: path) }
        if secret == nil && config.hasPeers {
            Diagnostics.warn("cluster.insecure=true: inter-node connections are not authenticated; anyone who reaches port \(config.interNodePort ?? 0) can act as a node of this cluster")
        }
        return secret
    }

    private static func peerSettings(_ config: BrokerConfig) throws -> PeerTransport.Settings {
        var settings = PeerTransport.Settings()
        (settings.tlsServer, settings.tlsClient) = try config.makeInterNodeTLSContexts()
        return settings
    }

    /// Opens the controller group and every local replica's group, then starts the Raft thread;
    /// heartbeats and the forwarder's retries run on `timers`.
    func start(timers: Timers) throws {
        // The voters line is the quorum's first membership, taken by a node that starts a new
        // cluster. A node given `cluster.id` joins one that exists: it follows the quorum's log
        // (whose membership may have changed since that line was written) until an operator
        // makes it a voter. A store that exists keeps its membership and ignores the line (one
        // written before memberships were kept gets it from the line once, as it always did).
        let voters = config.quorumVoters.map { NodeID($0.nodeID) }
        var joining = false
        let store = try ControllerLogStore(path: config.logDirectory + "/controller-raft.db") { [config, nodeID] hasLog in
            if voters.contains(nodeID) && (config.clusterID == nil || hasLog) { return Configuration(voters: voters) }
            joining = config.clusterID != nil && !hasLog
            return .empty
        }
        if joining {
            Diagnostics.info("joining cluster \(clusterID) as an observer of its controller quorum (cluster.id is set): `sluice quorum add-voter \(nodeID)` makes this node a voter")
        }
        let placements = placementsCache.withLock { $0 }
        var opened: [(Partition, PartitionRaftStorage, Bool)] = []
        for topic in replicas.allTopics {
            for (index, partition) in topic.partitions {
                let tp = TopicPartition(topic: topic.record.name, partition: PartitionID(index))
                guard let placement = placements[tp] else { continue }
                let storage = try PartitionRaftStorage(log: partition.log, bootstrap: bootstrapConfiguration(placement))
                opened.append((partition, storage, placement.replicas.first == config.nodeID))
            }
        }
        let replicasToOpen = opened
        host.perform { [self] in
            host.startController(store: store, machine: ControllerStateMachine(
                metadata: metadata,
                applied: { [weak self] index, commands in self?.applyControllerEntry(index, commands) },
                installed: { [weak self] index, data in self?.installControllerSnapshot(index, data) }))
            Self.warnIfVotersLineDiffers(config, host.controller?.configuration)
            for (partition, storage, preferred) in replicasToOpen {
                host.addPartition(partition, storage: storage, preferredLeader: preferred, machine: stateMachine(for: partition.topicPartition))
            }
        }
        host.start()
        forwarder.start(timers: timers)
        scrubber.enqueue(opened.map { $0.0 })
        timers.every(millis: config.brokerHeartbeatIntervalMillis) { [weak self] in self?.heartbeatRound() }
        // Applies flush what they staged once it is due; this writes what the last ones before a
        // quiet spell left, so a restart replays at most ~100 ms of the offsets logs.
        timers.every(millis: 100) { [offsetStore, offsetsWriter] in
            if offsetStore.isFlushDue() { offsetsWriter.flushSoon(offsetStore) }
        }
    }

    /// The voters line names the quorum a node first looks for; the controller log decides who
    /// votes. When they differ (after `sluice quorum add-voter` or `remove-voter`), say so at start.
    private static func warnIfVotersLineDiffers(_ config: BrokerConfig, _ membership: Configuration?) {
        guard config.hasPeers, let membership, !membership.voters.isEmpty else { return }
        let line = Set(config.controllerQuorumVoters.map { NodeID($0.nodeID) })
        guard line != Set(membership.voters) else { return }
        Diagnostics.warn("controller.quorum.voters names nodes \(line.sorted().map(\.description).joined(separator: ",")) but the controller log's voters are \(membership.voters.map(\.description).joined(separator: ",")); the log decides who votes (`sluice quorum describe`); write the log's voters into the line")
    }

    func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        // Graceful drain: hand every leadership over, tell the controller, give both a moment
        // (a cluster of one has nobody to hand them to).
        host.perform { [host] in host.transferAllLeaderships() }
        sendHeartbeat(shuttingDown: true)
        let deadline = monotonicNanos() + (config.hasPeers ? 2_000_000_000 : 0)
        while monotonicNanos() < deadline {
            let seen = currentViewGeneration
            let leading = host.published.withLock { $0.partitions.values.contains { $0.isLocalLeader } }
            if !leading { break }
            awaitViewChange(since: seen, timeoutNanos: nanosElapsed(since: monotonicNanos(), now: deadline))
        }
        sendHeartbeat(shuttingDown: true)
        forwarder.stop()
        scrubber.stop()
        host.stop()
        writeOffsetsOut()
        transport.stop()
    }

    /// Stopping: what the offsets machines applied is written to SQLite before the store closes
    /// (bounded: a stuck disk must not hold the stop forever; the offsets partitions' logs
    /// replay whatever is not written at the next start).
    private func writeOffsetsOut() {
        let written = DispatchSemaphore(value: 0)
        offsetsWriter.submit { [offsetStore] in
            do { try offsetStore.flush() } catch { Diagnostics.warn("stopping with offsets not written to SQLite (\(error)): the offsets partitions' logs replay them at the next start") }
            written.signal()
        }
        if written.wait(timeout: .now() + 10) == .timedOut {
            Diagnostics.warn("stopping with offsets not written to SQLite yet: the offsets partitions' logs replay them at the next start")
        }
        offsetsWriter.stop()
    }

    // MARK: Views for request handlers

    /// The controller quorum's leader, if known.
    public var controllerLeader: NodeID? { host.published.withLock { $0.controller.leader } }
    public var isControllerLeader: Bool { host.published.withLock { $0.controller.isLocalLeader } }
    public func leadership(_ tp: TopicPartition) -> RaftHost.Leadership? { host.published.withLock { $0.partitions[tp] } }
    /// This node's replica of `tp` as Raft stores it (its epoch cache answers KIP-320 questions).
    public func replicaStorage(_ tp: TopicPartition) -> PartitionRaftStorage? { host.storages.withLock { $0[tp] } }
    public var brokers: [BrokerRecord] { brokersCache.withLock { $0 } }
    /// Every access control entry the controller log holds.
    var acls: [AclBinding] { aclsCache.withLock { $0.all } }
    /// The ACL entries arranged for authorization checks.
    var aclIndex: AclIndex { aclsCache.withLock { $0 } }
    /// Every configured client quota.
    var clientQuotas: [ClientQuotaEntity: [String: Double]] { quotasCache.withLock { $0 } }
    /// Whether the applied metadata has this node registered and unfenced.
    public var isRegistered: Bool { brokers.contains { $0.nodeID == config.nodeID && !$0.fenced } }
    /// Whether the applied metadata has the controller leader registered and unfenced, so that
    /// Metadata names the controller together with an address to reach it.
    var controllerIsRegistered: Bool {
        guard let leader = controllerLeader else { return false }
        return brokers.contains { $0.nodeID == leader.rawValue && !$0.fenced }
    }
    /// Whether this node leads every partition replica it holds (a cluster of one, once started).
    var leadsEveryLocalPartition: Bool { host.published.withLock { $0.partitions.values.allSatisfy(\.isLocalLeader) } }
    public func placement(_ tp: TopicPartition) -> PartitionRecord? { placementsCache.withLock { $0[tp] } }
    public var placements: [PartitionRecord] {
        placementsCache.withLock { $0.values.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) } }
    }

    /// The Raft membership a new local replica starts with: the placement's voters when it is one
    /// of them (a new group), empty when it joins through a reassignment (the leader adds it).
    private func bootstrapConfiguration(_ placement: PartitionRecord) -> Configuration {
        placement.replicas.contains(config.nodeID) ? Configuration(voters: placement.replicas.map { NodeID($0) }) : .empty
    }

    private func refreshCaches() throws {
        let brokers = try metadata.brokers()
        var placements: [TopicPartition: PartitionRecord] = [:]
        for record in try metadata.partitionRecords() {
            placements[TopicPartition(topic: record.topic, partition: PartitionID(record.partition))] = record
        }
        let acls = AclIndex(try metadata.acls())
        let quotas = try metadata.clientQuotas()
        brokersCache.withLock { $0 = brokers }
        placementsCache.withLock { $0 = placements }
        aclsCache.withLock { $0 = acls }
        quotasCache.withLock { $0 = quotas }
        noteViewChanged()
    }

    private func noteViewChanged() {
        viewChange.lock()
        viewGeneration.add(1, ordering: .releasing)
        viewChange.broadcast()
        viewChange.unlock()
    }

    /// The current view generation, to pass to `awaitViewChange(since:timeoutNanos:)`.
    var currentViewGeneration: UInt64 { viewGeneration.load(ordering: .acquiring) }

    /// Start-up and shutdown only: waits until the view changes after `seen` (metadata applied,
    /// a leadership moved) or `timeoutNanos` pass. Waiters bound each wait because some of what
    /// they look at changes without an event here (a coordinator catching up, a stop signal).
    func awaitViewChange(since seen: UInt64, timeoutNanos: UInt64) {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutNanos) / 1e9)
        viewChange.lock()
        while viewGeneration.load(ordering: .acquiring) == seen && viewChange.wait(until: deadline) {}
        viewChange.unlock()
    }

    /// Proposes controller commands; `done(true)` once applied on this node, `done(false)` if this
    /// node does not lead the controller or loses the lead first (CheckQuorum steps a leader cut
    /// off from its majority down within an election timeout, which fails what it had pending).
    /// Never blocks; `done` runs on the Raft thread (or, once this node is stopping, on the
    /// caller's) and must not block either.
    public func propose(_ commands: [ControllerCommand], done: @escaping @Sendable (Bool) -> Void) {
        host.perform({ [host] in host.proposeController(ControllerCommandCodec.encode(commands), done: done) }, ifStopped: { done(false) })
    }

    /// Proposes without waiting (heartbeat-driven bookkeeping).
    func proposeInBackground(_ commands: [ControllerCommand]) {
        propose(commands) { _ in }
    }

    /// Appends a producer's batches through the partition's Raft group.
    func produce(_ tp: TopicPartition, records: [UInt8], headers: [RecordBatchHeader], acks: Int16, timeoutMillis: Int64,
                 done: @escaping @Sendable (ProduceOutcome) -> Void) {
        host.perform({ [host] in
            host.proposeProduce(tp, records: records, headers: headers, acks: acks, timeoutMillis: timeoutMillis, done: done)
        }, ifStopped: { done(.failed(.notLeaderOrFollower, "this node is shutting down; retry at the partition's new leader")) })
    }

    /// Moves the log start of a partition this node leads (DeleteRecords): `done` gets the new
    /// low watermark, or nil if this node does not lead it. Only the leader's log start moves:
    /// followers keep older batches until their own retention. Never blocks.
    func deleteRecords(_ tp: TopicPartition, before offset: Int64, done: @escaping @Sendable (Int64?) -> Void) {
        host.perform({ [host] in done(host.deleteRecords(tp, before: offset)) }, ifStopped: { done(nil) })
    }

    /// Runs retention and time-based rolls on every local replica, on the Raft thread (a replica's
    /// log start may only move below what its group has applied).
    func applyRetention() {
        host.perform { [host] in host.applyRetention() }
    }

    // MARK: Applying the controller log (Raft thread)

    private func applyControllerEntry(_ index: LogIndex, _ commands: [ControllerCommand]) {
        do {
            guard try metadata.apply(commands, index: index.rawValue + 1) != nil else { return }
            try refreshCaches()
        } catch {
            Diagnostics.error("cannot apply controller entry \(index): \(error)")
            return
        }
        for command in commands {
            if case let .registerBroker(b) = command, b.nodeID != config.nodeID {
                transport.setPeer(NodeID(b.nodeID), host: b.interNodeHost, port: UInt16(clamping: b.interNodePort))
            }
        }
        let touchesTopics = commands.contains { command in
            switch command {
            case .metadata, .assignReplicas, .reassignPartition, .completeReassignment: return true
            default: return false
            }
        }
        guard touchesTopics else { return }
        reconcileReplicas(after: index)
    }

    /// Opens the local replicas the metadata now places here and drops the ones it took away.
    private func reconcileReplicas(after index: LogIndex) {
        do {
            let (opened, removed) = try replicas.reconcile()
            for partition in removed {
                host.removePartition(partition.topicPartition)
                replicas.destroy(partition)
            }
            let placed = opened.compactMap { partition in placement(partition.topicPartition).map { (partition, $0) } }
            for (partition, placement, storage) in openStorages(placed) {
                host.addPartition(partition, storage: storage, preferredLeader: placement.replicas.first == config.nodeID,
                                  machine: stateMachine(for: partition.topicPartition))
            }
        } catch {
            Diagnostics.error("cannot open replicas after controller entry \(index): \(error)")
        }
    }

    /// The Raft storage of each new replica, opened side by side (a new one writes its state
    /// file, fsynced); a replica whose storage cannot open is logged and left out, not the rest.
    private func openStorages(_ placed: [(Partition, PartitionRecord)]) -> [(Partition, PartitionRecord, PartitionRaftStorage)] {
        let bootstraps = placed.map { bootstrapConfiguration($0.1) }
        let storages = Mutex<[Int: PartitionRaftStorage]>([:])
        sideBySide(placed.count, name: "sluice-open") { position in
            let partition = placed[position].0
            do {
                let storage = try PartitionRaftStorage(log: partition.log, bootstrap: bootstraps[position])
                storages.withLock { $0[position] = storage }
            } catch {
                Diagnostics.error("partition \(partition.topicPartition) is offline: cannot open its Raft state: \(error)")
            }
        }
        let opened = storages.withLock { $0 }
        return placed.indices.compactMap { position in opened[position].map { (placed[position].0, placed[position].1, $0) } }
    }

    /// What a partition's committed entries drive beyond its log: the offset store, for the
    /// partitions of `__consumer_offsets`.
    private func stateMachine(for tp: TopicPartition) -> RaftStateMachine? {
        guard tp.topic == Self.offsetsTopic else { return nil }
        // What it needs, held strongly: a `carries` that answered false (this node gone) would
        // make a snapshot without groups, and a restore that drops them all.
        let (replicas, setting) = (replicas, config.offsetsTopicPartitions)
        return OffsetsStateMachine(partition: tp, store: offsetStore, writer: offsetsWriter, carries: { group in
            Self.offsetsPartition(of: group, partitions: Self.offsetsPartitionCount(replicas, setting: setting)) == tp
        })
    }

    /// A leader's snapshot replaces this node's controller state (it fell behind the leader's
    /// compacted log): restore the store, then bring peers and local replicas in line.
    private func installControllerSnapshot(_ index: LogIndex, _ data: [UInt8]) {
        do {
            try metadata.restore(from: try ControllerCommandCodec.decode(data), index: index.rawValue + 1)
            try refreshCaches()
            Diagnostics.info("controller state installed from a snapshot at \(index)")
        } catch {
            Diagnostics.error("cannot install the controller snapshot at \(index): \(error)")
            return
        }
        for broker in brokers where broker.nodeID != config.nodeID {
            transport.setPeer(NodeID(broker.nodeID), host: broker.interNodeHost, port: UInt16(clamping: broker.interNodePort))
        }
        reconcileReplicas(after: index)
    }

    private func leadershipChanged(_ group: RaftGroupID, _ view: RaftHost.Leadership) {
        leaderChanges.add(1, ordering: .relaxed)
        defer { noteViewChanged() }
        switch group {
        case .controller:
            Diagnostics.info("controller leader is now \(view.leader.map { "node \($0)" } ?? "unknown") (term \(view.term))")
            if view.isLocalLeader {
                // A new controller leader gives every registered broker a full session before fencing it.
                let now = monotonicNanos()
                liveness.withLock { seen in for broker in brokersCache.withLock({ $0 }) { seen[broker.nodeID] = now } }
            }
            onControllerLeadership(view.isLocalLeader)
        case .partition(let tp):
            // The coordinator rebuilds its groups from the store, which must hold what this node
            // committed as leader: the Raft thread applies this Ready's entries after this call,
            // so the rebuild is queued in its next turn, and runs on the offsets writer's thread.
            if tp.topic == Self.offsetsTopic && !view.isLocalLeader {
                host.perform { [offsetsWriter, onOffsetsLeadershipLost] in offsetsWriter.submit { onOffsetsLeadershipLost(tp) } }
            }
            if view.isLocalLeader { sendHeartbeat(shuttingDown: false) }
            let line = view.isLocalLeader ? "leading \(tp) in term \(view.term)"
                                          : "\(tp): leader is \(view.leader.map { "node \($0)" } ?? "unknown") in term \(view.term)"
            leadershipLines.withLock { $0.append(line) }
        }
    }

    // MARK: Heartbeats

    /// Partition leadership changes since the last heartbeat: a few are logged one per line, many
    /// (a start, a failover of hundreds of partitions) as one summary line with a sample.
    private func logLeadershipChanges() {
        let lines = leadershipLines.withLock { lines -> [String] in
            defer { lines.removeAll(keepingCapacity: true) }
            return lines
        }
        if lines.count <= 5 {
            for line in lines { Diagnostics.info(line) }
            return
        }
        let leading = lines.filter { $0.hasPrefix("leading ") }.count
        Diagnostics.info("\(lines.count) partition leadership changes (now leading \(leading) of them); first: \(lines.prefix(3).joined(separator: "; "))")
    }

    /// Every `broker.heartbeat.interval.ms`: tell the controller this node lives (and what it
    /// leads), log leadership changes, and, on the controller, fence brokers gone silent.
    private func heartbeatRound() {
        guard !stopped.load(ordering: .acquiring) else { return }
        sendHeartbeat(shuttingDown: false)
        logLeadershipChanges()
        if isControllerLeader { host.perform { [self] in fenceSilentBrokers() } }
    }

    /// Asks the controller to create topics a client wanted (auto.create.topics.enable); the
    /// client sees LEADER_NOT_AVAILABLE meanwhile and retries its Metadata request.
    func requestTopicCreation(_ names: [String]) {
        sendHeartbeat(shuttingDown: false, topicsToCreate: names)
    }

    private func sendHeartbeat(shuttingDown: Bool, topicsToCreate: [String] = []) {
        let (advertisedHost, advertisedPort) = config.advertised
        let led = host.published.withLock { state in
            state.partitions.compactMap { tp, view in view.isLocalLeader ? (tp, view) : nil }
        }
        let request = BrokerHeartbeatRequest(
            nodeId: config.nodeID, incarnation: incarnation, clusterId: clusterID, host: advertisedHost, port: Int32(advertisedPort),
            interNodeHost: config.interNodeHost.map { $0 == "0.0.0.0" ? "127.0.0.1" : $0 } ?? "127.0.0.1", interNodePort: Int32(config.interNodePort ?? 0),
            rack: config.rack,
            leaderships: led.map { tp, view in
                BrokerHeartbeatRequest.Leadership(topic: tp.topic, partition: tp.partition.rawValue, term: Int64(view.term.rawValue),
                                                  voters: view.voters, learners: view.learners, inSync: view.inSync)
            },
            shuttingDown: shuttingDown, topicsToCreate: topicsToCreate,
            listeners: config.clientListeners.map { listener in
                let address = config.advertisedAddress(of: listener, boundPort: 0)
                return BrokerHeartbeatRequest.Endpoint(name: listener.name, host: address.host, port: Int32(address.port))
            })
        if let leader = controllerLeader {
            if leader == nodeID { heartbeatReceived(request) } else { transport.sendHeartbeat(request, to: leader) }
        } else {
            for voter in config.controllerQuorumVoters where voter.nodeID != config.nodeID {
                transport.sendHeartbeat(request, to: NodeID(voter.nodeID))
            }
        }
    }

    /// Controller leader: registers new or restarted brokers, unfences returning ones, records
    /// partition leaders, fences brokers that are shutting down.
    private func heartbeatReceived(_ request: BrokerHeartbeatRequest) {
        guard isControllerLeader, request.clusterId == clusterID else { return }
        if let problem = Self.heartbeatProblem(request, fromSelf: request.nodeId == config.nodeID) {
            if loggedHeartbeatProblems.withLock({ $0.insert("\(request.nodeId)").inserted }) {
                Diagnostics.warn("ignoring heartbeats from node \(request.nodeId): \(problem)")
            }
            return
        }
        let id = request.nodeId
        liveness.withLock { $0[id] = request.shuttingDown ? 0 : monotonicNanos() }
        var commands: [ControllerCommand] = []
        let known = brokers.first { $0.nodeID == id }
        if request.shuttingDown {
            if known?.fenced == false { commands.append(.fenceBroker(nodeID: id)) }
        } else {
            var record = BrokerRecord(nodeID: id, host: request.host, port: request.port, interNodeHost: request.interNodeHost,
                                      interNodePort: request.interNodePort, rack: request.rack, incarnation: request.incarnation, fenced: false)
            record.endpoints = known?.endpoints ?? []
            if known != record { commands.append(.registerBroker(record)) }
            // In the order the store reads them back, so an unchanged set is never proposed again;
            // an entry of its own, so a node that predates the command skips only it.
            let endpoints = request.listeners.map { ListenerEndpoint(listener: $0.name, host: $0.host, port: $0.port) }.sorted { $0.listener < $1.listener }
            if !endpoints.isEmpty, endpoints != known?.endpoints { proposeInBackground([.brokerEndpoints(nodeID: id, endpoints: endpoints)]) }
        }
        for led in request.leaderships {
            let tp = TopicPartition(topic: led.topic, partition: PartitionID(led.partition))
            guard let current = placement(tp), current.holders.contains(id) else { continue }
            if let target = current.targetReplicas, Set(led.voters) == Set(target), led.learners.isEmpty {
                commands.append(.completeReassignment(topic: led.topic, partition: led.partition, replicas: target))
            }
            if current.leader != id || current.leaderEpoch < led.term {
                if current.leaderEpoch <= led.term {
                    commands.append(.partitionLeader(topic: led.topic, partition: led.partition, leader: id, epoch: led.term))
                }
            }
            // The leader's in-sync set, recorded when it changes, so every node's Metadata tells it.
            let inSync = led.inSync.sorted()
            if !inSync.isEmpty, current.leaderEpoch <= led.term, current.isr != inSync || current.isrEpoch != led.term {
                commands.append(.partitionISR(topic: led.topic, partition: led.partition, isr: inSync, epoch: led.term))
            }
        }
        if !commands.isEmpty { proposeInBackground(commands) }
        if !request.shuttingDown, known != nil { host.perform { [host] in host.ensureControllerLearner(NodeID(id)) } }
        if !request.topicsToCreate.isEmpty { autoCreate(request.topicsToCreate) }
    }

    /// What makes a heartbeat unfit to act on, or nil: every field is checked before it can
    /// register a broker, move a client to another address or record a leader.
    /// `fromSelf`: this node's own heartbeat, which may name no inter-node listener (port 0: a
    /// cluster of one binds none).
    static func heartbeatProblem(_ request: BrokerHeartbeatRequest, fromSelf: Bool = false) -> String? {
        let validPort = 1...Int32(UInt16.max)
        guard request.nodeId >= 0 else { return "negative node id \(request.nodeId)" }
        guard request.incarnation >= 0 else { return "negative incarnation \(request.incarnation)" }
        guard validPort.contains(request.port), validPort.contains(request.interNodePort) || (fromSelf && request.interNodePort == 0) else {
            return "ports \(request.port) and \(request.interNodePort) must be 1-65535"
        }
        guard (1...255).contains(request.host.utf8.count), (1...255).contains(request.interNodeHost.utf8.count) else {
            return "host names must be 1-255 bytes"
        }
        guard request.leaderships.count <= 1_000_000, request.topicsToCreate.count <= 1_000, request.listeners.count <= BrokerConfig.clientListenersMax else {
            return "too many entries"
        }
        let names = request.listeners.map(\.name)
        guard Set(names).count == names.count, request.listeners.allSatisfy({ (1...255).contains($0.name.utf8.count) && (1...255).contains($0.host.utf8.count) && validPort.contains($0.port) }) else {
            return "listeners must have distinct names of 1-255 bytes, hosts of 1-255 bytes and ports 1-65535"
        }
        for led in request.leaderships {
            guard led.partition >= 0, (0...Int64(RaftBounds.termMax.rawValue)).contains(led.term) else {
                return "leadership of \(led.topic)-\(led.partition) in term \(led.term)"
            }
            // In sync means a member of the group: the leader itself, a voter or a learner.
            let members = Set(led.voters + led.learners + [request.nodeId])
            guard led.inSync.count <= members.count, led.inSync.allSatisfy(members.contains) else {
                return "in-sync replicas \(led.inSync) of \(led.topic)-\(led.partition) outside its members"
            }
        }
        return nil
    }

    /// Creates requested topics with the cluster defaults, off the transport's thread (it waits for the quorum).
    /// Names other than the offsets topic are created only while this controller allows
    /// auto-creation: the asking node's setting is not enough.
    private func autoCreate(_ names: [String]) {
        for name in Set(names) where replicas.topic(name) == nil {
            if name == Self.offsetsTopic {
                ensureOffsetsTopic()
                continue
            }
            guard config.autoCreateTopics else { continue }
            let live = max(1, replicas.clusterHooks?.liveBrokers() ?? 1)
            let factor = Int16(config.defaultReplicationFactor.map { Int($0) } ?? min(3, live))
            replicas.createTopic(name: name, partitions: config.numPartitions, replicationFactor: factor, configs: [:]) { error in
                if let error { Diagnostics.info("auto-create of '\(name)' refused: \(error.message)") }
            }
        }
    }

    private func fenceSilentBrokers() {
        guard isControllerLeader else { return }
        let now = monotonicNanos()
        let timeout = UInt64(config.brokerSessionTimeoutMillis) * 1_000_000
        if controllerWasStalled(now: now) { return }
        let seen = liveness.withLock { $0 }
        var commands: [ControllerCommand] = []
        for broker in brokers where !broker.fenced && broker.nodeID != config.nodeID {
            // Unknown to this leader: it gave every registered broker a fresh session when it won.
            guard let last = seen[broker.nodeID] else { continue }
            // 0 marks a broker that said it is shutting down.
            if last == 0 || nanosElapsed(since: last, now: now) > timeout { commands.append(.fenceBroker(nodeID: broker.nodeID)) }
        }
        if !commands.isEmpty {
            Diagnostics.info("fencing silent brokers: \(commands)")
            proposeInBackground(commands)
        }
    }

    /// A controller that was stopped or starved (SIGSTOP, a swap storm, a long GC-like pause) heard
    /// no heartbeats while it was not running, through no fault of the brokers; fencing them on
    /// waking would take healthy replicas out of placement and ISR. So a gap between checks well
    /// past the heartbeat interval gives every broker a fresh session, as a new leader does.
    private func controllerWasStalled(now: UInt64) -> Bool {
        let interval = UInt64(config.brokerHeartbeatIntervalMillis) * 1_000_000
        let stallThreshold = max(3 * interval, UInt64(config.brokerSessionTimeoutMillis) * 1_000_000 / 3)
        let previous = lastFencingCheckNanos.withLock { last in
            defer { last = now }
            return last
        }
        guard previous != 0, now &- previous > stallThreshold else { return false }
        Diagnostics.info("controller did not run for \((now &- previous) / 1_000_000) ms; every broker gets a fresh session before fencing")
        // A broker that announced its shutdown (marker 0) stays marked: it is fenced now, not later.
        liveness.withLock { seen in for broker in brokersCache.withLock({ $0 }) where seen[broker.nodeID] != 0 { seen[broker.nodeID] = now } }
        return true
    }

    // MARK: Placement

    /// Spreads `count` partitions' replicas over the unfenced brokers, round robin from a
    /// per-topic start so leaders (first replica) spread too; racks alternate when set.
    public func assignReplicas(count: Int32, firstPartition: Int32 = 0, replicationFactor: Int) -> [[Int32]]? {
        var live = brokers.filter { !$0.fenced }
        guard live.count >= replicationFactor, replicationFactor >= 1 else { return nil }
        // Interleave racks: r1a, r2a, r3a, r1b, ... so consecutive picks land on different racks.
        let byRack = Dictionary(grouping: live) { $0.rack ?? "" }.sorted { $0.key < $1.key }.map { $0.value.sorted { $0.nodeID < $1.nodeID } }
        live = []
        var round = 0
        while live.count < byRack.reduce(0, { $0 + $1.count }) {
            for rack in byRack where round < rack.count { live.append(rack[round]) }
            round += 1
        }
        let ids = live.map(\.nodeID)
        let start = Int.random(in: 0..<ids.count)
        return (0..<Int(count)).map { p in
            (0..<replicationFactor).map { r in ids[(start + Int(firstPartition) + p + r) % ids.count] }
        }
    }
}
