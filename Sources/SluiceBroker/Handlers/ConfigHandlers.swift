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
            if let denial = configDenial(resource.resourceType, resource.resourceName, .describeConfigs, context) {
                (answer.errorCode, answer.errorMessage) = (denial.code, "\(context.principal) may not DescribeConfigs here")
                return answer
            }
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

    /// AlterConfigs replaces a topic's whole set: every key it does not name goes back to its
    /// default (what Kafka does; aiokafka's `alter_configs` sends this one).
    func handleAlterConfigs(_ request: AlterConfigsRequest, _ context: RequestContext) {
        let gather = Gather<AlterConfigsResponse.Resource>(count: request.resources.count) { results in
            context.respond(.alterConfigs(AlterConfigsResponse(throttleTimeMs: 0, responses: results)))
        }
        for (index, resource) in request.resources.enumerated() {
            if let denial = configDenial(resource.resourceType, resource.resourceName, .alterConfigs, context) {
                gather.set(index, AlterConfigsResponse.Resource(errorCode: denial.code, errorMessage: "\(context.principal) may not AlterConfigs here",
                                                                resourceType: resource.resourceType, resourceName: resource.resourceName))
                continue
            }
            alterTopicConfigs(resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly, changes: { () throws(ReplicaManager.TopicError) in
                guard let current = replicas.topic(resource.resourceName)?.record.configs else {
                    throw ReplicaManager.TopicError(code: .unknownTopicOrPartition, message: "topic '\(resource.resourceName)' does not exist")
                }
                var changes: [String: String?] = [:]
                for key in current.keys { changes[key] = .some(nil) }
                for entry in resource.configs { changes[entry.name] = .some(entry.value) }
                return changes
            }, done: { code, message in
                gather.set(index, AlterConfigsResponse.Resource(errorCode: code, errorMessage: message, resourceType: resource.resourceType,
                                                                resourceName: resource.resourceName))
            })
        }
    }

    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, _ context: RequestContext) {
        let gather = Gather<IncrementalAlterConfigsResponse.Resource>(count: request.resources.count) { results in
            context.respond(.incrementalAlterConfigs(IncrementalAlterConfigsResponse(throttleTimeMs: 0, responses: results)))
        }
        for (index, resource) in request.resources.enumerated() {
            if let denial = configDenial(resource.resourceType, resource.resourceName, .alterConfigs, context) {
                gather.set(index, IncrementalAlterConfigsResponse.Resource(errorCode: denial.code, errorMessage: "\(context.principal) may not AlterConfigs here",
                                                                           resourceType: resource.resourceType, resourceName: resource.resourceName))
                continue
            }
            alterTopicConfigs(resourceType: resource.resourceType, name: resource.resourceName, validateOnly: request.validateOnly, changes: { () throws(ReplicaManager.TopicError) in
                var changes: [String: String?] = [:]
                for entry in resource.configs {
                    switch entry.configOperation {
                    case 0: // SET
                        guard let value = entry.value else {
                            throw ReplicaManager.TopicError(code: .invalidConfig, message: "SET of '\(entry.name)' needs a value")
                        }
                        changes[entry.name] = value
                    case 1: // DELETE: back to the default
                        changes[entry.name] = .some(nil)
                    default:
                        throw ReplicaManager.TopicError(code: .invalidConfig, message: "APPEND and SUBTRACT apply to list configs; '\(entry.name)' is not one")
                    }
                }
                return changes
            }, done: { code, message in
                gather.set(index, IncrementalAlterConfigsResponse.Resource(errorCode: code, errorMessage: message, resourceType: resource.resourceType,
                                                                           resourceName: resource.resourceName))
            })
        }
    }

    /// One resource of an alter request: the topic's new settings from `changes` (a set value, or
    /// nil for the default), applied or only validated; the error code and message to answer.
    /// The authorization error for an operation on a config resource, or nil: a topic's own
    /// ACLs, or the cluster's for a broker.
    func configDenial(_ resourceType: Int8, _ name: String, _ operation: AclOperation, _ context: RequestContext) -> KafkaError? {
        switch ConfigResource(rawValue: resourceType) {
        case .topic?: return allowed(context, operation, .topic, name) ? nil : .topicAuthorizationFailed
        default: return allowed(context, operation, .cluster, Principal.clusterResource) ? nil : .clusterAuthorizationFailed
        }
    }

    private func alterTopicConfigs(resourceType: Int8, name: String, validateOnly: Bool,
                                   changes: () throws(ReplicaManager.TopicError) -> [String: String?],
                                   done: @escaping @Sendable (_ code: Int16, _ message: String?) -> Void) {
        guard ConfigResource(rawValue: resourceType) == .topic else {
            return done(KafkaError.invalidRequest.code, "only topic configs can be altered; broker settings come from its config file")
        }
        let wanted: [String: String?]
        do throws(ReplicaManager.TopicError) { wanted = try changes() } catch { return done(error.code.code, error.message) }
        replicas.alterConfigs(name: name, changes: wanted, validateOnly: validateOnly) { error in
            done(error?.code.code ?? 0, error?.message)
        }
    }
}
