import SluiceWire

/// A topic as described by `Admin.describeTopics`.
public struct TopicDescription: Sendable, Equatable {
    /// Topic name.
    public var name: String
    /// Whether the topic is internal (e.g. `__consumer_offsets`).
    public var isInternal: Bool
    /// Partitions in index order.
    public var partitions: [PartitionDescription]
}

/// One partition of a `TopicDescription`.
public struct PartitionDescription: Sendable, Equatable {
    /// Partition index.
    public var partition: Int32
    /// Leader node id, -1 when none.
    public var leader: Int32
    /// Replica node ids.
    public var replicas: [Int32]
    /// In-sync replica node ids.
    public var isr: [Int32]
}

/// A broker of `ClusterDescription`.
public struct BrokerDescription: Sendable, Equatable {
    /// Node id.
    public var id: Int32
    /// Advertised host.
    public var host: String
    /// Advertised port.
    public var port: Int
}

/// The cluster as described by `Admin.describeCluster`.
public struct ClusterDescription: Sendable, Equatable {
    /// Cluster id, when the broker reports one.
    public var clusterId: String?
    /// Controller node id, -1 when unknown.
    public var controllerId: Int32
    /// Brokers by id.
    public var brokers: [BrokerDescription]
}

/// One configuration entry of `Admin.describeConfigs`.
public struct ConfigEntry: Sendable, Equatable {
    /// Config name, e.g. `retention.ms`.
    public var name: String
    /// Value; nil for sensitive or unset entries.
    public var value: String?
    /// Whether the value is the default.
    public var isDefault: Bool
    /// Whether the entry cannot be changed.
    public var isReadOnly: Bool
}

/// A group as listed by `Admin.listGroups`.
public struct GroupListing: Sendable, Equatable {
    /// Group id.
    public var groupId: String
    /// Protocol type, `consumer` for consumer groups (empty for simple commit-only groups).
    public var protocolType: String
    /// State when the broker reports it (ListGroups v4+), else empty.
    public var state: String
}

/// A group as described by `Admin.describeGroups`.
public struct GroupDescription: Sendable, Equatable {
    /// Group id.
    public var groupId: String
    /// State: Empty, PreparingRebalance, CompletingRebalance, Stable or Dead.
    public var state: String
    /// Protocol type.
    public var protocolType: String
    /// Chosen assignor.
    public var protocolName: String
    /// Members by id with their client ids and hosts.
    public var members: [GroupMember]
}

/// A member of a `GroupDescription`.
public struct GroupMember: Sendable, Equatable {
    /// Member id.
    public var memberId: String
    /// Client id.
    public var clientId: String
    /// Client host.
    public var clientHost: String
    /// Static member id (KIP-345), nil for a dynamic member.
    public var groupInstanceId: String? = nil
    /// Partitions the group leader assigned to this member (decoded from the consumer protocol;
    /// empty for other protocol types, before the first SyncGroup, or when it cannot be read).
    public var assignment: [TopicPartition] = []
}

/// Committed offset, log end and lag of one partition of a group (`Admin.groupLag`).
public struct PartitionLag: Sendable, Equatable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// Committed offset; -1 when none.
    public var committed: Int64
    /// Log end offset (high watermark).
    public var end: Int64
    /// `end - committed`; `end` when nothing is committed (the log start offset is not subtracted).
    public var lag: Int64
}

/// Where `Admin.listOffsets` looks.
public enum OffsetSpec: Sendable, Equatable {
    /// The log start offset.
    case earliest
    /// The log end offset (high watermark).
    case latest
    /// The first offset whose timestamp is at or after `millis`.
    case timestamp(Int64)

    var wireValue: Int64 {
        switch self {
        case .earliest: return -2
        case .latest: return -1
        case .timestamp(let millis): return millis
        }
    }
}

/// The admin client: topics, configs, records, groups and offsets.
///
/// ```swift
/// let admin = try Admin(bootstrap: ["127.0.0.1:9092"])
/// try await admin.createTopic("orders", partitions: 6)
/// print(try await admin.describeTopics(["orders"]))
/// ```
public final class Admin: Sendable {
    let cluster: Cluster

    /// A client for the cluster reachable through `bootstrap` (`host:port` strings). Connects lazily.
    public init(bootstrap: [String], config: ConnectionConfig = ConnectionConfig()) throws {
        cluster = try Cluster(bootstrap: bootstrap, config: config)
        ownsCluster = true
    }

    /// An admin client sharing another client's cluster view (not closed with it).
    init(cluster: Cluster) {
        self.cluster = cluster
        self.ownsCluster = false
    }

    private let ownsCluster: Bool

    /// An admin client dropped without `close()` still closes its connections, in the background.
    deinit {
        guard ownsCluster else { return }
        let cluster = self.cluster
        Task { await cluster.close() }
    }

    var timeout: Int { cluster.config.requestTimeoutMillis }

    /// Closes every connection.
    public func close() async { await cluster.close() }

    // MARK: cluster and topics

    /// Runs `body` against the controller. NOT_CONTROLLER (the controller moved, or a cluster
    /// is still electing one) refreshes the metadata and tries again, up to 10 times with a
    /// growing pause; `body` gets the connection and the request timeout.
    func onController(_ body: (BrokerConnection, Int) async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                try await body(try await cluster.controller(), timeout)
                return
            } catch let error as SluiceClientError where error.code == .notController && attempt < 10 {
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(100 * attempt) * 1_000_000)
                _ = try? await cluster.refreshMetadata(topics: [])
            }
        }
    }

    /// Brokers, controller and cluster id.
    public func describeCluster() async throws -> ClusterDescription {
        let response = try await cluster.refreshMetadata(topics: [])
        return ClusterDescription(clusterId: response.clusterId, controllerId: response.controllerId,
                                  brokers: response.brokers.map { BrokerDescription(id: $0.nodeId, host: $0.host, port: Int($0.port)) }
                                    .sorted { $0.id < $1.id })
    }

    /// Creates a topic. `replicationFactor` -1 and `partitions` -1 take the broker defaults.
    public func createTopic(_ name: String, partitions: Int32 = -1, replicationFactor: Int16 = -1,
                            configs: [String: String] = [:]) async throws {
        let topic = CreateTopicsRequest.Topic(name: name, numPartitions: partitions, replicationFactor: replicationFactor,
                                              configs: configs.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
        try await onController { connection, timeout in
            let response = try await connection.send(CreateTopicsRequest(topics: [topic], timeoutMs: Int32(clamping: timeout)),
                                                     expecting: CreateTopicsResponse.self, timeoutMillis: timeout)
            for result in response.topics {
                try SluiceClientError.check(result.errorCode, "create topic '\(result.name)'", detail: result.errorMessage)
            }
        }
        await cluster.invalidate(topic: name)
    }

    /// Deletes topics by name.
    public func deleteTopics(_ names: [String]) async throws {
        try await onController { connection, timeout in
            let version = try connection.requireVersion(.deleteTopics)
            let request = DeleteTopicsRequest(topicNames: names, timeoutMs: Int32(clamping: timeout))
            let response = try await connection.send(request, version: version, expecting: DeleteTopicsResponse.self, timeoutMillis: timeout)
            for result in response.responses {
                try SluiceClientError.check(result.errorCode, "delete topic '\(result.name ?? "?")'", detail: result.errorMessage)
            }
        }
        for name in names { await cluster.invalidate(topic: name) }
    }

    /// Names of all topics, internal ones excluded unless asked for; sorted.
    public func listTopics(includeInternal: Bool = false) async throws -> [String] {
        let response = try await cluster.refreshMetadata(topics: nil)
        return response.topics.filter { $0.errorCode == 0 && (includeInternal || !$0.isInternal) }.compactMap(\.name).sorted()
    }

    /// Partitions, leaders and replicas of `names`; throws for a topic that does not exist.
    public func describeTopics(_ names: [String]) async throws -> [TopicDescription] {
        let response = try await cluster.refreshMetadata(topics: names)
        return try response.topics.map { topic throws(SluiceClientError) -> TopicDescription in
            try SluiceClientError.check(topic.errorCode, "describe topic '\(topic.name ?? "?")'")
            return TopicDescription(
                name: topic.name ?? "", isInternal: topic.isInternal,
                partitions: topic.partitions.map {
                    PartitionDescription(partition: $0.partitionIndex, leader: $0.leaderId, replicas: $0.replicaNodes, isr: $0.isrNodes)
                }.sorted { $0.partition < $1.partition })
        }
    }

    /// Raises a topic's partition count to `totalCount`.
    public func createPartitions(_ topic: String, totalCount: Int32) async throws {
        let request = CreatePartitionsRequest(topics: [.init(name: topic, count: totalCount, assignments: nil)], timeoutMs: Int32(clamping: timeout))
        try await onController { connection, timeout in
            let response = try await connection.send(request, expecting: CreatePartitionsResponse.self, timeoutMillis: timeout)
            for result in response.results {
                try SluiceClientError.check(result.errorCode, "add partitions to '\(result.name)'", detail: result.errorMessage)
            }
        }
        await cluster.invalidate(topic: topic)
    }

    // MARK: configs

    /// The configuration of a topic, by name.
    public func describeConfigs(topic: String) async throws -> [String: ConfigEntry] {
        let connection = try await cluster.anyConnection()
        let request = DescribeConfigsRequest(resources: [.init(resourceType: 2, resourceName: topic, configurationKeys: nil)])
        let response = try await connection.send(request, expecting: DescribeConfigsResponse.self, timeoutMillis: timeout)
        var entries: [String: ConfigEntry] = [:]
        for resource in response.results {
            try SluiceClientError.check(resource.errorCode, "describe configs of topic '\(resource.resourceName)'", detail: resource.errorMessage)
            for config in resource.configs {
                entries[config.name] = ConfigEntry(name: config.name, value: config.value,
                                                   isDefault: config.isDefault || config.configSource == 5, isReadOnly: config.readOnly)
            }
        }
        return entries
    }

    /// Sets and deletes (reverts to default) topic config entries (IncrementalAlterConfigs).
    public func alterConfigs(topic: String, set: [String: String] = [:], delete: [String] = []) async throws {
        let connection = try await cluster.anyConnection()
        var configs = set.sorted { $0.key < $1.key }.map { IncrementalAlterConfigsRequest.Resource.Config(name: $0.key, configOperation: 0, value: $0.value) }
        configs += delete.map { .init(name: $0, configOperation: 1, value: nil) }
        let request = IncrementalAlterConfigsRequest(resources: [.init(resourceType: 2, resourceName: topic, configs: configs)])
        let response = try await connection.send(request, expecting: IncrementalAlterConfigsResponse.self, timeoutMillis: timeout)
        for resource in response.responses {
            try SluiceClientError.check(resource.errorCode, "alter configs of topic '\(resource.resourceName)'", detail: resource.errorMessage)
        }
    }

    // MARK: offsets and records

    /// Offsets of partitions at `spec`, asked of each partition's leader. -1 when none matches a timestamp.
    public func listOffsets(_ partitions: [TopicPartition], spec: OffsetSpec) async throws -> [TopicPartition: Int64] {
        var byLeader: [Int32: [TopicPartition]] = [:]
        for partition in partitions { byLeader[try await cluster.leader(of: partition), default: []].append(partition) }
        var result: [TopicPartition: Int64] = [:]
        for (leader, group) in byLeader {
            let connection = try await cluster.connection(node: leader)
            let topics = Dictionary(grouping: group, by: \.topic).map { topic, parts in
                ListOffsetsRequest.Topic(name: topic, partitions: parts.map { .init(partitionIndex: $0.partition, timestamp: spec.wireValue) })
            }
            let response = try await connection.send(ListOffsetsRequest(replicaId: -1, topics: topics), expecting: ListOffsetsResponse.self,
                                                      timeoutMillis: timeout)
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic.name, partition.partitionIndex)
                    if partition.errorCode != 0 { await cluster.invalidate(topic: topic.name) }
                    try SluiceClientError.check(partition.errorCode, "list offsets of \(key)")
                    result[key] = partition.offset
                }
            }
        }
        return result
    }

    /// Deletes records before `offsets` (per partition; -1 means the high watermark). Returns the new log start offsets.
    @discardableResult
    public func deleteRecords(_ offsets: [TopicPartition: Int64]) async throws -> [TopicPartition: Int64] {
        var byLeader: [Int32: [(TopicPartition, Int64)]] = [:]
        for (partition, offset) in offsets { byLeader[try await cluster.leader(of: partition), default: []].append((partition, offset)) }
        var result: [TopicPartition: Int64] = [:]
        for (leader, group) in byLeader {
            let connection = try await cluster.connection(node: leader)
            let topics = Dictionary(grouping: group, by: { $0.0.topic }).map { topic, parts in
                DeleteRecordsRequest.Topic(name: topic, partitions: parts.map { .init(partitionIndex: $0.0.partition, offset: $0.1) })
            }
            let response = try await connection.send(DeleteRecordsRequest(topics: topics, timeoutMs: Int32(clamping: timeout)),
                                                      expecting: DeleteRecordsResponse.self, timeoutMillis: timeout)
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic.name, partition.partitionIndex)
                    try SluiceClientError.check(partition.errorCode, "delete records of \(key)")
                    result[key] = partition.lowWatermark
                }
            }
        }
        return result
    }

    // MARK: groups

    /// Groups known to every broker.
    public func listGroups() async throws -> [GroupListing] {
        let description = try await describeCluster()
        var groups: [GroupListing] = []
        for broker in description.brokers {
            let connection = try await cluster.connection(node: broker.id)
            let response = try await connection.send(ListGroupsRequest(), expecting: ListGroupsResponse.self, timeoutMillis: timeout)
            try SluiceClientError.check(response.errorCode, "list groups on broker \(connection.address)")
            groups += response.groups.map { GroupListing(groupId: $0.groupId, protocolType: $0.protocolType, state: $0.groupState) }
        }
        return groups.sorted { $0.groupId < $1.groupId }
    }

    /// State and members of groups.
    public func describeGroups(_ groupIds: [String]) async throws -> [GroupDescription] {
        var result: [GroupDescription] = []
        for groupId in groupIds {
            let connection = try await cluster.coordinator(group: groupId)
            let response = try await connection.send(DescribeGroupsRequest(groups: [groupId]), expecting: DescribeGroupsResponse.self,
                                                     timeoutMillis: timeout)
            for group in response.groups {
                try SluiceClientError.check(group.errorCode, "describe group '\(group.groupId)'")
                let isConsumerGroup = group.protocolType == "consumer"
                let members = group.members.map { member in
                    // A member's assignment is informative here: one we cannot decode is shown as none, not an error.
                    let assignment = isConsumerGroup ? ((try? ConsumerProtocol.decodeAssignment(member.memberAssignment)) ?? []) : []
                    return GroupMember(memberId: member.memberId, clientId: member.clientId, clientHost: member.clientHost,
                                       groupInstanceId: member.groupInstanceId, assignment: assignment.sorted())
                }
                result.append(GroupDescription(groupId: group.groupId, state: group.groupState, protocolType: group.protocolType,
                                               protocolName: group.protocolData, members: members))
            }
        }
        return result
    }

    /// Deletes empty groups and their committed offsets.
    public func deleteGroups(_ groupIds: [String]) async throws {
        for groupId in groupIds {
            let connection = try await cluster.coordinator(group: groupId)
            let response = try await connection.send(DeleteGroupsRequest(groupsNames: [groupId]), expecting: DeleteGroupsResponse.self,
                                                     timeoutMillis: timeout)
            for group in response.results { try SluiceClientError.check(group.errorCode, "delete group '\(group.groupId)'") }
        }
    }

    /// Sets a group's committed offsets (the next offset to read), e.g. to replay or skip. Only for a
    /// group with no active members (the coordinator rejects "simple" commits otherwise).
    public func resetGroupOffsets(_ groupId: String, to offsets: [TopicPartition: Int64]) async throws {
        let connection = try await cluster.coordinator(group: groupId)
        let topics = Dictionary(grouping: offsets, by: { $0.key.topic }).sorted { $0.key < $1.key }.map { topic, entries in
            OffsetCommitRequest.Topic(name: topic, partitions: entries.sorted { $0.key < $1.key }.map {
                .init(partitionIndex: $0.key.partition, committedOffset: $0.value, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: "")
            })
        }
        let request = OffsetCommitRequest(groupId: groupId, generationIdOrMemberEpoch: -1, memberId: "", groupInstanceId: nil,
                                          retentionTimeMs: -1, topics: topics)
        let response = try await connection.send(request, expecting: OffsetCommitResponse.self, timeoutMillis: timeout)
        for topic in response.topics {
            for partition in topic.partitions {
                try SluiceClientError.check(partition.errorCode, "reset offset of \(topic.name)-\(partition.partitionIndex) in group '\(groupId)'")
            }
        }
    }

    /// Committed offsets of a group (all partitions it committed for).
    public func groupOffsets(_ groupId: String) async throws -> [TopicPartition: Int64] {
        let connection = try await cluster.coordinator(group: groupId)
        return try await fetchCommitted(connection: connection, group: groupId, partitions: nil, timeoutMillis: timeout)
    }

    /// Committed offset, log end and lag for every partition the group committed for.
    public func groupLag(_ groupId: String) async throws -> [PartitionLag] {
        let committed = try await groupOffsets(groupId)
        let ends = try await listOffsets(Array(committed.keys), spec: .latest)
        return committed.keys.sorted().map { partition in
            let offset = committed[partition] ?? -1
            let end = ends[partition] ?? -1
            return PartitionLag(topicPartition: partition, committed: offset, end: end, lag: offset >= 0 ? max(0, end - offset) : end)
        }
    }
}

/// OffsetFetch for a group (nil partitions: all committed ones). Shared with the consumer.
func fetchCommitted(connection: BrokerConnection, group: String, partitions: [TopicPartition]?, timeoutMillis: Int) async throws -> [TopicPartition: Int64] {
    let topics = partitions.map { list in
        Dictionary(grouping: list, by: \.topic).sorted { $0.key < $1.key }.map { topic, parts in
            OffsetFetchRequest.Topic(name: topic, partitionIndexes: parts.map(\.partition))
        }
    }
    let response = try await connection.send(OffsetFetchRequest(groupId: group, topics: topics), expecting: OffsetFetchResponse.self,
                                             timeoutMillis: timeoutMillis)
    try SluiceClientError.check(response.errorCode, "fetch committed offsets of group '\(group)'")
    var result: [TopicPartition: Int64] = [:]
    for topic in response.topics {
        for partition in topic.partitions {
            let key = TopicPartition(topic.name, partition.partitionIndex)
            try SluiceClientError.check(partition.errorCode, "fetch committed offset of \(key) for group '\(group)'")
            if partition.committedOffset >= 0 { result[key] = partition.committedOffset }
        }
    }
    return result
}
