import SluiceCore
import SluiceWire

extension KafkaBroker {
    /// Each topic is one controller change; the response goes once all of them are answered.
    func handleCreateTopics(_ request: CreateTopicsRequest, _ context: RequestContext) {
        let gather = Gather<CreateTopicsResponse.Topic>(count: request.topics.count) { results in
            context.respond(.createTopics(CreateTopicsResponse(throttleTimeMs: 0, topics: results)))
        }
        var seen: Set<String> = []
        let clusterWide = allowed(context, .create, .cluster, Principal.clusterResource)
        for (index, topic) in request.topics.enumerated() {
            guard seen.insert(topic.name).inserted else {
                gather.set(index, CreateTopicsResponse.Topic(name: topic.name, errorCode: KafkaError.invalidRequest.code,
                                                             errorMessage: "topic '\(topic.name)' appears twice in the request", numPartitions: -1, replicationFactor: -1))
                continue
            }
            guard clusterWide || allowed(context, .create, .topic, topic.name) else {
                gather.set(index, CreateTopicsResponse.Topic(name: topic.name, errorCode: KafkaError.topicAuthorizationFailed.code,
                                                             errorMessage: "\(context.principal) may not Create topic \(topic.name)", numPartitions: -1, replicationFactor: -1))
                continue
            }
            createTopic(topic, validateOnly: request.validateOnly) { gather.set(index, $0) }
        }
    }

    private func createTopic(_ topic: CreateTopicsRequest.Topic, validateOnly: Bool, done: @escaping @Sendable (CreateTopicsResponse.Topic) -> Void) {
        var answer = CreateTopicsResponse.Topic(name: topic.name, errorCode: 0, numPartitions: -1, replicationFactor: -1)
        func fail(_ code: KafkaError, _ message: String) -> CreateTopicsResponse.Topic {
            answer.errorCode = code.code
            answer.errorMessage = message
            return answer
        }
        var partitions = topic.numPartitions == -1 ? config.numPartitions : topic.numPartitions
        var replication = topic.replicationFactor == -1 ? effectiveDefaultReplicationFactor : topic.replicationFactor
        var explicitPlacement: [[Int32]]?
        if !topic.assignments.isEmpty {
            guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
                return done(fail(.invalidRequest, "give either assignments or partition count and replication factor, not both"))
            }
            guard Set(topic.assignments.map(\.partitionIndex)) == Set(0..<Int32(topic.assignments.count)) else {
                return done(fail(.invalidReplicaAssignment, "assignments must number partitions from 0 without gaps"))
            }
            let registered = Set(cluster.brokers.map(\.nodeID))
            let sorted = topic.assignments.sorted { $0.partitionIndex < $1.partitionIndex }
            let counts = Set(sorted.map(\.brokerIds.count))
            guard counts.count == 1, let count = counts.first, count >= 1,
                  sorted.allSatisfy({ Set($0.brokerIds).count == $0.brokerIds.count && $0.brokerIds.allSatisfy(registered.contains) }) else {
                return done(fail(.invalidReplicaAssignment, "every partition needs the same number of distinct, registered brokers (registered: \(registered.sorted()))"))
            }
            explicitPlacement = sorted.map(\.brokerIds)
            replication = Int16(count)
            partitions = Int32(topic.assignments.count)
        }
        var configs: [String: String] = [:]
        for entry in topic.configs {
            guard let value = entry.value else { return done(fail(.invalidConfig, "config '\(entry.name)' has no value")) }
            configs[entry.name] = value
        }
        answer.numPartitions = partitions
        answer.replicationFactor = replication
        let accepted = answer
        replicas.createTopic(name: topic.name, partitions: partitions, replicationFactor: replication, configs: configs,
                             validateOnly: validateOnly, assignments: explicitPlacement) { error in
            guard let error else { return done(accepted) }
            var refused = accepted
            refused.numPartitions = -1
            refused.replicationFactor = -1
            refused.errorCode = error.code.code
            refused.errorMessage = error.message
            done(refused)
        }
    }

    func handleDeleteTopics(_ request: DeleteTopicsRequest, _ context: RequestContext) {
        let names = context.version >= 6 ? request.topics.compactMap(\.name) : request.topicNames
        let gather = Gather<DeleteTopicsResponse.Topic>(count: names.count) { results in
            context.respond(.deleteTopics(DeleteTopicsResponse(throttleTimeMs: 0, responses: results)))
        }
        for (index, name) in names.enumerated() {
            guard allowed(context, .delete, .topic, name) else {
                gather.set(index, DeleteTopicsResponse.Topic(name: name, errorCode: KafkaError.topicAuthorizationFailed.code,
                                                             errorMessage: "\(context.principal) may not Delete topic \(name)"))
                continue
            }
            replicas.deleteTopic(name: name) { error in
                gather.set(index, DeleteTopicsResponse.Topic(name: name, errorCode: error?.code.code ?? 0, errorMessage: error?.message))
            }
        }
    }

    func handleCreatePartitions(_ request: CreatePartitionsRequest, _ context: RequestContext) {
        let gather = Gather<CreatePartitionsResponse.Topic>(count: request.topics.count) { results in
            context.respond(.createPartitions(CreatePartitionsResponse(throttleTimeMs: 0, results: results)))
        }
        let registered = Set(cluster.brokers.map(\.nodeID))
        for (index, topic) in request.topics.enumerated() {
            guard allowed(context, .alter, .topic, topic.name) else {
                gather.set(index, .init(name: topic.name, errorCode: KafkaError.topicAuthorizationFailed.code,
                                        errorMessage: "\(context.principal) may not Alter topic \(topic.name)"))
                continue
            }
            if let assignments = topic.assignments,
               !assignments.allSatisfy({ !$0.brokerIds.isEmpty && Set($0.brokerIds).count == $0.brokerIds.count && $0.brokerIds.allSatisfy(registered.contains) }) {
                gather.set(index, .init(name: topic.name, errorCode: KafkaError.invalidReplicaAssignment.code,
                                        errorMessage: "every new partition needs distinct, registered brokers (registered: \(registered.sorted()))"))
                continue
            }
            replicas.createPartitions(name: topic.name, totalCount: topic.count, validateOnly: request.validateOnly,
                                      assignments: topic.assignments?.map(\.brokerIds)) { error in
                gather.set(index, .init(name: topic.name, errorCode: error?.code.code ?? 0, errorMessage: error?.message))
            }
        }
    }

    /// Each partition's log start moves on the Raft thread; the answer goes once all have.
    func handleDeleteRecords(_ request: DeleteRecordsRequest, _ context: RequestContext) {
        typealias Answer = DeleteRecordsResponse.Topic.Partition
        let wanted = request.topics.flatMap { topic in topic.partitions.map { (topic: topic.name, partition: $0) } }
        let gather = Gather<Answer>(count: wanted.count) { answers in
            var next = 0
            let topics = request.topics.map { topic in
                DeleteRecordsResponse.Topic(name: topic.name, partitions: topic.partitions.map { _ in
                    defer { next += 1 }
                    return answers[next]
                })
            }
            context.respond(.deleteRecords(DeleteRecordsResponse(throttleTimeMs: 0, topics: topics)))
        }
        for (index, (topic, partitionRequest)) in wanted.enumerated() {
            let answer: @Sendable (Int64, KafkaError) -> Void = { low, error in
                gather.set(index, Answer(partitionIndex: partitionRequest.partitionIndex, lowWatermark: low, errorCode: error.code))
            }
            guard allowed(context, .delete, .topic, topic) else { answer(-1, .topicAuthorizationFailed); continue }
            // Committed offsets are read back from this log by every replica that joins or falls
            // behind: cutting it would lose them there (Kafka refuses it too: the topic is compacted).
            guard topic != ClusterNode.offsetsTopic else { answer(-1, .policyViolation); continue }
            guard let partition = replicas.partition(topic, partitionRequest.partitionIndex) else { answer(-1, .unknownTopicOrPartition); continue }
            let highWatermark = partition.highWatermark
            let target = partitionRequest.offset == -1 ? highWatermark : partitionRequest.offset
            guard target >= 0, target <= highWatermark else { answer(-1, .offsetOutOfRange); continue }
            cluster.deleteRecords(TopicPartition(topic: topic, partition: PartitionID(partitionRequest.partitionIndex)), before: target) { low in
                if let low { answer(low, .none) } else { answer(-1, .notLeaderOrFollower) }
            }
        }
    }

    func handleInitProducerId(_ request: InitProducerIdRequest, _ context: RequestContext) {
        guard request.transactionalId == nil else {
            return context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: KafkaError.invalidRequest.code, producerId: -1, producerEpoch: -1)))
        }
        // KIP-679: an idempotent producer needs IdempotentWrite on the cluster, or Write on some topic.
        let writesSomewhere = allowed(context, .idempotentWrite, .cluster, Principal.clusterResource)
            || replicas.allTopics.contains { allowed(context, .write, .topic, $0.record.name) }
        guard writesSomewhere else {
            return context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: KafkaError.clusterAuthorizationFailed.code,
                                                                          producerId: -1, producerEpoch: -1)))
        }
        do {
            context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: 0, producerId: try nextProducerID(), producerEpoch: 0)))
        } catch {
            context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: KafkaError.kafkaStorageError.code, producerId: -1, producerEpoch: -1)))
        }
    }
}
