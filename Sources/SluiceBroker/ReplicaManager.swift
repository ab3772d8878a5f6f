import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceMeta
import Synchronization

/// The partitions this node holds, by topic, opened from and kept in step with the metadata
/// store. Topic changes go through `MetadataStore.apply` first, then reach the disk here.
public final class ReplicaManager: Sendable {
    public let config: BrokerConfig
    public let metadata: MetadataStore
    private struct State {
        var topics: [String: TopicState] = [:]
        var nextCommandIndex: Int64 = 1
    }
    public struct TopicState: Sendable {
        public var record: TopicRecord
        public var partitions: [Partition]
    }
    private let state: Mutex<State>

    public init(config: BrokerConfig, metadata: MetadataStore) throws {
        self.config = config
        self.metadata = metadata
        var topics: [String: TopicState] = [:]
        for record in try metadata.topics() {
            let logConfig = TopicConfig.logConfig(record.configs, defaults: config)
            let partitions = try (0..<record.partitionCount).map { index in
                try Partition(topicPartition: TopicPartition(topic: record.name, partition: PartitionID(index)),
                              directory: Self.directory(config, record.name, index), config: logConfig)
            }
            topics[record.name] = TopicState(record: record, partitions: partitions)
        }
        state = Mutex(State(topics: topics, nextCommandIndex: try metadata.appliedIndex + 1))
    }

    static func directory(_ config: BrokerConfig, _ topic: String, _ partition: Int32) -> String {
        "\(config.logDirectory)/\(topic)-\(partition)"
    }

    public func topic(_ name: String) -> TopicState? { state.withLock { $0.topics[name] } }
    public var allTopics: [TopicState] { state.withLock { $0.topics.values.sorted { $0.record.name < $1.record.name } } }

    public func partition(_ topic: String, _ index: Int32) -> Partition? {
        state.withLock { state in
            guard let partitions = state.topics[topic]?.partitions, index >= 0, Int(index) < partitions.count else { return nil }
            return partitions[Int(index)]
        }
    }

    /// Why a topic operation was refused.
    public struct TopicError: Error, Equatable, Sendable {
        public var code: KafkaError
        public var message: String
    }

    /// Kafka's legal topic names: 1–249 of `[a-zA-Z0-9._-]`, not "." or "..".
    public static func validateName(_ name: String) throws(TopicError) {
        let legal = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard !name.isEmpty, name.utf8.count <= 249, legal, name != ".", name != ".." else {
            throw TopicError(code: .invalidTopicException, message: "topic name '\(name)' is illegal: use 1-249 characters of a-z A-Z 0-9 . _ -")
        }
    }

    /// Creates a topic (metadata first, then its partition directories).
    @discardableResult
    public func createTopic(name: String, partitions: Int32, replicationFactor: Int16, configs: [String: String], validateOnly: Bool = false) throws(TopicError) -> TopicState? {
        try Self.validateName(name)
        guard partitions >= 1, partitions <= 100_000 else {
            throw TopicError(code: .invalidPartitions, message: "partition count must be 1…100000, got \(partitions)")
        }
        guard replicationFactor == 1 else {
            throw TopicError(code: .invalidReplicationFactor, message: "replication factor \(replicationFactor) needs \(replicationFactor) brokers; this node is alone")
        }
        var normalized: [String: String] = [:]
        for (key, value) in configs {
            do { normalized[key] = try TopicConfig.validate(key: key, value: value) } catch { throw TopicError(code: .invalidConfig, message: error.message) }
        }
        return try state.withLock { (state) throws(TopicError) -> TopicState? in
            guard state.topics[name] == nil else { throw TopicError(code: .topicAlreadyExists, message: "topic '\(name)' already exists") }
            if validateOnly { return nil }
            var uuid = UUID().uuid
            let topicID = withUnsafeBytes(of: &uuid) { Array($0) }
            let record = TopicRecord(name: name, topicID: topicID, partitionCount: partitions, replicationFactor: replicationFactor, configs: normalized)
            do {
                try metadata.apply(.createTopic(name: name, topicID: topicID, partitions: partitions, replicationFactor: replicationFactor, configs: normalized),
                                   index: state.nextCommandIndex)
                state.nextCommandIndex += 1
                let logConfig = TopicConfig.logConfig(normalized, defaults: config)
                let opened = try (0..<partitions).map { index in
                    try Partition(topicPartition: TopicPartition(topic: name, partition: PartitionID(index)),
                                  directory: Self.directory(config, name, index), config: logConfig)
                }
                let topic = TopicState(record: record, partitions: opened)
                state.topics[name] = topic
                Log.info("topic created: \(name) with \(partitions) partitions\(normalized.isEmpty ? "" : ", configs \(normalized.sorted { $0.key < $1.key })")")
                return topic
            } catch {
                throw TopicError(code: .kafkaStorageError, message: "cannot create topic '\(name)': \(error)")
            }
        }
    }

    /// Deletes a topic and its data.
    public func deleteTopic(name: String) throws(TopicError) {
        let removed = try state.withLock { (state) throws(TopicError) -> TopicState in
            guard let topic = state.topics[name] else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
            do { try metadata.apply(.deleteTopic(name: name), index: state.nextCommandIndex) } catch {
                throw TopicError(code: .kafkaStorageError, message: "cannot delete topic '\(name)': \(error)")
            }
            state.nextCommandIndex += 1
            state.topics[name] = nil
            return topic
        }
        for partition in removed.partitions {
            try? partition.log.close()
            try? FileSystem.removeTree(partition.log.directory)
        }
        Log.info("topic deleted: \(name)")
    }

    /// Raises a topic's partition count.
    public func createPartitions(name: String, totalCount: Int32, validateOnly: Bool = false) throws(TopicError) {
        try state.withLock { (state) throws(TopicError) in
            guard var topic = state.topics[name] else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
            guard totalCount > topic.record.partitionCount else {
                throw TopicError(code: .invalidPartitions, message: "topic '\(name)' has \(topic.record.partitionCount) partitions; the new count must be larger, got \(totalCount)")
            }
            guard totalCount <= 100_000 else { throw TopicError(code: .invalidPartitions, message: "at most 100000 partitions") }
            if validateOnly { return }
            do {
                try metadata.apply(.createPartitions(name: name, totalCount: totalCount), index: state.nextCommandIndex)
                state.nextCommandIndex += 1
                let logConfig = TopicConfig.logConfig(topic.record.configs, defaults: config)
                for index in topic.record.partitionCount..<totalCount {
                    topic.partitions.append(try Partition(topicPartition: TopicPartition(topic: name, partition: PartitionID(index)),
                                                          directory: Self.directory(config, name, index), config: logConfig))
                }
                topic.record.partitionCount = totalCount
                state.topics[name] = topic
            } catch {
                throw TopicError(code: .kafkaStorageError, message: "cannot add partitions to '\(name)': \(error)")
            }
        }
    }

    /// Sets (non-nil) or removes (nil) topic configs, validated first, applied to the open logs.
    public func alterConfigs(name: String, changes: [String: String?], validateOnly: Bool = false) throws(TopicError) {
        var normalized: [String: String?] = [:]
        for (key, value) in changes {
            if let value {
                do { normalized[key] = try TopicConfig.validate(key: key, value: value) } catch { throw TopicError(code: .invalidConfig, message: error.message) }
            } else {
                guard TopicConfig.supportedKeys.contains(key) else { throw TopicError(code: .invalidConfig, message: "unsupported topic config '\(key)'") }
                normalized[key] = .some(nil)
            }
        }
        try state.withLock { (state) throws(TopicError) in
            guard var topic = state.topics[name] else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
            if validateOnly { return }
            do { try metadata.apply(.alterTopicConfigs(name: name, changes: normalized), index: state.nextCommandIndex) } catch {
                throw TopicError(code: .kafkaStorageError, message: "cannot alter '\(name)': \(error)")
            }
            state.nextCommandIndex += 1
            for (key, value) in normalized { topic.record.configs[key] = value }
            let logConfig = TopicConfig.logConfig(topic.record.configs, defaults: config)
            for partition in topic.partitions { partition.log.update(config: logConfig) }
            state.topics[name] = topic
        }
    }

    /// Allocates a block of producer ids and returns its first.
    public func allocateProducerIDs(count: Int64) throws -> Int64 {
        try state.withLock { state in
            let first = try metadata.apply(.allocateProducerIDs(count: count), index: state.nextCommandIndex) ?? -1
            state.nextCommandIndex += 1
            return first
        }
    }

    /// Runs retention and time-based rolls on every partition.
    public func applyRetention() {
        for topic in allTopics {
            for partition in topic.partitions {
                try? partition.log.rollIfDue()
                _ = try? partition.log.applyRetention()
            }
        }
    }

    /// Syncs and closes every log (clean shutdown: the next start skips recovery).
    public func closeAll() {
        for topic in allTopics { for partition in topic.partitions { try? partition.close() } }
    }
}
