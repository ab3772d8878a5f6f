import SluiceCore
import SluiceWire

/// A group's coordinator is the leader of the `__consumer_offsets` partition its id
/// hashes to (its commits are entries of that partition, applied on every replica, so a new
/// coordinator already has all of them). Other nodes answer the group's requests with
/// NOT_COORDINATOR, which makes clients look the coordinator up again.
extension KafkaBroker {
    /// Answers `request` with NOT_COORDINATOR if this node is not the coordinator; true if it did.
    func refuseIfNotCoordinator(_ request: KafkaRequest, _ context: RequestContext) -> Bool {
        let groupIDs: [String]
        switch request {
        case let .joinGroup(body): groupIDs = [body.groupId]
        case let .syncGroup(body): groupIDs = [body.groupId]
        case let .heartbeat(body): groupIDs = [body.groupId]
        case let .leaveGroup(body): groupIDs = [body.groupId]
        case let .offsetCommit(body): groupIDs = [body.groupId]
        case let .offsetFetch(body): groupIDs = context.version >= 8 ? body.groups.map(\.groupId) : [body.groupId]
        case let .describeGroups(body): groupIDs = body.groups
        case let .deleteGroups(body): groupIDs = body.groupsNames
        case let .offsetDelete(body): groupIDs = [body.groupId]
        default: return false
        }
        // Clients send each group's requests to its own coordinator, so a request names groups of one coordinator.
        guard !groupIDs.allSatisfy({ cluster.isCoordinator(for: $0) }) else { return false }
        let code = KafkaError.notCoordinator.code
        switch request {
        case .joinGroup: context.respond(.joinGroup(JoinGroupResponse(errorCode: code)))
        case .syncGroup: context.respond(.syncGroup(SyncGroupResponse(errorCode: code)))
        case .heartbeat: context.respond(.heartbeat(HeartbeatResponse(errorCode: code)))
        case .leaveGroup: context.respond(.leaveGroup(LeaveGroupResponse(errorCode: code)))
        case let .offsetCommit(body):
            context.respond(.offsetCommit(OffsetCommitResponse(topics: body.topics.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: code) })
            })))
        case let .offsetFetch(body):
            if context.version >= 8 {
                context.respond(.offsetFetch(OffsetFetchResponse(groups: body.groups.map { .init(groupId: $0.groupId, errorCode: code) })))
            } else if context.version >= 2 {
                context.respond(.offsetFetch(OffsetFetchResponse(errorCode: code)))
            } else {
                context.respond(.offsetFetch(OffsetFetchResponse(topics: (body.topics ?? []).map { topic in
                    .init(name: topic.name, partitions: topic.partitionIndexes.map { .init(partitionIndex: $0, committedOffset: -1, errorCode: code) })
                })))
            }
        case let .describeGroups(body):
            context.respond(.describeGroups(DescribeGroupsResponse(groups: body.groups.map { .init(errorCode: code, groupId: $0) })))
        case let .deleteGroups(body):
            context.respond(.deleteGroups(DeleteGroupsResponse(results: body.groupsNames.map { .init(groupId: $0, errorCode: code) })))
        case .offsetDelete: context.respond(.offsetDelete(OffsetDeleteResponse(errorCode: code)))
        default: return false
        }
        return true
    }

    /// FindCoordinator in a cluster: the leader of the group's offsets partition, or
    /// COORDINATOR_NOT_AVAILABLE while it has none (or the offsets topic is still being created).
    func clusterCoordinator(_ cluster: ClusterNode, group: String, listener: String) -> FindCoordinatorResponse {
        if replicas.topic(ClusterNode.offsetsTopic) == nil {
            cluster.requestOffsetsTopic()
            return FindCoordinatorResponse(errorCode: KafkaError.coordinatorNotAvailable.code, errorMessage: "creating the offsets topic; retry",
                                           nodeId: -1, host: "", port: -1)
        }
        if cluster.isCoordinator(for: group), let own = advertisedAddress(of: listener) {
            return FindCoordinatorResponse(errorCode: 0, nodeId: config.nodeID, host: own.host, port: Int32(own.port))
        }
        // This node named but not yet coordinating (its leadership of the offsets partition has
        // not applied everything, or the record is stale): naming it would earn the client a
        // NOT_COORDINATOR from the very node it was sent to.
        guard let broker = cluster.coordinator(for: group), broker.nodeID != config.nodeID else {
            return FindCoordinatorResponse(errorCode: KafkaError.coordinatorNotAvailable.code, errorMessage: "the group's offsets partition has no leader ready yet; retry",
                                           nodeId: -1, host: "", port: -1)
        }
        guard let reached = address(of: broker, listener: listener) else {
            return FindCoordinatorResponse(errorCode: KafkaError.coordinatorNotAvailable.code,
                                           errorMessage: "the coordinator, node \(broker.nodeID), has no listener \(listener)", nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(errorCode: 0, nodeId: broker.nodeID, host: reached.host, port: reached.port)
    }
}
