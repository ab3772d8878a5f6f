import Foundation
import SluiceCore
import SluiceIO
import SluiceMeta
import SluiceRaft
import SluiceWire
import Synchronization

/// Committed consumer offsets live in the internal topic `__consumer_offsets`, each group in the
/// partition its id hashes to (Kafka's rule, so tools agree on it). The group's coordinator is
/// that partition's Raft leader; an OffsetCommit is a record batch appended to the partition and
/// answered once committed; every replica applies committed batches to its SQLite
/// (`group_offsets`), so a new coordinator after a failover already has every committed offset.
extension ClusterNode {
    public static let offsetsTopic = "__consumer_offsets"

    /// The partition of the offsets topic that carries `group`: Java's `abs(group.hashCode()) % n`.
    public func coordinatorPartition(_ group: String) -> TopicPartition {
        Self.offsetsPartition(of: group, partitions: offsetsPartitionCount)
    }

    /// Partitions of the offsets topic: its own count once it exists, as Kafka reads it (a node
    /// whose `offsets.topic.num.partitions` differs must still look for a group's commits where
    /// they are, and an offsets snapshot must hold the groups its log holds), else the setting.
    var offsetsPartitionCount: Int32 { Self.offsetsPartitionCount(replicas, setting: config.offsetsTopicPartitions) }

    static func offsetsPartitionCount(_ replicas: ReplicaManager, setting: Int32) -> Int32 {
        replicas.topic(offsetsTopic)?.record.partitionCount ?? setting
    }

    /// The partition of an offsets topic of `partitions` partitions that carries `group`.
    static func offsetsPartition(of group: String, partitions: Int32) -> TopicPartition {
        var hash: Int32 = 0
        for unit in group.utf16 { hash = hash &* 31 &+ Int32(unit) }
        let positive = hash == Int32.min ? 0 : abs(hash)
        return TopicPartition(topic: Self.offsetsTopic, partition: PartitionID(positive % max(1, partitions)))
    }

    /// Whether this node coordinates `group`: it leads the group's offsets partition and has
    /// applied everything committed there (so OffsetFetch never answers from a stale store).
    public func isCoordinator(for group: String) -> Bool {
        guard let view = leadership(coordinatorPartition(group)) else { return false }
        return view.isLocalLeader && view.caughtUp
    }

    /// The broker that coordinates `group`, if it is known.
    func coordinator(for group: String) -> BrokerRecord? {
        let tp = coordinatorPartition(group)
        var leader = placement(tp)?.leader ?? -1
        if let view = leadership(tp), Int64(view.term.rawValue) >= placement(tp)?.leaderEpoch ?? -1 { leader = view.leader?.rawValue ?? -1 }
        return brokers.first { $0.nodeID == leader && !$0.fenced }
    }

    /// Appends an offset change to the group's partition; `done(true)` once it is committed and
    /// applied here, `done(false)` if this node does not lead it or the quorum did not answer
    /// within `timeoutMillis`. Never blocks.
    func commitOffsets(_ command: OffsetCommand, timeoutMillis: Int64 = 10_000, done: @escaping @Sendable (Bool) -> Void) {
        let tp = coordinatorPartition(OffsetStore.group(of: command))
        let value = ControllerCommandCodec.encode([.offsets(command)])
        let now = currentTimeMillis()
        guard let batch = try? RecordBatch.encode(records: [Record(offsetDelta: 0, key: Array(OffsetStore.group(of: command).utf8), value: value)],
                                                  baseTimestamp: now),
              let header = try? batch.withWireBytes({ (buffer) throws(WireError) in try RecordBatchHeader.read(from: buffer) }) else { return done(false) }
        produce(tp, records: batch, headers: [header], acks: -1, timeoutMillis: timeoutMillis) { outcome in
            if case .appended = outcome { done(true) } else { done(false) }
        }
    }

    /// Like Kafka, the offsets topic is created at the first FindCoordinator: asks the controller
    /// for it (the client retries on COORDINATOR_NOT_AVAILABLE meanwhile).
    func requestOffsetsTopic() {
        if isControllerLeader { ensureOffsetsTopic() } else { requestTopicCreation([Self.offsetsTopic]) }
    }

    /// Controller leader: creates the offsets topic once enough brokers are registered.
    func ensureOffsetsTopic() {
        guard isControllerLeader, replicas.topic(Self.offsetsTopic) == nil else { return }
        let live = brokers.filter { !$0.fenced }.count
        guard live >= min(3, config.quorumVoters.count) else { return }
        guard creatingOffsetsTopic.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        replicas.createTopic(name: Self.offsetsTopic, partitions: config.offsetsTopicPartitions, replicationFactor: Int16(min(3, live)),
                             configs: ["retention.ms": "-1", "segment.bytes": String(config.offsetsTopicSegmentBytes)]) { [self] error in
            creatingOffsetsTopic.store(false, ordering: .releasing)
            if let error { Diagnostics.info("offsets topic not created yet: \(error.message)") }
        }
    }
}
