import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceWire
import Synchronization

/// What a broker counts as it works, and what it reads off its own state when scraped. The table
/// in the README's "Observing a cluster" section lists every family; keep the two in step.
final class BrokerMetrics: Sendable {
    let registry = MetricsRegistry()
    let startedNanos = monotonicNanos()

    let requests: CounterFamily
    let requestBytes: CounterFamily
    let responseBytes: CounterFamily
    let queueSeconds: HistogramFamily
    let handleSeconds: HistogramFamily
    let produceRecords: CounterFamily
    let produceBytes: CounterFamily
    let fetchBytes: CounterFamily
    let fsyncSeconds: HistogramFamily
    let acksAllSeconds: HistogramFamily

    init() {
        requests = CounterFamily(registry, "sluice_requests_total", "Requests received, by API and version.", labels: ["api", "version"])
        requestBytes = CounterFamily(registry, "sluice_request_bytes_total", "Bytes of requests received, by API.", labels: ["api"])
        responseBytes = CounterFamily(registry, "sluice_response_bytes_total", "Bytes of responses sent (header and body; fetched records counted too), by API.", labels: ["api"])
        queueSeconds = HistogramFamily(registry, "sluice_request_queue_seconds", "Time from a request's last byte to its handler starting, by API.", labels: ["api"])
        handleSeconds = HistogramFamily(registry, "sluice_request_handle_seconds", "Time from a handler starting to its answer (acks=all includes the quorum's fsync), by API.", labels: ["api"])
        produceRecords = CounterFamily(registry, "sluice_produce_records_total", "Records in produce requests accepted by this node as leader, by topic.", labels: ["topic"])
        produceBytes = CounterFamily(registry, "sluice_produce_bytes_total", "Record batch bytes in produce requests accepted by this node as leader, by topic.", labels: ["topic"])
        fetchBytes = CounterFamily(registry, "sluice_fetch_bytes_total", "Record batch bytes returned by fetches, by topic.", labels: ["topic"])
        fsyncSeconds = HistogramFamily(registry, "sluice_fsync_seconds", "Time of each partition log fsync (one per partition written in a group-commit round); its count is the fsyncs.")
        acksAllSeconds = HistogramFamily(registry, "sluice_produce_acks_all_seconds", "Time from an acks=all produce's handler starting to its answer: a majority has the batches on disk.")
    }

    /// The gauges that read the broker when scraped.
    func observe(_ broker: KafkaBroker) {
        let weak = WeakBroker(broker)
        let version = "0.4.0"
        registry.gauge("sluice_build_info", "Always 1; the labels name the build.", labels: ["version", "node"]) {
            [([version, String(weak.broker?.config.nodeID ?? -1)], 1)]
        }
        registry.gauge("sluice_uptime_seconds", "Seconds since the process started.") { [startedNanos] in
            [([], Double(nanosElapsed(since: startedNanos)) / 1e9)]
        }
        observeConnections(weak)
        observePartitions(weak)
        observeProcess(weak)
        observeGroups(weak)
    }

    /// Groups this node coordinates (all of them in a cluster of one): members, states, and each
    /// committed partition's lag behind its high watermark, where this node holds the partition.
    private func observeGroups(_ weak: WeakBroker) {
        registry.gauge("sluice_groups", "Consumer groups this node coordinates, by state.", labels: ["state"]) {
            guard let broker = weak.broker else { return [] }
            let coordinated = broker.groups.list().filter { broker.coordinates($0.groupID) }
            return Dictionary(grouping: coordinated, by: { "\($0.state)" }).sorted { $0.key < $1.key }.map { ([$0.key], Double($0.value.count)) }
        }
        registry.gauge("sluice_group_members", "Members of each consumer group this node coordinates.", labels: ["group"]) {
            guard let broker = weak.broker else { return [] }
            return broker.groups.list().filter { broker.coordinates($0.groupID) }.compactMap { summary in
                broker.groups.describe(groupID: summary.groupID).map { ([summary.groupID], Double($0.members.count)) }
            }
        }
        registry.gauge("sluice_consumer_lag_records", "Records between a group's committed offset and the partition's high watermark, reported by the group's coordinator for partitions it holds.",
                       labels: ["group", "topic", "partition"]) {
            guard let broker = weak.broker, let all = try? broker.groups.allCommitted() else { return [] }
            var series: [([String], Double)] = []
            for (group, offsets) in all where broker.coordinates(group) {
                for committed in offsets {
                    guard let partition = broker.replicas.partition(committed.topic, committed.partition) else { continue }
                    let lag = max(0, partition.highWatermark - committed.offset)
                    series.append(([group, committed.topic, String(committed.partition)], Double(lag)))
                }
            }
            return series
        }
    }

    private func observeConnections(_ weak: WeakBroker) {
        registry.gauge("sluice_connections_open", "Open client connections.") {
            // The listeners share one connection limiter: any server's count is the node's.
            [([], Double(weak.broker?.clientServers.first?.connectionCount ?? 0))]
        }
        registry.gauge("sluice_connections_refused_total", "Client connections closed by the server: over max.connections(.per.ip), stalled mid-request (slow), or a failed or timed-out TLS handshake (tls).",
                       kind: .counter, labels: ["reason"]) {
            guard let servers = weak.broker?.clientServers, !servers.isEmpty else { return [] }
            return [(["limit"], Double(servers.map(\.rejectedConnectionCount).reduce(0, +))), (["slow"], Double(servers.map(\.slowReadsClosed).reduce(0, +))),
                    (["tls"], Double(servers.map(\.tlsFailureCount).reduce(0, +)))]
        }
        registry.gauge("sluice_request_budget_bytes", "Bytes of requests being read or handled, against queued.max.request.bytes.", labels: ["state"]) {
            guard let broker = weak.broker, !broker.clientServers.isEmpty else { return [] }
            return [(["in_use"], Double(broker.clientServers.map(\.queuedRequestBytes).reduce(0, +))), (["limit"], Double(broker.config.queuedMaxRequestBytes))]
        }
    }

    private func observePartitions(_ weak: WeakBroker) {
        registry.gauge("sluice_partitions", "Partition replicas on this node, by role: leader, follower, or offline (could not be opened).",
                    labels: ["role"]) {
            guard let broker = weak.broker else { return [] }
            var counts = ["leader": 0.0, "follower": 0.0, "offline": 0.0]
            // One pass over the placements, not one per topic: a scrape stays linear in partitions.
            let heldHere = Dictionary(grouping: broker.cluster.placements.filter { $0.holders.contains(broker.config.nodeID) }, by: \.topic)
                .mapValues { $0.map(\.partition) }
            for topic in broker.replicas.allTopics {
                for index in heldHere[topic.record.name] ?? [] {
                    guard topic.partitions[index] != nil else { counts["offline", default: 0] += 1; continue }
                    let tp = TopicPartition(topic: topic.record.name, partition: PartitionID(index))
                    let leads = broker.cluster.leadership(tp)?.isLocalLeader ?? false
                    counts[leads ? "leader" : "follower", default: 0] += 1
                }
            }
            return counts.sorted { $0.key < $1.key }.map { ([$0.key], $0.value) }
        }
        registry.gauge("sluice_topic_log_bytes", "Bytes of the topic's partition logs on this node (every replica it holds).", labels: ["topic"]) {
            guard let broker = weak.broker else { return [] }
            return broker.replicas.allTopics.map { topic in
                ([topic.record.name], Double(topic.partitions.values.reduce(Int64(0)) { $0 + $1.log.sizeBytes }))
            }
        }
        registry.gauge("sluice_partition_log_offset", "Log start and end offsets of each partition replica on this node (only with metrics.partition.series=true).",
                       labels: ["topic", "partition", "edge"]) {
            guard let broker = weak.broker, broker.config.metricsPerPartition else { return [] }
            var series: [([String], Double)] = []
            for topic in broker.replicas.allTopics {
                for (index, partition) in topic.partitions.sorted(by: { $0.key < $1.key }) {
                    series.append(([topic.record.name, String(index), "start"], Double(partition.log.logStartOffset)))
                    series.append(([topic.record.name, String(index), "end"], Double(partition.log.logEndOffset)))
                }
            }
            return series
        }
        registry.gauge("sluice_partitions_led", "Partitions this node leads, by replication state: under_replicated (fewer in sync than voters), under_min_isr (fewer in sync than min.insync.replicas).",
                       labels: ["state"]) {
            guard let broker = weak.broker else { return [] }
            let cluster = broker.cluster
            let led = cluster.host.published.withLock { $0.partitions.values.filter(\.isLocalLeader) }
            // A fenced broker is out of sync at once, as in Kafka.
            let fenced = Set(cluster.brokers.filter(\.fenced).map(\.nodeID))
            let inSync = led.map { view in (view, view.inSync.filter { !fenced.contains($0) }.count) }
            let under = inSync.filter { $0.1 < $0.0.voters.count }.count
            let belowMin = inSync.filter { $0.1 < min(broker.config.minInsyncReplicas, $0.0.voters.count) }.count
            return [(["under_replicated"], Double(under)), (["under_min_isr"], Double(belowMin))]
        }
        registry.gauge("sluice_raft_follower_lag_entries", "The most Raft entries (log positions) a follower is behind, over the partitions this node leads.",
                       labels: ["follower"]) {
            guard let cluster = weak.broker?.cluster else { return [] }
            var worst: [Int32: Int64] = [:]
            for view in cluster.host.published.withLock({ $0.partitions.values.filter(\.isLocalLeader) }) {
                for (follower, lag) in view.followerLagEntries { worst[follower] = max(worst[follower] ?? 0, lag) }
            }
            return worst.sorted { $0.key < $1.key }.map { ([String($0.key)], Double($0.value)) }
        }
        registry.gauge("sluice_raft_follower_lag_seconds", "The longest a follower has gone without reaching the leader's log end, over the partitions this node leads.",
                       labels: ["follower"]) {
            guard let cluster = weak.broker?.cluster else { return [] }
            var worst: [Int32: Double] = [:]
            for view in cluster.host.published.withLock({ $0.partitions.values.filter(\.isLocalLeader) }) {
                for (follower, seconds) in view.followerLagSeconds { worst[follower] = max(worst[follower] ?? 0, seconds) }
            }
            return worst.sorted { $0.key < $1.key }.map { ([String($0.key)], $0.value) }
        }
        registry.gauge("sluice_raft_snapshots_installed_total", "Snapshots this node installed from a leader because it had fallen behind a compacted log.", kind: .counter) {
            guard let cluster = weak.broker?.cluster else { return [] }
            return [([], Double(cluster.host.snapshotsInstalled.load(ordering: .relaxed)))]
        }
        registry.gauge("sluice_raft_messages_refused_total", "Raft messages refused as invalid before they reached a group (terms or positions out of bounds, malformed entries, forged acknowledgements), by reason.",
                       kind: .counter, labels: ["reason"]) {
            guard let cluster = weak.broker?.cluster else { return [] }
            return cluster.host.droppedMessages.withLock { $0 }.sorted { $0.key.rawValue < $1.key.rawValue }.map { ([$0.key.rawValue], Double($0.value)) }
        }
        registry.gauge("sluice_peer_frames_refused_total", "Inter-node frames refused, closing their connection: failed authentication, a forged sender, a malformed frame.",
                       kind: .counter) {
            guard let cluster = weak.broker?.cluster else { return [] }
            return [([], Double(cluster.transport.refusedCount))]
        }
        registry.gauge("sluice_raft_controller_term", "The controller quorum's term as this node knows it.") {
            guard let cluster = weak.broker?.cluster else { return [] }
            return [([], Double(cluster.host.published.withLock { $0.controller.term.rawValue }))]
        }
        registry.gauge("sluice_raft_controller_leader", "1 on the node that leads the controller quorum, else 0.") {
            guard let cluster = weak.broker?.cluster else { return [] }
            return [([], cluster.isControllerLeader ? 1 : 0)]
        }
        registry.gauge("sluice_raft_leader_changes_total", "Leadership changes this node has seen, controller and partitions together.", kind: .counter) {
            guard let cluster = weak.broker?.cluster else { return [] }
            return [([], Double(cluster.leaderChanges.load(ordering: .relaxed)))]
        }
    }

    private func observeProcess(_ weak: WeakBroker) {
        registry.gauge("sluice_process_resident_memory_bytes", "Resident memory of the process.") {
            [([], Double(ProcessFacts.residentBytes()))]
        }
        registry.gauge("sluice_process_open_fds", "Open file descriptors.") { [([], Double(ProcessFacts.openDescriptors()))] }
        registry.gauge("sluice_process_max_fds", "The file descriptor limit.") { [([], Double(DescriptorLimit.current))] }
        registry.gauge("sluice_log_open_files", "Segment files held open for reuse (bounded by log.open.files.max).") {
            [([], Double(SegmentFileCache.shared.statistics.open))]
        }
        registry.gauge("sluice_log_file_opens_total", "Segment files opened (again) since start.", kind: .counter) {
            [([], Double(SegmentFileCache.shared.statistics.opens))]
        }
        registry.gauge("sluice_log_file_evictions_total", "Segment files closed to stay within log.open.files.max.", kind: .counter) {
            [([], Double(SegmentFileCache.shared.statistics.evictions))]
        }
        registry.gauge("sluice_log_dir_free_bytes", "Free bytes on the file system of log.dirs.", labels: ["dir"]) {
            guard let dir = weak.broker?.config.logDirectory else { return [] }
            return [([dir], Double(ProcessFacts.freeBytes(dir)))]
        }
    }
}

/// Lets scrape-time closures reach the broker without keeping it alive.
final class WeakBroker: @unchecked Sendable {
    weak var broker: KafkaBroker?
    init(_ broker: KafkaBroker) { self.broker = broker }
}

/// Facts about this process read from the kernel.
enum ProcessFacts {
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    static func freeBytes(_ path: String) -> Int {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return 0 }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }
}
