import SluiceCore
import SluiceWire

/// In a cluster, the group coordinator for every group is the controller quorum's leader (the
/// offsets it commits are controller entries, so a new coordinator already has all of them).
/// Other nodes answer group requests with NOT_COORDINATOR, which makes clients look it up again.
extension KafkaBroker {
    /// Answers `request` with NOT_COORDINATOR if this node is not the coordinator; true if it did.
    func refuseIfNotCoordinator(_ request: KafkaRequest, _ context: RequestContext) -> Bool {
        guard let cluster, !cluster.isControllerLeader else { return false }
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
        case .listGroups: context.respond(.listGroups(ListGroupsResponse(errorCode: 0, groups: [])))
        default: return false
        }
        return true
    }

    /// FindCoordinator in a cluster: the controller leader, or COORDINATOR_NOT_AVAILABLE while there is none.
    func clusterCoordinator(_ cluster: ClusterNode) -> FindCoordinatorResponse {
        guard let leader = cluster.controllerLeader else {
            return FindCoordinatorResponse(errorCode: KafkaError.coordinatorNotAvailable.code, errorMessage: "no controller leader yet; retry", nodeId: -1, host: "", port: -1)
        }
        if leader.rawValue == config.nodeID {
            let (host, port) = advertisedAddress
            return FindCoordinatorResponse(errorCode: 0, nodeId: config.nodeID, host: host, port: Int32(port))
        }
        guard let broker = cluster.brokers.first(where: { $0.nodeID == leader.rawValue && !$0.fenced }) else {
            return FindCoordinatorResponse(errorCode: KafkaError.coordinatorNotAvailable.code, errorMessage: "coordinator not registered yet; retry", nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(errorCode: 0, nodeId: broker.nodeID, host: broker.host, port: broker.port)
    }
}
