/// One partition's leader and replicas as Metadata reports them.
public struct PartitionState: Sendable, Equatable {
    /// Topic.
    public var topic: String
    /// Partition index.
    public var partition: Int32
    /// Leader node id, -1 when none.
    public var leader: Int32
    /// Replica node ids.
    public var replicas: [Int32]
    /// In-sync replica node ids.
    public var isr: [Int32]

    /// A partition state from its parts.
    public init(topic: String, partition: Int32, leader: Int32, replicas: [Int32], isr: [Int32]) {
        self.topic = topic
        self.partition = partition
        self.leader = leader
        self.replicas = replicas
        self.isr = isr
    }

    /// `topic/partition`, as rpk names partitions.
    public var name: String { "\(topic)/\(partition)" }

    /// `{"topic", "partition", "leader", "replicas", "isr"}`.
    public var json: JSON {
        .object([("topic", .string(topic)), ("partition", .int(Int64(partition))), ("leader", .int(Int64(leader))),
                 ("replicas", .array(replicas.map { .int(Int64($0)) })), ("isr", .array(isr.map { .int(Int64($0)) }))])
    }
}

/// What `sluice cluster info|health` judge from Metadata: partitions without a live leader,
/// partitions with fewer in-sync replicas than replicas, and replicas on brokers that are not up.
public struct ClusterHealthReport: Sendable, Equatable {
    /// Brokers in the metadata (the live ones), sorted.
    public var brokerIds: [Int32]
    /// The controller, -1 when none.
    public var controllerId: Int32
    /// Partitions whose leader is -1 or not a live broker.
    public var leaderless: [PartitionState]
    /// Partitions with `isr.count < replicas.count`.
    public var underReplicated: [PartitionState]
    /// Brokers that hold replicas but are not in the metadata.
    public var nodesDown: [Int32]
    /// Partitions led by a live broker other than their preferred leader (the first replica):
    /// leadership is unbalanced, not unhealthy (a restarted node's partitions stay with the nodes
    /// that took them over until leadership is moved back).
    public var notOnPreferredLeader: [PartitionState]

    /// Judges `partitions` against the live `brokerIds`.
    public init(brokerIds: [Int32], controllerId: Int32, partitions: [PartitionState]) {
        let live = Set(brokerIds)
        let sorted = partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        self.brokerIds = brokerIds.sorted()
        self.controllerId = controllerId
        leaderless = sorted.filter { $0.leader < 0 || !live.contains($0.leader) }
        underReplicated = sorted.filter { $0.isr.count < $0.replicas.count }
        nodesDown = Set(sorted.flatMap(\.replicas)).subtracting(live).sorted()
        notOnPreferredLeader = sorted.filter { state in
            guard let preferred = state.replicas.first, state.leader >= 0, live.contains(state.leader) else { return false }
            return preferred != state.leader
        }
    }

    /// Why the cluster is unhealthy, in rpk's words; empty when healthy.
    public var unhealthyReasons: [String] {
        var reasons: [String] = []
        if controllerId < 0 { reasons.append("no_elected_controller") }
        if !nodesDown.isEmpty { reasons.append("nodes_down") }
        if !leaderless.isEmpty { reasons.append("leaderless_partitions") }
        if !underReplicated.isEmpty { reasons.append("under_replicated_partitions") }
        return reasons
    }

    /// Whether nothing is wrong.
    public var isHealthy: Bool { unhealthyReasons.isEmpty }

    /// `{"healthy", "unhealthyReasons", "controller", "brokers", "nodesDown", "leaderlessPartitions", "underReplicatedPartitions", "notOnPreferredLeader"}`.
    public var json: JSON {
        .object([
            ("healthy", .bool(isHealthy)), ("unhealthyReasons", .array(unhealthyReasons.map(JSON.string))),
            ("controller", .int(Int64(controllerId))), ("brokers", .array(brokerIds.map { .int(Int64($0)) })),
            ("nodesDown", .array(nodesDown.map { .int(Int64($0)) })),
            ("leaderlessPartitions", .array(leaderless.map(\.json))),
            ("underReplicatedPartitions", .array(underReplicated.map(\.json))),
            ("notOnPreferredLeader", .array(notOnPreferredLeader.map(\.json))),
        ])
    }

    /// rpk's health overview: one `Label: value` line each, values aligned.
    public func render() -> String {
        let names = { (list: [PartitionState]) in "[" + list.map(\.name).joined(separator: " ") + "]" }
        let ids = { (list: [Int32]) in "[" + list.map(String.init).joined(separator: " ") + "]" }
        let rows: [(String, String)] = [
            ("Healthy:", String(isHealthy)),
            ("Unhealthy reasons:", "[" + unhealthyReasons.joined(separator: " ") + "]"),
            ("Controller ID:", String(controllerId)),
            ("All nodes:", ids(brokerIds)),
            ("Nodes down:", ids(nodesDown)),
            ("Leaderless partitions (\(leaderless.count)):", names(leaderless)),
            ("Under-replicated partitions (\(underReplicated.count)):", names(underReplicated)),
            ("Not on preferred leader (\(notOnPreferredLeader.count)):", names(notOnPreferredLeader)),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return "CLUSTER HEALTH OVERVIEW\n=======================\n"
            + rows.map { "\($0.0.padding(to: width))  \($0.1)\n" }.joined()
    }
}
