import SluiceCore
import SluiceMeta
import SluiceRaft
import SluiceWire
import Synchronization

/// What a Raft group's committed entries drive: attached to the group when the `RaftHost` opens
/// it, handed the entries in log order on the Raft thread, and applied there before the
/// entries' proposers hear back and before the group's leader counts as caught up (so a machine
/// applies quickly: the offsets machine stages its changes in memory). The host
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
    /// Whether `snapshot()` carries the whole state, so the group's log may be cut below what is
    /// applied (retention, DeleteRecords) and a replica that falls behind the cut restores from a
    /// snapshot. False: the log is the only copy a new or lagging replica can rebuild the state
    /// from, so it is never cut.
    var snapshotsCarryState: Bool { get }
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

    var snapshotsCarryState: Bool { true }

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
/// the node's offset store, on the Raft thread, in memory (the store writes them to SQLite in
/// batches on the offsets writer's thread). A commit is answered once applied here, so an
/// OffsetFetch after it reads it.
final class OffsetsStateMachine: RaftStateMachine, Sendable {
    private let partition: TopicPartition
    private let store: OffsetStore
    private let writer: OffsetsWriter

    init(partition: TopicPartition, store: OffsetStore, writer: OffsetsWriter) {
        self.partition = partition
        self.store = store
        self.writer = writer
    }

    var appliedIndex: LogIndex? { store.appliedIndex(partition: partition.description).map { LogIndex($0) } }

    /// All of one Ready's entries at once. Throws only when the store had to write its staged
    /// changes itself (past its limit, with the writer behind) and SQLite refused them.
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
        if try store.applyReplicated(changes, partition: partition.description) { writer.flushSoon(store) }
    }

    /// Writes what was staged and fsyncs it.
    func makeAppliedDurable() -> Bool {
        do {
            try store.makeAppliedDurable()
            return true
        } catch {
            Diagnostics.error("cannot make the applied offsets of \(partition) durable: \(error)")
            return false
        }
    }

    /// The partition's log is the state: a replica added by a reassignment, or one that fell
    /// behind, rebuilds its store by replaying it, so it is kept whole (`retention.ms=-1`,
    /// DeleteRecords refused, and no retention setting cuts it).
    var snapshotsCarryState: Bool { false }

    func snapshot() -> [UInt8]? { nil }

    /// A snapshot of a partition carries no data: the log restarts at the leader's start offset,
    /// and what was applied from the dropped part stays in the store. An offsets log is never cut
    /// now, so a leader sends one only over a log a version before that cut; the offsets
    /// committed between this store's applied index and the snapshot are then missing here.
    func restore(_ data: [UInt8], at index: LogIndex) {
        let applied = appliedIndex ?? .origin
        guard applied < index else { return }
        Diagnostics.error("\(partition): installed the leader's snapshot at index \(index) with offsets applied only to \(applied): the leader's log was cut below what this replica held (an earlier version allowed it), so offsets committed in between are missing on this node; keep it from leading \(partition) until those groups commit again")
    }
}

/// The thread that writes the offsets store's staged changes to SQLite (`OffsetStore.flush`)
/// when the applying Raft thread finds them due, and runs the group coordinator's rebuilds
/// after an offsets leadership is lost, off the Raft thread. A failed write leaves the changes
/// staged for the next one; past the store's limit the Raft thread writes them itself, and a
/// failure there stops the node.
final class OffsetsWriter: Sendable {
    private let pool = WorkerPool(threads: 1, name: "sluice-offsets")
    private let flushQueued = Atomic<Bool>(false)

    /// Queues one flush of `store`, unless one is queued and has not started yet.
    func flushSoon(_ store: OffsetStore) {
        guard flushQueued.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        pool.submit { [self] in
            flushQueued.store(false, ordering: .releasing)
            do {
                try store.flush()
            } catch let error as OffsetFlushError {
                // The 1st, 10th, 100th... in a row: a disk that stays full must not fill the log too.
                let digits = String(error.failures)
                if digits.first == "1" && digits.dropFirst().allSatisfy({ $0 == "0" }) {
                    Diagnostics.error("cannot write committed offsets to SQLite: \(error); they stay in memory and in the offsets log, and are written at the next flush")
                }
            } catch {
                Diagnostics.error("cannot write committed offsets to SQLite: \(error)")
            }
        }
    }

    /// Runs `work` on the writer's thread, after what was queued before it.
    func submit(_ work: @escaping @Sendable () -> Void) { pool.submit(work) }

    /// Lets queued work finish, then ends the thread (work submitted later is dropped).
    func stop() { pool.stop() }
}
