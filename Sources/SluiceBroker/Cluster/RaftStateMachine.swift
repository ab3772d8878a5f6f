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
protocol RaftStateMachine: AnyObject, Sendable {
    /// The last index applied and kept across restarts (replay starts after it), or nil if the
    /// machine holds nothing yet (a new one, or one whose restore was cut short).
    var appliedIndex: LogIndex? { get }
    /// Applies committed entries carrying data, in log order (Raft's no-ops and configurations
    /// never come here): all of one Ready's at once, so a machine can apply them together.
    /// Throws when the machine cannot keep them (the node must stop rather than go on without).
    func apply(_ entries: [Entry]) throws
    /// Makes what was applied so far survive a power loss, if applying did not already; called
    /// before the group's log is cut below the applied index. False if it could not.
    func makeAppliedDurable() -> Bool
    /// The whole state as snapshot data, or nil if it cannot be taken: the group's log is cut
    /// below what is applied behind it, and a replica that falls behind the cut restores it.
    /// It holds at least everything applied when it was asked for, perhaps more: restoring it
    /// at an earlier index and applying the entries after that index again must end in the same
    /// state (each entry sets or deletes values, so applying it twice is applying it once).
    /// A partition's machine is asked on a background thread, the controller's on the Raft thread.
    func snapshot() -> [UInt8]?
    /// Replaces the whole state with a snapshot's taken at `index` (this node fell behind a
    /// leader's compacted log, or its own kept snapshot is ahead of what it applied). Durable on
    /// return. For a partition it runs on a background thread while its replica is set aside
    /// (nothing of its group is applied meanwhile), after the snapshot was kept and the log
    /// restarted at `index`: a restore cut short must leave `appliedIndex` nil or below
    /// `index`, so it is done again from the kept copy. For the controller, on the Raft thread.
    /// Throws `SnapshotRefused` for a snapshot it cannot take, anything else when it cannot write
    /// what it took: a partition's replica then stays set aside for a while and restores the
    /// kept copy again, unless the failure says the disk or the file is damaged
    /// (`DatabaseError.isDamage`); then, as for the controller, the node stops.
    func restore(_ data: [UInt8], at index: LogIndex) throws
    /// Throws `SnapshotRefused` for a snapshot `restore` would refuse, changing nothing: asked
    /// before a partition keeps a leader's snapshot (the replica then stops for a while and
    /// asks again, holding what it held).
    func check(_ data: [UInt8], at index: LogIndex) throws
}

/// A leader's snapshot a machine cannot restore (unreadable, too large, or without the state it
/// needs): installing it would restart the log past what the machine holds.
struct SnapshotRefused: Error {
    let reason: String
}

/// The controller quorum's machine: committed `ControllerCommand`s applied to the node's metadata
/// store (then peers and local replicas follow, see `ClusterNode`).
final class ControllerStateMachine: RaftStateMachine {
    private let metadata: MetadataStore
    private let applied: @Sendable (LogIndex, [ControllerCommand]) -> Void
    private let installed: @Sendable (LogIndex, [UInt8]) -> Void

    init(metadata: MetadataStore, applied: @escaping @Sendable (LogIndex, [ControllerCommand]) -> Void,
         installed: @escaping @Sendable (LogIndex, [UInt8]) -> Void) {
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

    /// The controller's snapshots are installed on the Raft thread as they come (`restore`).
    func check(_ data: [UInt8], at index: LogIndex) {}
}

/// One `__consumer_offsets` partition's machine: each committed batch's offset changes applied to
/// the node's offset store, on the Raft thread, in memory (the store writes them to SQLite in
/// batches on the offsets writer's thread). A commit is answered once applied here, so an
/// OffsetFetch after it reads it. Its snapshots carry every commit of the partition's groups,
/// so its log is cut behind them like the controller's.
final class OffsetsStateMachine: RaftStateMachine, Sendable {
    private let partition: TopicPartition
    private let store: OffsetStore
    private let writer: OffsetsWriter
    /// Whether a group's commits belong to this partition (its id hashes here).
    private let carries: @Sendable (String) -> Bool

    init(partition: TopicPartition, store: OffsetStore, writer: OffsetsWriter, carries: @escaping @Sendable (String) -> Bool) {
        self.partition = partition
        self.store = store
        self.writer = writer
        self.carries = carries
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

    /// Every commit of the partition's groups, one command per group, in the entries' encoding
    /// (never empty: it starts with its version; an empty snapshot comes from a version whose
    /// offsets snapshots held no state).
    func snapshot() -> [UInt8]? {
        do {
            let commands = try store.snapshot(partition: partition.description, carries: carries).commands
            return ControllerCommandCodec.encode(commands.map { .offsets($0) })
        } catch {
            Diagnostics.error("cannot snapshot the offsets of \(partition): \(error)")
            return nil
        }
    }

    /// Refuses what `restore` would refuse, reading the snapshot and changing nothing.
    func check(_ data: [UInt8], at index: LogIndex) throws { _ = try commands(in: data, at: index) }

    /// Replaces the partition's groups with the snapshot's. One without offsets (from a leader
    /// whose log was cut with no snapshot kept: it takes one at its next retention check) or
    /// one this node cannot read is refused, unless this node already holds everything to
    /// `index`.
    func restore(_ data: [UInt8], at index: LogIndex) throws {
        guard let commands = try commands(in: data, at: index) else { return }
        try store.restore(partition: partition.description, carries: carries, commands: commands, at: index.rawValue)
        Diagnostics.info("\(partition): restored \(commands.count) groups' offsets from a snapshot at index \(index)")
    }

    /// A snapshot's offset commands; nil for an empty one this node needs nothing from.
    private func commands(in data: [UInt8], at index: LogIndex) throws -> [OffsetCommand]? {
        guard !data.isEmpty else {
            let applied = appliedIndex ?? .origin
            guard applied < index else { return nil }
            throw SnapshotRefused(reason: "it carries no offsets, and this node has applied only to \(applied)")
        }
        do {
            return try ControllerCommandCodec.decode(data).compactMap { command in
                if case let .offsets(offsets) = command { return offsets } else { return nil }
            }
        } catch {
            throw SnapshotRefused(reason: "its offsets are unreadable (\(error))")
        }
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
                if Diagnostics.isLogged(occurrence: error.failures) {
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
