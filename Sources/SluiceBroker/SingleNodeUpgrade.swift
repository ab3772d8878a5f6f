import Foundation
import SluiceCore
import SluiceIO
import SluiceMeta
import Synchronization

/// Upgrades, in place, a data directory written by a single-node `sluiced` from before every node
/// became a cluster (of one, when alone): topics and committed offsets lived in `sluice-meta.db`,
/// written directly, with no controller log. Records and idempotent-producer state sit in the
/// partition directories, which both layouts share, so they stay where they are.
///
/// Two steps, each safe to repeat after a crash:
/// 1. `setAside`, before the metadata store opens: the old store is copied whole (`VACUUM INTO`,
///    then a rename) to `sluice-meta.single-node.db` and removed, so the node starts on a fresh
///    store that only the controller log fills.
/// 2. `importTopicsAndOffsets`, once this node leads its controller: every old topic is created
///    again through the controller with its id, partition count and configs, on this node (its
///    partitions open over their existing directories), then every group's committed offsets are
///    committed again through `__consumer_offsets`. The copy is deleted when all of it is in.
enum SingleNodeUpgrade {
    static let legacyStoreName = "sluice-meta.single-node.db"
    private static let storeName = "sluice-meta.db"
    private static let controllerLogName = "controller-raft.db"

    struct UpgradeError: Error, CustomStringConvertible {
        var description: String
    }

    /// Moves an old single-node store aside. Returns whether an import is pending (now, or left
    /// unfinished by an earlier start). Only a node configured alone upgrades: a member of a
    /// larger cluster whose controller log is missing is not a single node of before, and taking
    /// every topic as its own would be wrong.
    static func setAside(_ directory: String, alone: Bool) throws -> Bool {
        guard alone else { return false }
        let store = directory + "/" + storeName
        let legacy = directory + "/" + legacyStoreName
        let startedAsCluster = FileSystem.exists(directory + "/" + controllerLogName)
        if FileSystem.exists(legacy) {
            // Copied, but the old store may still be there if the start stopped before removing it.
            if !startedAsCluster { try removeStore(store) }
            return true
        }
        guard FileSystem.exists(store), !startedAsCluster, try holdsSingleNodeState(store) else { return false }
        let copying = legacy + ".partial"
        try? FileSystem.remove(copying)
        let old = try Database(path: store)
        defer { old.close() }
        _ = try old.execute("VACUUM INTO ?", [.text(copying)])
        try FileSystem.rename(copying, to: legacy)
        try FileSystem.syncDirectory(directory)
        old.close()
        try removeStore(store)
        Diagnostics.info("single-node data directory found: its topics and offsets are re-created through the controller (old store kept as \(legacyStoreName) until done)")
        return true
    }

    /// Whether the store at `path` was written by a single node: it has applied changes (topics,
    /// producer-id blocks) or committed offsets, and no controller log exists beside it.
    private static func holdsSingleNodeState(_ path: String) throws -> Bool {
        let metadata = try MetadataStore(path: path)
        defer { metadata.database.close() }
        if try metadata.appliedIndex > 0 { return true }
        return try !OffsetStore(database: metadata.database).groups().isEmpty
    }

    private static func removeStore(_ store: String) throws {
        for suffix in ["-wal", "-shm", ""] where FileSystem.exists(store + suffix) {
            try FileSystem.remove(store + suffix)
        }
    }

    /// Re-creates the old topics and offsets through the controller (this node leads it: a
    /// cluster of one). Throws, leaving the copy for the next start, if any of it does not commit.
    static func importTopicsAndOffsets(_ directory: String, into broker: KafkaBroker, keepWaiting: () -> Bool) throws {
        let legacyPath = directory + "/" + legacyStoreName
        let store = try MetadataStore(path: legacyPath)
        let legacy = store.database
        defer { legacy.close() }
        let topics = try store.topics()
        let offsets = try OffsetStore(database: legacy)
        let groups = try offsets.groups().map { ($0.group, try offsets.offsets(group: $0.group)) }
        for topic in topics where broker.replicas.topic(topic.name) == nil {
            try recreate(topic, broker)
        }
        if !groups.isEmpty {
            try waitForCoordinators(of: groups.map(\.0), broker, keepWaiting: keepWaiting)
            for (group, committed) in groups where !committed.isEmpty {
                guard wait({ done in broker.cluster.commitOffsets(.commit(group: group, offsets: committed), done: done) }) else {
                    throw UpgradeError(description: "the committed offsets of group '\(group)' did not commit; the next start tries again")
                }
            }
        }
        legacy.close()
        try FileSystem.remove(legacyPath)
        // Durably gone, or a power loss could bring it back and import it a second time.
        try FileSystem.syncDirectory(directory)
        Diagnostics.info("single-node data directory upgraded: \(topics.count) topics and the offsets of \(groups.count) groups are now in the controller log and __consumer_offsets")
    }

    private static func recreate(_ topic: TopicRecord, _ broker: KafkaBroker) throws {
        let node = broker.config.nodeID
        let placement = Array(repeating: [node], count: Int(topic.partitionCount))
        let commands: [ControllerCommand] = [
            .metadata(.createTopic(name: topic.name, topicID: topic.topicID, partitions: topic.partitionCount, replicationFactor: 1, configs: topic.configs)),
            .assignReplicas(topic: topic.name, firstPartition: 0, replicas: placement),
        ]
        guard wait({ done in broker.cluster.propose(commands, done: done) }) else {
            throw UpgradeError(description: "topic '\(topic.name)' was not re-created (the controller did not commit it); the next start tries again")
        }
        Diagnostics.info("single-node topic kept: \(topic.name) (\(topic.partitionCount) partitions, records in place)")
    }

    /// Start-up only (the main thread, before clients are served; no worker waits): one change
    /// proposed through `start`, waited for up to 15 s.
    private static func wait(_ start: (@escaping @Sendable (Bool) -> Void) -> Void) -> Bool {
        let finished = DispatchSemaphore(value: 0)
        let committed = Atomic<Bool>(false)
        start { ok in
            committed.store(ok, ordering: .releasing)
            finished.signal()
        }
        guard finished.wait(timeout: .now() + 15) == .success else { return false }
        return committed.load(ordering: .acquiring)
    }

    /// Start-up only: until this node coordinates every group (`__consumer_offsets` exists and
    /// its partitions elected this node).
    private static func waitForCoordinators(of groups: [String], _ broker: KafkaBroker, keepWaiting: () -> Bool) throws {
        let deadline = monotonicNanos() + 30_000_000_000
        while true {
            let seen = broker.cluster.currentViewGeneration
            if groups.allSatisfy({ broker.cluster.isCoordinator(for: $0) }) { break }
            guard keepWaiting(), monotonicNanos() < deadline else {
                throw UpgradeError(description: "__consumer_offsets is not ready after 30 s; the next start tries again")
            }
            broker.cluster.requestOffsetsTopic()
            // A coordinator catching up announces nothing: each wait is bounded.
            broker.cluster.awaitViewChange(since: seen, timeoutNanos: 50_000_000)
        }
    }
}
