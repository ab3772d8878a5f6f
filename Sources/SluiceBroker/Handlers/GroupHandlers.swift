import SluiceCore
import SluiceMeta
import SluiceWire
import Synchronization

extension KafkaBroker {
    func handleFindCoordinator(_ request: FindCoordinatorRequest, _ context: RequestContext) {
        // Transaction coordinators (key type 1) are not served.
        if request.keyType != 0 {
            return context.respond(.findCoordinator(FindCoordinatorResponse(throttleTimeMs: 0, errorCode: KafkaError.coordinatorNotAvailable.code,
                                                                            errorMessage: "transactions are not supported", nodeId: -1, host: "", port: -1)))
        }
        guard allowed(context, .describe, .group, request.key) else {
            return context.respond(.findCoordinator(FindCoordinatorResponse(throttleTimeMs: 0, errorCode: KafkaError.groupAuthorizationFailed.code,
                                                                            errorMessage: "\(context.principal) may not Describe group \(request.key)",
                                                                            nodeId: -1, host: "", port: -1)))
        }
        context.respond(.findCoordinator(clusterCoordinator(cluster, group: request.key, listener: context.connection.listener)))
    }

    func handleJoinGroup(_ request: JoinGroupRequest, _ context: RequestContext) {
        guard allowed(context, .read, .group, request.groupId) else {
            return context.respond(.joinGroup(JoinGroupResponse(throttleTimeMs: 0, errorCode: KafkaError.groupAuthorizationFailed.code, generationId: -1,
                                                                protocolName: "", leader: "", memberId: request.memberId)))
        }
        let join = GroupCoordinator.JoinRequest(
            groupID: request.groupId, sessionTimeoutMillis: request.sessionTimeoutMs,
            rebalanceTimeoutMillis: context.version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
            memberID: request.memberId, groupInstanceID: context.version >= 5 ? request.groupInstanceId : nil,
            protocolType: request.protocolType, protocols: request.protocols.map { ($0.name, $0.metadata) },
            clientID: context.clientID, clientHost: "/" + context.connection.peer.host, requiresKnownMemberID: context.version >= 4)
        groups.join(join) { result in
            context.respond(.joinGroup(JoinGroupResponse(
                throttleTimeMs: 0, errorCode: result.error.code, generationId: result.generationID, protocolType: result.protocolType,
                protocolName: result.protocolName, leader: result.leaderID, skipAssignment: result.skipAssignment, memberId: result.memberID,
                members: result.members.map { .init(memberId: $0.memberID, groupInstanceId: $0.groupInstanceID, metadata: $0.metadata) })))
        }
    }

    func handleSyncGroup(_ request: SyncGroupRequest, _ context: RequestContext) {
        guard allowed(context, .read, .group, request.groupId) else {
            return context.respond(.syncGroup(SyncGroupResponse(throttleTimeMs: 0, errorCode: KafkaError.groupAuthorizationFailed.code, assignment: [])))
        }
        var assignments: [String: [UInt8]] = [:]
        for entry in request.assignments { assignments[entry.memberId] = entry.assignment }
        groups.sync(groupID: request.groupId, generationID: request.generationId, memberID: request.memberId,
                    groupInstanceID: context.version >= 3 ? request.groupInstanceId : nil, assignments: assignments) { result in
            context.respond(.syncGroup(SyncGroupResponse(throttleTimeMs: 0, errorCode: result.error.code, protocolType: result.protocolType,
                                                         protocolName: result.protocolName, assignment: result.assignment)))
        }
    }

    func handleHeartbeat(_ request: HeartbeatRequest, _ context: RequestContext) {
        guard allowed(context, .read, .group, request.groupId) else {
            return context.respond(.heartbeat(HeartbeatResponse(throttleTimeMs: 0, errorCode: KafkaError.groupAuthorizationFailed.code)))
        }
        let error = groups.heartbeat(groupID: request.groupId, generationID: request.generationId, memberID: request.memberId,
                                     groupInstanceID: context.version >= 3 ? request.groupInstanceId : nil)
        context.respond(.heartbeat(HeartbeatResponse(throttleTimeMs: 0, errorCode: error.code)))
    }

    func handleLeaveGroup(_ request: LeaveGroupRequest, _ context: RequestContext) {
        guard allowed(context, .read, .group, request.groupId) else {
            return context.respond(.leaveGroup(LeaveGroupResponse(throttleTimeMs: 0, errorCode: KafkaError.groupAuthorizationFailed.code)))
        }
        if context.version < 3 {
            let (_, errors) = groups.leave(groupID: request.groupId, members: [(request.memberId, nil)])
            return context.respond(.leaveGroup(LeaveGroupResponse(throttleTimeMs: 0, errorCode: (errors.first ?? .unknownMemberID).code)))
        }
        let members = request.members.map { ($0.memberId, $0.groupInstanceId) }
        let (error, errors) = groups.leave(groupID: request.groupId, members: members)
        context.respond(.leaveGroup(LeaveGroupResponse(throttleTimeMs: 0, errorCode: error.code, members: zip(request.members, errors).map {
            .init(memberId: $0.0.memberId, groupInstanceId: $0.0.groupInstanceId, errorCode: $0.1.code)
        })))
    }

    func handleOffsetCommit(_ request: OffsetCommitRequest, _ context: RequestContext) {
        let now = currentMillis()
        var entries: [CommittedOffset] = []
        var unknown: [String: KafkaError] = [:]
        // Refused before the coordinator sees it: a commit may create the group.
        guard allowed(context, .read, .group, request.groupId) else {
            return context.respond(.offsetCommit(OffsetCommitResponse(throttleTimeMs: 0, topics: request.topics.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: KafkaError.groupAuthorizationFailed.code) })
            })))
        }
        // As Kafka: a partition the topic lacks is refused before the group is looked at; metadata
        // too long only after the group's verdict.
        var missing: Set<TopicPartition> = []
        var oversized: Set<TopicPartition> = []
        for topic in request.topics {
            guard allowed(context, .read, .topic, topic.name) else { unknown[topic.name] = .topicAuthorizationFailed; continue }
            guard let state = replicas.topic(topic.name) else { unknown[topic.name] = .unknownTopicOrPartition; continue }
            for partition in topic.partitions {
                let tp = TopicPartition(topic: topic.name, partition: PartitionID(partition.partitionIndex))
                guard partition.partitionIndex >= 0 && partition.partitionIndex < state.record.partitionCount else { missing.insert(tp); continue }
                // Kafka measures the string's length (UTF-16 units), not its bytes.
                guard (partition.committedMetadata?.utf16.count ?? 0) <= Self.offsetMetadataMaxLength else { oversized.insert(tp); continue }
                entries.append(CommittedOffset(topic: topic.name, partition: partition.partitionIndex, offset: partition.committedOffset,
                                               leaderEpoch: context.version >= 6 ? partition.committedLeaderEpoch : -1,
                                               metadata: partition.committedMetadata, commitMillis: now))
            }
        }
        let generation = context.version >= 1 ? request.generationIdOrMemberEpoch : -1
        let unknownTopics = unknown
        let (missingPartitions, oversizedPartitions) = (missing, oversized)
        // Answered once the commit is applied (a Raft entry of the group's offsets partition).
        groups.commit(groupID: request.groupId, generationID: generation, memberID: request.memberId,
                      groupInstanceID: context.version >= 7 ? request.groupInstanceId : nil, offsets: entries) { error in
            context.respond(.offsetCommit(OffsetCommitResponse(throttleTimeMs: 0, topics: request.topics.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map {
                    let tp = TopicPartition(topic: topic.name, partition: PartitionID($0.partitionIndex))
                    let code: KafkaError
                    if let refusal = unknownTopics[topic.name] {
                        code = refusal
                    } else if missingPartitions.contains(tp) {
                        code = .unknownTopicOrPartition
                    } else if error != .none {
                        code = error
                    } else {
                        code = oversizedPartitions.contains(tp) ? .offsetMetadataTooLarge : .none
                    }
                    return .init(partitionIndex: $0.partitionIndex, errorCode: code.code)
                })
            })))
        }
    }

    /// Kafka's `offset.metadata.max.bytes`: the metadata a commit may carry per partition (Kafka
    /// compares the string's length with it, in UTF-16 units).
    static let offsetMetadataMaxLength = 4_096

    func handleOffsetFetch(_ request: OffsetFetchRequest, _ context: RequestContext) {
        guard allowed(context, .describe, .group, request.groupId) else {
            return context.respond(.offsetFetch(OffsetFetchResponse(throttleTimeMs: 0, topics: [], errorCode: KafkaError.groupAuthorizationFailed.code)))
        }
        let stored: [CommittedOffset]
        do {
            stored = try groups.committed(groupID: request.groupId, topics: request.topics.map { Set($0.map(\.name)) })
        } catch {
            return context.respond(.offsetFetch(OffsetFetchResponse(throttleTimeMs: 0, topics: [], errorCode: KafkaError.kafkaStorageError.code)))
        }
        var byPartition: [String: [Int32: CommittedOffset]] = [:]
        for entry in stored { byPartition[entry.topic, default: [:]][entry.partition] = entry }
        let topics: [OffsetFetchResponse.Topic]
        if let requested = request.topics {
            // A partition without a commit answers -1 with no error; clients then use auto.offset.reset.
            topics = requested.map { topic in
                let visible = allowed(context, .describe, .topic, topic.name)
                return .init(name: topic.name, partitions: topic.partitionIndexes.map { index in
                    let entry = visible ? byPartition[topic.name]?[index] : nil
                    return .init(partitionIndex: index, committedOffset: entry?.offset ?? -1, committedLeaderEpoch: entry?.leaderEpoch ?? -1,
                                 metadata: entry?.metadata ?? "", errorCode: visible ? 0 : KafkaError.topicAuthorizationFailed.code)
                })
            }
        } else {
            topics = byPartition.keys.sorted().filter { allowed(context, .describe, .topic, $0) }.map { name in
                .init(name: name, partitions: (byPartition[name] ?? [:]).values.sorted { $0.partition < $1.partition }.map {
                    .init(partitionIndex: $0.partition, committedOffset: $0.offset, committedLeaderEpoch: $0.leaderEpoch, metadata: $0.metadata ?? "", errorCode: 0)
                })
            }
        }
        context.respond(.offsetFetch(OffsetFetchResponse(throttleTimeMs: 0, topics: topics, errorCode: 0)))
    }

    func handleListGroups(_ request: ListGroupsRequest, _ context: RequestContext) {
        let filter = Set(request.statesFilter.map { $0.lowercased() })
        // Describe on the cluster lists every group; otherwise only those the principal may describe.
        let listAll = allowed(context, .describe, .cluster, Principal.clusterResource)
        // Each broker lists the groups it coordinates (clients ask every broker).
        let listed = groups.list().filter { filter.isEmpty || filter.contains($0.state.rawValue.lowercased()) }
            .filter { cluster.isCoordinator(for: $0.groupID) }
            .filter { listAll || allowed(context, .describe, .group, $0.groupID) }
        context.respond(.listGroups(ListGroupsResponse(throttleTimeMs: 0, errorCode: 0, groups: listed.map {
            .init(groupId: $0.groupID, protocolType: $0.protocolType, groupState: $0.state.rawValue)
        })))
    }

    func handleDescribeGroups(_ request: DescribeGroupsRequest, _ context: RequestContext) {
        // Each group described once, as Kafka does (a repeated id would repeat every member's metadata).
        let described = request.groups.firstOccurrences.map { id -> DescribeGroupsResponse.Group in
            guard allowed(context, .describe, .group, id) else {
                return .init(errorCode: KafkaError.groupAuthorizationFailed.code, groupId: id, groupState: "", protocolType: "", protocolData: "", members: [])
            }
            guard let group = groups.describe(groupID: id) else {
                // Kafka describes an unknown group as Dead with no members, not as an error.
                return .init(errorCode: 0, groupId: id, groupState: GroupState.dead.rawValue, protocolType: "", protocolData: "", members: [])
            }
            return .init(errorCode: 0, groupId: id, groupState: group.state.rawValue, protocolType: group.protocolType, protocolData: group.protocolName,
                         members: group.members.map {
                             .init(memberId: $0.memberID, groupInstanceId: $0.groupInstanceID, clientId: $0.clientID, clientHost: $0.clientHost,
                                   memberMetadata: $0.metadata, memberAssignment: $0.assignment)
                         })
        }
        context.respond(.describeGroups(DescribeGroupsResponse(throttleTimeMs: 0, groups: described)))
    }

    func handleDeleteGroups(_ request: DeleteGroupsRequest, _ context: RequestContext) {
        let names = request.groupsNames
        let results = Mutex((codes: [Int16](repeating: 0, count: names.count), left: names.count))
        guard !names.isEmpty else { return context.respond(.deleteGroups(DeleteGroupsResponse(throttleTimeMs: 0, results: []))) }
        for (index, name) in names.enumerated() {
            let permitted = allowed(context, .delete, .group, name)
            let delete: (@escaping @Sendable (KafkaError) -> Void) -> Void = { [groups] done in
                permitted ? groups.delete(groupID: name, done: done) : done(.groupAuthorizationFailed)
            }
            delete { error in
                let finished = results.withLock { state -> [Int16]? in
                    state.codes[index] = error.code
                    state.left -= 1
                    return state.left == 0 ? state.codes : nil
                }
                guard let codes = finished else { return }
                context.respond(.deleteGroups(DeleteGroupsResponse(throttleTimeMs: 0, results: zip(names, codes).map { .init(groupId: $0, errorCode: $1) })))
            }
        }
    }

    func handleOffsetDelete(_ request: OffsetDeleteRequest, _ context: RequestContext) {
        guard allowed(context, .delete, .group, request.groupId) else {
            return context.respond(.offsetDelete(OffsetDeleteResponse(errorCode: KafkaError.groupAuthorizationFailed.code, throttleTimeMs: 0, topics: [])))
        }
        // Kafka also wants Read on each topic; the others' partitions are answered without being touched.
        let readable = Set(request.topics.map(\.name).filter { allowed(context, .read, .topic, $0) })
        let partitions = request.topics.filter { readable.contains($0.name) }.flatMap { topic in
            topic.partitions.map { (topic: topic.name, partition: $0.partitionIndex) }
        }
        groups.deleteOffsets(groupID: request.groupId, partitions: partitions, subscribedTopics: { description in
            Set(description.members.flatMap { ConsumerProtocol.subscribedTopics($0.metadata) })
        }, done: { error, errors in
            var index = 0
            let topics = request.topics.map { topic in
                OffsetDeleteResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                    guard readable.contains(topic.name) else { return .init(partitionIndex: partition.partitionIndex, errorCode: KafkaError.topicAuthorizationFailed.code) }
                    defer { index += 1 }
                    return .init(partitionIndex: partition.partitionIndex, errorCode: index < errors.count ? errors[index].code : error.code)
                })
            }
            context.respond(.offsetDelete(OffsetDeleteResponse(errorCode: error.code, throttleTimeMs: 0, topics: error == .none ? topics : [])))
        })
    }
}

/// The embedded consumer protocol (`ConsumerProtocolSubscription`): decoded only to describe
/// groups; the broker stores and forwards the bytes untouched.
enum ConsumerProtocol {
    /// The topics of a subscription (any version: they always come first after the version).
    static func subscribedTopics(_ metadata: [UInt8]) -> [String] {
        var reader = ByteReader(metadata)
        guard (try? reader.readInt16()) != nil, let count = try? reader.readArrayCount(minimumElementBytes: 2, nullable: true) else { return [] }
        var topics: [String] = []
        for _ in 0..<count {
            guard let topic = try? reader.readString() else { break }
            topics.append(topic)
        }
        return topics
    }
}
