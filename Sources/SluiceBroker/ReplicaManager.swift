import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceMeta
import Synchronization

/// The partitions this node holds, by topic, opened from and kept in step with the metadata
/// store. Topic changes are controller entries: proposed here (on the controller leader), applied
/// to the metadata store by every node, then brought to the disk by `reconcile`.
public final class ReplicaManager: Sendable {
    public let config: BrokerConfig
    public let metadata: MetadataStore
    private struct State {
        var topics: [String: TopicState] = [:]
    }
    public struct TopicState: Sendable {
        public var record: TopicRecord
        /// The partitions this node holds a replica of.
        public var partitions: [Int32: Partition]
    }
    private let state: Mutex<State>
    /// How topic changes reach the controller; set once the cluster node exists.
    private let cluster = Mutex<ClusterHooks?>(nil)

    /// How topic changes reach the controller quorum.
    public struct ClusterHooks: Sendable {
        /// Whether this node leads the controller (only it may change topics).
        public var isController: @Sendable () -> Bool
        /// Proposes the commands; `done(true)` once applied here, `done(false)` if leadership moved
        /// or the quorum did not commit them in time. Never blocks.
        public var commit: @Sendable (_ commands: [ControllerCommand], _ done: @escaping @Sendable (Bool) -> Void) -> Void
        /// Replicas for `count` partitions starting at `first`, or nil if too few brokers are alive.
        public var place: @Sendable (_ count: Int32, _ first: Int32, _ replicationFactor: Int) -> [[Int32]]?
        /// How many brokers are registered and unfenced.
        public var liveBrokers: @Sendable () -> Int
        /// How many partition replicas each broker holds now.
        public var replicaCounts: @Sendable () -> [Int32: Int]
    }

    /// Refuses a placement that would put more than `max.partitions` replicas on one node, before
    /// anything is committed: each replica costs memory, a Raft group and start-up time, so the
    /// limit is what keeps one hostile CreateTopics from making a node that cannot start.
    private func checkPartitionBudget(adding placement: [[Int32]], to counts: [Int32: Int]) throws(TopicError) {
        var after = counts
        for replicas in placement { for node in replicas { after[node, default: 0] += 1 } }
        guard let (node, count) = after.max(by: { $0.value < $1.value }), count > config.maxPartitions else { return }
        throw TopicError(code: .policyViolation,
                         message: "this would put \(count) partition replicas on node \(node); the limit is max.partitions=\(config.maxPartitions)")
    }

    public func useCluster(_ hooks: ClusterHooks) { cluster.withLock { $0 = hooks } }
    var clusterHooks: ClusterHooks? { cluster.withLock { $0 } }

    /// The hooks, or a retriable refusal while the node is still being put together.
    private func hooks(_ what: String) throws(TopicError) -> ClusterHooks {
        guard let hooks = clusterHooks else { throw TopicError(code: .notController, message: "this node is starting; retry \(what)") }
        return hooks
    }

    /// Outcome of a topic change: nil once applied on this node, else why not.
    public typealias Completion = @Sendable (TopicError?) -> Void

    /// Proposes `commands` (nil: a validate-only request, nothing to commit) and answers `done`
    /// when they are applied here; `prepare` throws what validation refuses.
    private func change(_ what: String, done: @escaping Completion, prepare: (ClusterHooks) throws(TopicError) -> [ControllerCommand]?) {
        let hooks: ClusterHooks
        let commands: [ControllerCommand]
        do throws(TopicError) {
            hooks = try self.hooks(what)
            guard let prepared = try prepare(hooks) else { return done(nil) }
            guard hooks.isController() else {
                throw TopicError(code: .notController, message: "this node does not lead the controller quorum; send \(what) to the controller named in Metadata")
            }
            commands = prepared
        } catch {
            return done(error)
        }
        hooks.commit(commands) { committed in
            // Not committed may still commit under a new leader: an unknown outcome, not "nothing done".
            done(committed ? nil : TopicError(code: .requestTimedOut, message: "controller leadership moved or the quorum did not commit \(what) in time; retry"))
        }
    }

    public init(config: BrokerConfig, metadata: MetadataStore) throws {
        self.config = config
        self.metadata = metadata
        var topics: [String: TopicState] = [:]
        var local: [String: [Int32]] = [:]
        for placement in try metadata.partitionRecords() where placement.holders.contains(config.nodeID) {
            local[placement.topic, default: []].append(placement.partition)
        }
        for record in try metadata.topics() {
            topics[record.name] = TopicState(record: record, partitions: Self.open(record, local[record.name] ?? [], config))
        }
        state = Mutex(State(topics: topics))
    }

    /// Opens the given partitions of a topic. One that cannot be opened (descriptors exhausted, a
    /// damaged directory) is left out and logged: the node serves the others and reports it
    /// offline, rather than refusing to start.
    private static func open(_ record: TopicRecord, _ indexes: [Int32], _ config: BrokerConfig) -> [Int32: Partition] {
        let logConfig = TopicConfig.logConfig(record.configs, defaults: config)
        let out = Mutex<[Int32: Partition]>([:])
        // Side by side: each creates its directory and files, fsynced (a topic of 2,000
        // partitions opened one after another kept the caller busy for seconds).
        sideBySide(indexes.count, name: "sluice-open") { position in
            let index = indexes[position]
            let tp = TopicPartition(topic: record.name, partition: PartitionID(index))
            do {
                let partition = try Partition(topicPartition: tp, directory: Self.directory(config, record.name, index), config: logConfig,
                                              producerLimits: config.producerLimits)
                out.withLock { $0[index] = partition }
            } catch {
                Diagnostics.error("partition \(tp) is offline: cannot open it: \(error)")
            }
        }
        return out.withLock { $0 }
    }

    static func directory(_ config: BrokerConfig, _ topic: String, _ partition: Int32) -> String {
        "\(config.logDirectory)/\(topic)-\(partition)"
    }

    public func topic(_ name: String) -> TopicState? { state.withLock { $0.topics[name] } }
    /// Every topic by its id (16 bytes; Metadata v12 may name topics by id alone), built once per
    /// request that asks by id, so the ids it carries cost one lookup each.
    public func topicsByID() -> [[UInt8]: TopicState] {
        state.withLock { state in
            var index: [[UInt8]: TopicState] = [:]
            for topic in state.topics.values where topic.record.topicID.count == 16 && topic.record.topicID.contains(where: { $0 != 0 }) {
                index[topic.record.topicID] = topic
            }
            return index
        }
    }
    public var allTopics: [TopicState] { state.withLock { $0.topics.values.sorted { $0.record.name < $1.record.name } } }

    public func partition(_ topic: String, _ index: Int32) -> Partition? {
        state.withLock { state in
            state.topics[topic]?.partitions[index]
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

    /// Creates a topic: one controller entry; every node holding a replica then opens it.
    public func createTopic(name: String, partitions: Int32, replicationFactor: Int16, configs: [String: String], validateOnly: Bool = false,
                            assignments: [[Int32]]? = nil, done: @escaping Completion) {
        let topicIDBox = Mutex<[UInt8]>([])
        change("CreateTopics", done: { [self] error in
            guard error == nil, !validateOnly else { return done(error) }
            // Two creations of one name can both pass the check and commit; only the first applies.
            guard topic(name)?.record.topicID == topicIDBox.withLock({ $0 }) else {
                return done(TopicError(code: .topicAlreadyExists, message: "topic '\(name)' already exists (created concurrently)"))
            }
            Diagnostics.info("topic created: \(name) with \(partitions) partitions")
            done(nil)
        }) { (hooks) throws(TopicError) -> [ControllerCommand]? in
            try Self.validateName(name)
            guard partitions >= 1, partitions <= 100_000 else {
                throw TopicError(code: .invalidPartitions, message: "partition count must be 1…100000, got \(partitions)")
            }
            var normalized: [String: String] = [:]
            for (key, value) in configs {
                do throws(TopicConfig.Invalid) { normalized[key] = try TopicConfig.validate(key: key, value: value) } catch { throw TopicError(code: .invalidConfig, message: error.message) }
            }
            guard topic(name) == nil else { throw TopicError(code: .topicAlreadyExists, message: "topic '\(name)' already exists") }
            guard hooks.isController() else { throw TopicError(code: .notController, message: "this node does not lead the controller quorum; send CreateTopics to the controller named in Metadata") }
            guard let placement = assignments ?? hooks.place(partitions, 0, Int(replicationFactor)) else {
                throw TopicError(code: .invalidReplicationFactor, message: "replication factor \(replicationFactor) is larger than the \(hooks.liveBrokers()) live brokers")
            }
            try checkPartitionBudget(adding: placement, to: hooks.replicaCounts())
            if validateOnly { return nil }
            var uuid = UUID().uuid
            let topicID = withUnsafeBytes(of: &uuid) { Array($0) }
            topicIDBox.withLock { $0 = topicID }
            return [.metadata(.createTopic(name: name, topicID: topicID, partitions: partitions, replicationFactor: replicationFactor, configs: normalized)),
                    .assignReplicas(topic: name, firstPartition: 0, replicas: placement)]
        }
    }

    /// Deletes a topic: one controller entry; every node then drops its replicas and their data.
    public func deleteTopic(name: String, done: @escaping Completion) {
        change("DeleteTopics", done: { error in
            if error == nil { Diagnostics.info("topic deleted: \(name)") }
            done(error)
        }) { (_) throws(TopicError) -> [ControllerCommand]? in
            guard topic(name) != nil else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
            // Its logs are every group's committed offsets; a new one would start its indexes
            // at 0 under what each store has applied, and could hash the groups anew.
            guard name != ClusterNode.offsetsTopic else {
                throw TopicError(code: .policyViolation, message: "\(name) holds the committed offsets of every group and cannot be deleted; DeleteGroups removes a group's")
            }
            return [.metadata(.deleteTopic(name: name))]
        }
    }

    /// Raises a topic's partition count; the new partitions go where `assignments` says (one
    /// replica list each, as many replicas as the topic has) or where the controller places them.
    public func createPartitions(name: String, totalCount: Int32, validateOnly: Bool = false, assignments: [[Int32]]? = nil, done: @escaping Completion) {
        change("CreatePartitions", done: { [self] error in
            guard error == nil, !validateOnly else { return done(error) }
            // A concurrent change of the count can commit first; then this one did not apply.
            guard topic(name)?.record.partitionCount == totalCount else {
                return done(TopicError(code: .invalidPartitions, message: "the partition count of '\(name)' was changed concurrently; describe the topic and retry"))
            }
            done(nil)
        }) { (hooks) throws(TopicError) -> [ControllerCommand]? in
            try createPartitionsCommands(hooks, name: name, totalCount: totalCount, validateOnly: validateOnly, assignments: assignments)
        }
    }

    private func createPartitionsCommands(_ hooks: ClusterHooks, name: String, totalCount: Int32, validateOnly: Bool,
                                          assignments: [[Int32]]?) throws(TopicError) -> [ControllerCommand]? {
        guard let topic = topic(name) else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
        // A group's offsets partition is its id's hash modulo the count: a new count would look
        // for every group's commits in another partition's log and snapshots.
        guard name != ClusterNode.offsetsTopic else {
            throw TopicError(code: .policyViolation, message: "the partition count of \(name) cannot change: each group's committed offsets live in the partition its id hashes to")
        }
        let current = topic.record.partitionCount
        guard totalCount > current else {
            throw TopicError(code: .invalidPartitions, message: "topic '\(name)' has \(current) partitions; the new count must be larger, got \(totalCount)")
        }
        guard totalCount <= 100_000 else { throw TopicError(code: .invalidPartitions, message: "at most 100000 partitions, got \(totalCount)") }
        guard hooks.isController() else { throw TopicError(code: .notController, message: "this node does not lead the controller quorum; send CreatePartitions to the controller named in Metadata") }
        if let assignments {
            guard assignments.count == Int(totalCount - current), assignments.allSatisfy({ $0.count == Int(topic.record.replicationFactor) }) else {
                throw TopicError(code: .invalidReplicaAssignment,
                                 message: "give one replica list per new partition (\(totalCount - current)), each of \(topic.record.replicationFactor) brokers")
            }
        }
        guard let placement = assignments ?? hooks.place(totalCount - current, current, Int(topic.record.replicationFactor)) else {
            throw TopicError(code: .invalidReplicationFactor, message: "not enough live brokers for replication factor \(topic.record.replicationFactor)")
        }
        try checkPartitionBudget(adding: placement, to: hooks.replicaCounts())
        if validateOnly { return nil }
        return [.metadata(.createPartitions(name: name, totalCount: totalCount)), .assignReplicas(topic: name, firstPartition: current, replicas: placement)]
    }

    /// Sets (non-nil) or removes (nil) topic configs, validated first, applied to the open logs.
    public func alterConfigs(name: String, changes: [String: String?], validateOnly: Bool = false, done: @escaping Completion) {
        change("IncrementalAlterConfigs", done: done) { (_) throws(TopicError) -> [ControllerCommand]? in
            var normalized: [String: String?] = [:]
            for (key, value) in changes {
                if let value {
                    do throws(TopicConfig.Invalid) { normalized[key] = try TopicConfig.validate(key: key, value: value) } catch { throw TopicError(code: .invalidConfig, message: error.message) }
                } else {
                    guard TopicConfig.supportedKeys.contains(key) else { throw TopicError(code: .invalidConfig, message: "unsupported topic config '\(key)'") }
                    normalized[key] = .some(nil)
                }
            }
            guard topic(name) != nil else { throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist") }
            if validateOnly { return nil }
            return [.metadata(.alterTopicConfigs(name: name, changes: normalized))]
        }
    }

    /// Syncs and closes every log (clean shutdown: the next start skips recovery). Each replica
    /// writes its producer snapshot, index files and checkpoint, fsynced, so they close side by
    /// side: one after another, 2,000 partitions took about 4 s.
    public func closeAll() {
        let partitions = allTopics.flatMap { $0.partitions.values }
        sideBySide(partitions.count, name: "sluice-close") { try? partitions[$0].close() }
    }

    // MARK: The controller log decides, this node follows

    /// Brings the open topics and local replicas in line with the metadata store after a
    /// controller entry was applied. Returns the replicas opened and the ones closed (deleted).
    public func reconcile() throws -> (opened: [Partition], removed: [Partition]) {
        let records = try metadata.topics()
        var local: [String: Set<Int32>] = [:]
        for placement in try metadata.partitionRecords() where placement.holders.contains(config.nodeID) {
            local[placement.topic, default: []].insert(placement.partition)
        }
        var opened: [Partition] = []
        var removed: [Partition] = []
        state.withLock { state in
            let names = Set(records.map(\.name))
            for (name, topic) in state.topics where !names.contains(name) {
                removed.append(contentsOf: topic.partitions.values)
                state.topics[name] = nil
            }
            for record in records {
                var topic = state.topics[record.name] ?? TopicState(record: record, partitions: [:])
                let wanted = local[record.name] ?? []
                let missing = wanted.subtracting(topic.partitions.keys).sorted()
                let fresh = Self.open(record, missing, config)
                opened.append(contentsOf: fresh.values)
                topic.partitions.merge(fresh) { old, _ in old }
                for (index, partition) in topic.partitions where !wanted.contains(index) {
                    removed.append(partition)
                    topic.partitions[index] = nil
                }
                if topic.record.configs != record.configs {
                    let logConfig = TopicConfig.logConfig(record.configs, defaults: config)
                    for partition in topic.partitions.values { partition.log.update(config: logConfig) }
                }
                topic.record = record
                state.topics[record.name] = topic
            }
        }
        return (opened, removed)
    }

    /// Closes and deletes a replica the controller took away from this node.
    public func destroy(_ partition: Partition) {
        try? partition.log.close()
        try? FileSystem.removeTree(partition.log.directory)
    }
}
