import SluiceCore
import SluiceWire

extension KafkaBroker {
    func handleCreateTopics(_ request: CreateTopicsRequest, _ context: RequestContext) {
        var seen: Set<String> = []
        let results = request.topics.map { topic -> CreateTopicsResponse.Topic in
            var answer = CreateTopicsResponse.Topic(name: topic.name, errorCode: 0, numPartitions: -1, replicationFactor: -1)
            func fail(_ code: KafkaError, _ message: String) {
                answer.errorCode = code.code
                answer.errorMessage = message
            }
            guard seen.insert(topic.name).inserted else {
                fail(.invalidRequest, "topic '\(topic.name)' appears twice in the request")
                return answer
            }
            var partitions = topic.numPartitions == -1 ? config.numPartitions : topic.numPartitions
            var replication = topic.replicationFactor == -1 ? effectiveDefaultReplicationFactor : topic.replicationFactor
            var explicitPlacement: [[Int32]]?
            if !topic.assignments.isEmpty {
                guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
                    fail(.invalidRequest, "give either assignments or partition count and replication factor, not both")
                    return answer
                }
                guard Set(topic.assignments.map(\.partitionIndex)) == Set(0..<Int32(topic.assignments.count)) else {
                    fail(.invalidReplicaAssignment, "assignments must number partitions from 0 without gaps")
                    return answer
                }
                let registered = Set(cluster.brokers.map(\.nodeID))
                let sorted = topic.assignments.sorted { $0.partitionIndex < $1.partitionIndex }
                let counts = Set(sorted.map(\.brokerIds.count))
                guard counts.count == 1, let count = counts.first, count >= 1,
                      sorted.allSatisfy({ Set($0.brokerIds).count == $0.brokerIds.count && $0.brokerIds.allSatisfy(registered.contains) }) else {
                    fail(.invalidReplicaAssignment, "every partition needs the same number of distinct, registered brokers (registered: \(registered.sorted()))")
                    return answer
                }
                explicitPlacement = sorted.map(\.brokerIds)
                replication = Int16(count)
                partitions = Int32(topic.assignments.count)
            }
            var configs: [String: String] = [:]
            for entry in topic.configs {
                guard let value = entry.value else {
                    fail(.invalidConfig, "config '\(entry.name)' has no value")
                    return answer
                }
                configs[entry.name] = value
            }
            do throws(ReplicaManager.TopicError) {
                try replicas.createTopic(name: topic.name, partitions: partitions, replicationFactor: replication, configs: configs,
                                         validateOnly: request.validateOnly, assignments: explicitPlacement)
                answer.numPartitions = partitions
                answer.replicationFactor = replication
            } catch {
                fail(error.code, error.message)
            }
            return answer
        }
        context.respond(.createTopics(CreateTopicsResponse(throttleTimeMs: 0, topics: results)))
    }

    func handleDeleteTopics(_ request: DeleteTopicsRequest, _ context: RequestContext) {
        let names = context.version >= 6 ? request.topics.compactMap(\.name) : request.topicNames
        let results = names.map { name -> DeleteTopicsResponse.Topic in
            do throws(ReplicaManager.TopicError) {
                try replicas.deleteTopic(name: name)
                return DeleteTopicsResponse.Topic(name: name, errorCode: 0)
            } catch {
                return DeleteTopicsResponse.Topic(name: name, errorCode: error.code.code, errorMessage: error.message)
            }
        }
        context.respond(.deleteTopics(DeleteTopicsResponse(throttleTimeMs: 0, responses: results)))
    }

    func handleCreatePartitions(_ request: CreatePartitionsRequest, _ context: RequestContext) {
        let results = request.topics.map { topic -> CreatePartitionsResponse.Topic in
            let registered = Set(cluster.brokers.map(\.nodeID))
            if let assignments = topic.assignments,
               !assignments.allSatisfy({ !$0.brokerIds.isEmpty && Set($0.brokerIds).count == $0.brokerIds.count && $0.brokerIds.allSatisfy(registered.contains) }) {
                return .init(name: topic.name, errorCode: KafkaError.invalidReplicaAssignment.code,
                             errorMessage: "every new partition needs distinct, registered brokers (registered: \(registered.sorted()))")
            }
            do throws(ReplicaManager.TopicError) {
                try replicas.createPartitions(name: topic.name, totalCount: topic.count, validateOnly: request.validateOnly,
                                              assignments: topic.assignments?.map(\.brokerIds))
                return .init(name: topic.name, errorCode: 0)
            } catch {
                return .init(name: topic.name, errorCode: error.code.code, errorMessage: error.message)
            }
        }
        context.respond(.createPartitions(CreatePartitionsResponse(throttleTimeMs: 0, results: results)))
    }

    func handleDeleteRecords(_ request: DeleteRecordsRequest, _ context: RequestContext) {
        let topics = request.topics.map { topic in
            DeleteRecordsResponse.Topic(name: topic.name, partitions: topic.partitions.map { wanted in
                guard let partition = replicas.partition(topic.name, wanted.partitionIndex) else {
                    return .init(partitionIndex: wanted.partitionIndex, lowWatermark: -1, errorCode: KafkaError.unknownTopicOrPartition.code)
                }
                let highWatermark = partition.highWatermark
                let target = wanted.offset == -1 ? highWatermark : wanted.offset
                guard target >= 0, target <= highWatermark else {
                    return .init(partitionIndex: wanted.partitionIndex, lowWatermark: -1, errorCode: KafkaError.offsetOutOfRange.code)
                }
                let tp = TopicPartition(topic: topic.name, partition: PartitionID(wanted.partitionIndex))
                guard let low = cluster.deleteRecords(tp, before: target) else {
                    return .init(partitionIndex: wanted.partitionIndex, lowWatermark: -1, errorCode: KafkaError.notLeaderOrFollower.code)
                }
                return .init(partitionIndex: wanted.partitionIndex, lowWatermark: low, errorCode: 0)
            })
        }
        context.respond(.deleteRecords(DeleteRecordsResponse(throttleTimeMs: 0, topics: topics)))
    }

    func handleInitProducerId(_ request: InitProducerIdRequest, _ context: RequestContext) {
        guard request.transactionalId == nil else {
            return context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: KafkaError.invalidRequest.code, producerId: -1, producerEpoch: -1)))
        }
        do {
            context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: 0, producerId: try nextProducerID(), producerEpoch: 0)))
        } catch {
            context.respond(.initProducerId(InitProducerIdResponse(throttleTimeMs: 0, errorCode: KafkaError.kafkaStorageError.code, producerId: -1, producerEpoch: -1)))
        }
    }
}
