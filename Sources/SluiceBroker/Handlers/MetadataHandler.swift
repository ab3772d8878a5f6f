import SluiceWire

extension KafkaBroker {
    func handleMetadata(_ request: MetadataRequest, _ context: RequestContext) {
        let (host, port) = advertisedAddress
        let broker = MetadataResponse.Broker(nodeId: config.nodeID, host: host, port: Int32(port), rack: nil)
        // v0: an empty list means all topics; v1+: null means all, empty means none.
        let requested: [String]?
        if let topics = request.topics, !(context.version == 0 && topics.isEmpty) {
            requested = topics.compactMap(\.name)
        } else {
            requested = nil
        }
        let autoCreate = config.autoCreateTopics && (context.version < 4 || request.allowAutoTopicCreation)
        var topics: [MetadataResponse.Topic] = []
        if let requested {
            for name in requested {
                if let topic = replicas.topic(name) {
                    topics.append(metadataTopic(topic))
                    continue
                }
                guard autoCreate else {
                    topics.append(.init(errorCode: KafkaError.unknownTopicOrPartition.code, name: name, partitions: []))
                    continue
                }
                do throws(ReplicaManager.TopicError) {
                    if let created = try replicas.createTopic(name: name, partitions: config.numPartitions, replicationFactor: config.defaultReplicationFactor, configs: [:]) {
                        topics.append(metadataTopic(created))
                    }
                } catch {
                    // Another request may have created it meanwhile.
                    if let topic = replicas.topic(name) { topics.append(metadataTopic(topic)) } else {
                        topics.append(.init(errorCode: error.code.code, name: name, partitions: []))
                    }
                }
            }
        } else {
            topics = replicas.allTopics.map(metadataTopic)
        }
        context.respond(.metadata(MetadataResponse(throttleTimeMs: 0, brokers: [broker], clusterId: clusterID, controllerId: config.nodeID, topics: topics)))
    }

    private func metadataTopic(_ topic: ReplicaManager.TopicState) -> MetadataResponse.Topic {
        let node = config.nodeID
        return MetadataResponse.Topic(
            errorCode: 0, name: topic.record.name, topicId: WireUUID(bytes: topic.record.topicID.count == 16 ? topic.record.topicID : Array(repeating: 0, count: 16)),
            isInternal: topic.record.name.hasPrefix("__"),
            partitions: (0..<topic.record.partitionCount).map { index in
                // Leader epochs are hidden (-1): OffsetForLeaderEpoch is not served, so clients skip KIP-320 validation.
                MetadataResponse.Topic.Partition(errorCode: 0, partitionIndex: index, leaderId: node, leaderEpoch: -1, replicaNodes: [node], isrNodes: [node], offlineReplicas: [])
            })
    }
}
