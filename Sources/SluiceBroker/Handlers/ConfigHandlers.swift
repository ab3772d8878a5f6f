import SluiceWire

extension KafkaBroker {
    /// Kafka's config resource types.
    enum ConfigResource: Int8 {
        case topic = 2
        case broker = 4
    }

    /// Kafka's config sources (DescribeConfigs v1+).
    enum ConfigSource: Int8 {
        case dynamicTopic = 1
        case staticBroker = 4
        case defaultConfig = 5
    }

    /// The broker settings shown by DescribeConfigs on a BROKER resource (read-only here).
    var brokerConfigEntries: [(String, String)] {
        [("node.id", String(config.nodeID)), ("log.dirs", config.logDirectory), ("num.partitions", String(config.numPartitions)),
         ("default.replication.factor", String(effectiveDefaultReplicationFactor)), ("auto.create.topics.enable", String(config.autoCreateTopics)),
         ("message.max.bytes", String(config.messageMaxBytes)), ("socket.request.max.bytes", String(config.socketRequestMaxBytes)),
         ("log.segment.bytes", String(config.segmentBytes)), ("log.retention.ms", String(config.retentionMillis)),
         ("log.retention.bytes", String(config.retentionBytes))]
    }

    func handleDescribeConfigs(_ request: DescribeConfigsRequest, _ context: RequestContext) {
        let results = request.resources.map { resource -> DescribeConfigsResponse.Resource in
            var answer = DescribeConfigsResponse.Resource(errorCode: 0, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [])
            let wanted = resource.configurationKeys.map(Set.init)
            switch ConfigResource(rawValue: resource.resourceType) {
            case .topic?:
                guard let topic = replicas.topic(resource.resourceName) else {
                    answer.errorCode = KafkaError.unknownTopicOrPartition.code
                    answer.errorMessage = "topic '\(resource.resourceName)' does not exist"
                    return answer
                }
                answer.configs = TopicConfig.effective(topic.record.configs, defaults: config)
                    .filter { wanted?.contains($0.key) ?? true }
                    .map { entry in
                        let source: ConfigSource = entry.isDefault ? .defaultConfig : .dynamicTopic
                        return DescribeConfigsResponse.Resource.Config(
                            name: entry.key, value: entry.value, readOnly: false, isDefault: entry.isDefault,
                            configSource: context.version >= 1 ? source.rawValue : -1, isSensitive: false,
                            synonyms: request.includeSynonyms ? [.init(name: entry.key, value: entry.value, source: source.rawValue)] : [])
                    }
            case .broker?:
                guard resource.resourceName.isEmpty || resource.resourceName == String(config.nodeID) else {
                    answer.errorCode = KafkaError.invalidRequest.code
                    answer.errorMessage = "this is broker \(config.nodeID), not '\(resource.resourceName)'"
                    return answer
                }
                answer.configs = brokerConfigEntries.filter { wanted?.contains($0.0) ?? true }.map { name, value in
                    DescribeConfigsResponse.Resource.Config(name: name, value: value, readOnly: true, isDefault: false,
                                                   configSource: context.version >= 1 ? ConfigSource.staticBroker.rawValue : -1, isSensitive: false)
                }
            case nil:
                answer.errorCode = KafkaError.invalidRequest.code
                answer.errorMessage = "resource type \(resource.resourceType) is not described here (2 = topic, 4 = broker)"
            }
            return answer
        }
        context.respond(.describeConfigs(DescribeConfigsResponse(throttleTimeMs: 0, results: results)))
    }

    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, _ context: RequestContext) {
        let results = request.resources.map { resource -> IncrementalAlterConfigsResponse.Resource in
            var answer = IncrementalAlterConfigsResponse.Resource(errorCode: 0, resourceType: resource.resourceType, resourceName: resource.resourceName)
            guard ConfigResource(rawValue: resource.resourceType) == .topic else {
                answer.errorCode = KafkaError.invalidRequest.code
                answer.errorMessage = "only topic configs can be altered; broker settings come from its config file"
                return answer
            }
            var changes: [String: String?] = [:]
            for entry in resource.configs {
                switch entry.configOperation {
                case 0: // SET
                    guard let value = entry.value else {
                        answer.errorCode = KafkaError.invalidConfig.code
                        answer.errorMessage = "SET of '\(entry.name)' needs a value"
                        return answer
                    }
                    changes[entry.name] = value
                case 1: // DELETE: back to the default
                    changes[entry.name] = .some(nil)
                default:
                    answer.errorCode = KafkaError.invalidConfig.code
                    answer.errorMessage = "APPEND and SUBTRACT apply to list configs; '\(entry.name)' is not one"
                    return answer
                }
            }
            do throws(ReplicaManager.TopicError) {
                try replicas.alterConfigs(name: resource.resourceName, changes: changes, validateOnly: request.validateOnly)
            } catch {
                answer.errorCode = error.code.code
                answer.errorMessage = error.message
            }
            return answer
        }
        context.respond(.incrementalAlterConfigs(IncrementalAlterConfigsResponse(throttleTimeMs: 0, responses: results)))
    }
}
