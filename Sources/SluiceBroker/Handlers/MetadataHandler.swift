import SluiceCore
import SluiceMeta
import SluiceWire

extension KafkaBroker {
    /// Topics a request names that do not exist are created first when auto-creation is on (on
    /// the controller; elsewhere the controller is asked and the client told to retry); the
    /// answer goes once those creations are answered.
    func handleMetadata(_ request: MetadataRequest, _ context: RequestContext) {
        // v0: an empty list means all topics; v1+: null means all, empty means none. From v12 a
        // topic may be named by its id alone (answered apart: never auto-created).
        let requested: [String]?
        var byID: [WireUUID] = []
        if let topics = request.topics, !(context.version == 0 && topics.isEmpty) {
            // Each name answered once, as Kafka does: a repeated name would otherwise cost a
            // whole topic's answer per repetition (a few bytes in, kilobytes out).
            requested = topics.compactMap(\.name).firstOccurrences
            byID = topics.filter { $0.name == nil }.map(\.topicId).firstOccurrences
        } else {
            requested = nil
        }
        let autoCreate = config.autoCreateTopics && (context.version < 4 || request.allowAutoTopicCreation)
        var refused: [String: KafkaError] = [:]
        var seen = Set<String>()
        var toCreate: [String] = []  // here, on the controller
        var toRequest: [String] = [] // of the controller, from another node
        for name in requested ?? [] where autoCreate && seen.insert(name).inserted && replicas.topic(name) == nil {
            // A bound on what one request sets off: the names past it are answered
            // LEADER_NOT_AVAILABLE and created when the client asks again.
            guard toCreate.count + toRequest.count < Self.autoCreationsPerRequestMax else { break }
            do throws(ReplicaManager.TopicError) { try ReplicaManager.validateName(name) } catch {
                refused[name] = error.code
                continue
            }
            // Auto-creation is a CreateTopics: it needs Create on the cluster or on the topic.
            guard allowed(context, .create, .cluster, Principal.clusterResource) || allowed(context, .create, .topic, name) else {
                refused[name] = .unknownTopicOrPartition
                continue
            }
            if cluster.isControllerLeader { toCreate.append(name) } else { toRequest.append(name) }
        }
        if !toRequest.isEmpty { cluster.requestTopicCreation(toRequest) }
        let refusedNames = refused
        let ids = byID
        let creations = Gather<(String, ReplicaManager.TopicError?)>(count: toCreate.count) { [self] outcomes in
            var failed = refusedNames
            for case let (name, error?) in outcomes where replicas.topic(name) == nil { failed[name] = error.code }
            respondMetadata(request, requested, byID: ids, autoCreate: autoCreate, refused: failed, context)
        }
        for (index, name) in toCreate.enumerated() {
            replicas.createTopic(name: name, partitions: config.numPartitions, replicationFactor: effectiveDefaultReplicationFactor, configs: [:]) { error in
                creations.set(index, (name, error))
            }
        }
    }

    /// The controller id a Metadata answer names. Clients send CreateTopics and the other
    /// controller requests to that node, and while it is missing from the answer's broker list
    /// they wait (librdkafka's AdminClient waited out its whole timeout). After a controller
    /// failover this node may know the new leader before it has applied the leader's
    /// registration (or its unfencing), so then it names itself: every node forwards controller
    /// requests to the leader (`ControllerForwarder`), as a KRaft broker names some live broker.
    /// With no leader known it names none (-1), so clients and operators see there is none.
    static func advertisedController(leader: Int32?, listed: [Int32], this: Int32) -> Int32 {
        guard let leader else { return -1 }
        if listed.contains(leader) { return leader }
        return listed.contains(this) ? this : -1
    }

    private func respondMetadata(_ request: MetadataRequest, _ requested: [String]?, byID: [WireUUID], autoCreate: Bool,
                                 refused: [String: KafkaError], _ context: RequestContext) {
        let listener = context.connection.listener
        var topics: [MetadataResponse.Topic] = requested.map { names in
            names.map { name in
                guard allowed(context, .describe, .topic, name) else {
                    return MetadataResponse.Topic(errorCode: KafkaError.topicAuthorizationFailed.code, name: name, partitions: [])
                }
                if let topic = replicas.topic(name) { return metadataTopic(topic, cluster, listener: listener, version: context.version) }
                // Not there: refused, unknown, or being created by the controller (retry).
                let error = refused[name] ?? (autoCreate ? .leaderNotAvailable : .unknownTopicOrPartition)
                return MetadataResponse.Topic(errorCode: error.code, name: name, partitions: [])
            }
        } ?? replicas.allTopics.filter { allowed(context, .describe, .topic, $0.record.name) }.map {
            metadataTopic($0, cluster, listener: listener, version: context.version)
        }
        if !byID.isEmpty {
            let index = replicas.topicsByID()
            topics += byID.map { metadataTopic(id: $0, in: index, context) }
        }
        if context.version >= 8 && request.includeTopicAuthorizedOperations {
            for index in topics.indices where topics[index].errorCode == 0 {
                topics[index].topicAuthorizedOperations = authorizedOperations(context, .topic, topics[index].name ?? "")
            }
        }
        // Each broker at its address for the listener this client came in on.
        var brokers = cluster.brokers.filter { !$0.fenced }.compactMap { broker in
            address(of: broker, listener: listener).map { MetadataResponse.Broker(nodeId: broker.nodeID, host: $0.host, port: $0.port, rack: broker.rack) }
        }
        if !brokers.contains(where: { $0.nodeId == config.nodeID }), let own = advertisedAddress(of: listener) {
            brokers.append(MetadataResponse.Broker(nodeId: config.nodeID, host: own.host, port: Int32(own.port), rack: config.rack))
        }
        let controller = Self.advertisedController(leader: cluster.controllerLeader?.rawValue, listed: brokers.map(\.nodeId),
                                                   this: config.nodeID)
        var response = MetadataResponse(throttleTimeMs: 0, brokers: brokers.sorted { $0.nodeId < $1.nodeId }, clusterId: clusterID,
                                        controllerId: controller, topics: topics)
        if (8...10).contains(context.version) && request.includeClusterAuthorizedOperations {
            response.clusterAuthorizedOperations = authorizedOperations(context, .cluster, Principal.clusterResource)
        }
        context.respond(.metadata(response))
    }

    /// A topic asked for by id (Kafka's rules): ids only from v12 (INVALID_REQUEST before, where
    /// a name may not be null); an unknown id gets UNKNOWN_TOPIC_ID; a topic the principal may
    /// not describe gets TOPIC_AUTHORIZATION_FAILED without its name.
    private func metadataTopic(id: WireUUID, in index: [[UInt8]: ReplicaManager.TopicState], _ context: RequestContext) -> MetadataResponse.Topic {
        func refused(_ error: KafkaError) -> MetadataResponse.Topic { MetadataResponse.Topic(errorCode: error.code, name: nil, topicId: id, partitions: []) }
        guard context.version >= 12 else { return refused(.invalidRequest) }
        guard let topic = index[id.bytes] else { return refused(.unknownTopicID) }
        guard allowed(context, .describe, .topic, topic.record.name) else { return refused(.topicAuthorizationFailed) }
        return metadataTopic(topic, cluster, listener: context.connection.listener, version: context.version)
    }

    /// Topics one Metadata request may have auto-created (the inter-node heartbeat carries as many).
    static let autoCreationsPerRequestMax = 1_000

    /// The operations (KIP-430) the request's principal may perform on a topic or the cluster,
    /// as Kafka's bit field: bit n set for the ACL operation numbered n.
    private func authorizedOperations(_ context: RequestContext, _ type: AclResourceType, _ name: String) -> Int32 {
        let candidates: [AclOperation] = type == .cluster
            ? [.create, .clusterAction, .describeConfigs, .alterConfigs, .idempotentWrite, .alter, .describe]
            : [.read, .write, .create, .delete, .alter, .describe, .describeConfigs, .alterConfigs]
        return candidates.filter { allowed(context, $0, type, name) }.reduce(Int32(0)) { $0 | (1 << Int32($1.rawValue)) }
    }
}

extension KafkaBroker {
    /// Where clients of `listener` reach `broker`: its recorded endpoint of that name; for a
    /// node that reported none (one that predates several listeners), its registered address;
    /// nil when it does not serve that listener. This node answers from its own configuration.
    func address(of broker: BrokerRecord, listener: String) -> (host: String, port: Int32)? {
        if broker.nodeID == config.nodeID { return advertisedAddress(of: listener).map { ($0.host, Int32($0.port)) } }
        if broker.endpoints.isEmpty { return (broker.host, broker.port) }
        return broker.endpoints.first { $0.listener == listener }.map { ($0.host, $0.port) }
    }

    /// A topic as the cluster knows it: placement from the controller log; the leader from this
    /// node's own Raft group when it holds a replica (fresher), else the last leader the controller
    /// recorded, if that broker is alive. A leader without the client's listener is no leader to
    /// it (LISTENER_NOT_FOUND, as Kafka answers).
    func metadataTopic(_ topic: ReplicaManager.TopicState, _ cluster: ClusterNode, listener: String, version: Int16) -> MetadataResponse.Topic {
        let liveBrokers = cluster.brokers.filter { !$0.fenced }
        let live = Set(liveBrokers.map(\.nodeID))
        let unreachable = Set(liveBrokers.filter { address(of: $0, listener: listener) == nil }.map(\.nodeID))
        return MetadataResponse.Topic(
            errorCode: 0, name: topic.record.name, topicId: WireUUID(bytes: topic.record.topicID.count == 16 ? topic.record.topicID : Array(repeating: 0, count: 16)),
            isInternal: topic.record.name.hasPrefix("__"),
            partitions: (0..<topic.record.partitionCount).map { index in
                let tp = TopicPartition(topic: topic.record.name, partition: PartitionID(index))
                guard let placement = cluster.placement(tp) else {
                    return MetadataResponse.Topic.Partition(errorCode: KafkaError.leaderNotAvailable.code, partitionIndex: index, leaderId: -1, leaderEpoch: -1,
                                                            replicaNodes: [], isrNodes: [], offlineReplicas: [])
                }
                // A replica's own view wins unless the controller has heard of a newer term; a
                // replica that knows of no leader says so rather than repeat a stale record.
                var leader = placement.leader
                var epoch = Int32(clamping: placement.leaderEpoch)
                if let local = cluster.leadership(tp) {
                    if local.isLocalLeader {
                        leader = config.nodeID
                        epoch = Self.leaderEpoch(local.term)
                    } else if Int64(local.term.rawValue) >= placement.leaderEpoch {
                        leader = local.leader?.rawValue ?? -1
                        epoch = Self.leaderEpoch(local.term)
                    } else if leader == config.nodeID {
                        leader = -1 // never claim a leadership this node does not hold (a restart, a stale record)
                    }
                }
                if !live.contains(leader) && leader != config.nodeID { leader = -1 }
                var errorCode = leader >= 0 ? 0 : KafkaError.leaderNotAvailable.code
                if unreachable.contains(leader) {
                    leader = -1
                    // LISTENER_NOT_FOUND exists from v6; older clients know LEADER_NOT_AVAILABLE.
                    errorCode = (version >= 6 ? KafkaError.listenerNotFound : .leaderNotAvailable).code
                }
                // The in-sync set (match index reached the leader's log end within
                // replica.lag.time.max.ms): the leader's own measure here, elsewhere what the
                // current leader last reported to the controller; only without either, the live
                // replicas. A fenced broker leaves the set at once, as in Kafka.
                let localView = cluster.leadership(tp)
                let alive = placement.replicas.filter { live.contains($0) || $0 == config.nodeID }
                let measured = localView?.isLocalLeader == true && !(localView?.inSync.isEmpty ?? true) ? localView?.inSync : placement.currentISR
                let isr = measured.map { set in alive.filter(set.contains) } ?? alive
                return MetadataResponse.Topic.Partition(
                    errorCode: errorCode, partitionIndex: index, leaderId: leader, leaderEpoch: epoch,
                    replicaNodes: placement.holders, isrNodes: isr, offlineReplicas: placement.holders.filter { !live.contains($0) && $0 != config.nodeID })
            })
    }
}
