import SluiceCore
import SluiceMeta
import SluiceRaft
import SluiceWire

/// What a Raft group's committed entries drive: attached to the group when the `RaftHost` opens
/// it, called on the Raft thread in log order, before the entries' proposers hear back. The host
/// knows nothing else about what a group holds: the controller metadata and each
/// `__consumer_offsets` partition attach a machine; an ordinary partition has none (its log is
/// its state).
protocol RaftStateMachine: AnyObject {
    /// The last index applied and kept across restarts (replay starts after it), or nil if the
    /// machine keeps nothing of its own.
    var appliedIndex: LogIndex? { get }
    /// Applies committed entries carrying data, in log order (Raft's no-ops and configurations
    /// never come here): all of one Ready's at once, so a machine can apply them together.
    /// Throws when the machine cannot keep them (the node must stop rather than go on without).
    func apply(_ entries: [Entry]) throws
    /// Makes what was applied so far survive a power loss, if applying did not already; called
    /// before the group's log is cut below the applied index. False if it could not.
    func makeAppliedDurable() -> Bool
    /// The whole state as snapshot data (for compacting the log), or nil if it cannot be taken.
    func snapshot() -> [UInt8]?
    /// Replaces the whole state with a snapshot's taken at `index` (this node fell behind a
    /// leader's compacted log).
    func restore(_ data: [UInt8], at index: LogIndex)
}

/// The controller quorum's machine: committed `ControllerCommand`s applied to the node's metadata
/// store (then peers and local replicas follow, see `ClusterNode`).
final class ControllerStateMachine: RaftStateMachine {
    private let metadata: MetadataStore
    private let applied: (LogIndex, [ControllerCommand]) -> Void
    private let installed: (LogIndex, [UInt8]) -> Void

    init(metadata: MetadataStore, applied: @escaping (LogIndex, [ControllerCommand]) -> Void,
         installed: @escaping (LogIndex, [UInt8]) -> Void) {
        self.metadata = metadata
        self.applied = applied
        self.installed = installed
    }

    /// The metadata store numbers applied entries from 1, the controller log from 0.
    var appliedIndex: LogIndex? { (try? metadata.appliedIndex).map { LogIndex($0 - 1) } }

    func apply(_ entries: [Entry]) {
        for entry in entries {
            do {
                applied(entry.lastIndex, try ControllerCommandCodec.decode(entry.data))
            } catch {
                Diagnostics.error("controller entry \(entry.lastIndex) is unreadable (\(error)); skipped")
            }
        }
    }

    /// Every controller entry is applied in an fsynced transaction.
    func makeAppliedDurable() -> Bool { true }

    /// The store written out as the commands that rebuild it.
    func snapshot() -> [UInt8]? {
        do { return ControllerCommandCodec.encode(try metadata.snapshotCommands()) } catch {
            Diagnostics.error("cannot snapshot the controller state: \(error)")
            return nil
        }
    }

    func restore(_ data: [UInt8], at index: LogIndex) { installed(index, data) }
}

/// One `__consumer_offsets` partition's machine: each committed batch's offset changes applied to
/// the node's offset store, with the entry's index in the same transaction.
final class OffsetsStateMachine: RaftStateMachine {
    private let partition: TopicPartition
    private let store: OffsetStore

    init(partition: TopicPartition, store: OffsetStore) {
        self.partition = partition
        self.store = store
    }

    var appliedIndex: LogIndex? {
        (try? store.appliedIndex(partition: partition.description)).flatMap { $0 }.map { LogIndex($0) }
    }

    /// One transaction for all the entries (a commit storm brings many per Ready).
    func apply(_ entries: [Entry]) throws {
        let changes = entries.map { entry -> (commands: [OffsetCommand], index: Int64) in
            var commands: [OffsetCommand] = []
            if let (batch, _) = try? RecordBatch.decode(entry.data[...]) {
                for record in batch.records {
                    guard let value = record.value, let decoded = try? ControllerCommandCodec.decode(value) else { continue }
                    for case let .offsets(command) in decoded { commands.append(command) }
                }
            }
            return (commands, entry.lastIndex.rawValue)
        }
        guard !changes.isEmpty else { return }
        try store.applyReplicated(changes, partition: partition.description)
    }

    /// Applies are not fsynced one by one (the log is the durable copy): one barrier covers them.
    func makeAppliedDurable() -> Bool {
        do {
            try store.makeAppliedDurable()
            return true
        } catch {
            Diagnostics.error("cannot make the applied offsets of \(partition) durable: \(error)")
            return false
        }
    }

    /// The partition's log is the state (kept whole: `retention.ms=-1`); nothing to add.
    func snapshot() -> [UInt8]? { nil }

    /// A snapshot of a partition carries no data: the log restarts at the leader's start offset,
    /// and what was applied from the dropped part stays in the store.
    func restore(_ data: [UInt8], at index: LogIndex) {}
}
