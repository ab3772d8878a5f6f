import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceMeta
import SluiceRaft
import SluiceWire
import Synchronization

/// Runs every Raft group of this node — the controller quorum and one group per local partition
/// replica — on one thread, which owns the cores (they are single-threaded by design).
///
/// Each turn of the loop: take inbound messages and queued work, tick if a tick is due, then for
/// every group with something ready: write it (SQLite, fsynced, for the controller; one `pwrite`
/// per batch for partitions) and advance the core. Partition logs are fsynced off this thread,
/// one sync at a time covering every partition written since the last one began (group commit
/// across partitions and across turns): while it runs, this thread goes on taking work, so an
/// acks=1 produce is written and answered without waiting for other partitions' disks. What a
/// partition Ready says to do besides writing (send its messages, apply its committed entries,
/// answer acks=all, publish its leader) waits in `syncs` (a `SyncPipeline`) until the sync covering its
/// writes, and every earlier write of that group, is done: nothing leaves the node before the
/// state it promises is on disk. A follower (anything but a leader) takes no new Ready while
/// one of its writes awaits its sync; a leader only appends, so it may.
///
/// `@unchecked Sendable`: the mutable state below is touched only on `thread`; other threads talk
/// to it through `inbox` (work closures) and read `published`.
public final class RaftHost: @unchecked Sendable {
    public let nodeID: NodeID
    let options: RaftOptions
    let tickNanos: UInt64

    // MARK: Thread-confined state

    var controller: RaftNode<ControllerLogStore>?
    var controllerStore: ControllerLogStore?
    var partitions: [TopicPartition: PartitionGroup] = [:]
    /// The partitions whose core may have a Ready: every call that can change a core adds its
    /// group (a message stepped, a proposal, a campaign), each tick adds them all, and
    /// `partitionsToWrite` drops the ones found without one. A turn looks at these, not at every
    /// group: under load the thread takes thousands of turns a second, each touching a few
    /// groups, and walking every group twice a turn was a tenth of the thread's samples under a
    /// commit storm with 18 partitions.
    private var mayHaveReady = Set<TopicPartition>()
    /// When each peer was last heard from (any group): a leader that has not heard from enough of
    /// its replicas within an election timeout refuses acks=all at once instead of letting it time out.
    var lastHeardNanos: [NodeID: UInt64] = [:]
    /// acks=all needs at least this many live replicas (leader included), and always a majority.
    var minInsyncReplicas = 1
    /// `replica.lag.time.max.ms` in ns: how long a follower may stay behind and still be in sync.
    var replicaLagMaxNanos: UInt64
    /// Leader only, per partition: when each follower last reached the leader's last index.
    private var caughtUpAt: [TopicPartition: [NodeID: UInt64]] = [:]
    private var lastIndexATickAgo: [TopicPartition: LogIndex] = [:]
    /// What `trackInSyncReplicas` last published per led partition: a tick publishes only what
    /// changed (a leader of one, or one whose followers keep up, changes nothing), so a broker
    /// at rest with 2,000 partitions does not rewrite 2,000 entries under the lock every tick.
    private var publishedViews: [TopicPartition: ReplicaView] = [:]
    /// Partition Readies written, waiting for the fsync that makes them durable, and the syncs.
    private var syncs = SyncPipeline<TopicPartition, PartitionRaftStorage, AwaitingSync>()
    /// Logs whose fsync failed (kept alive, by identity): their commit hints are not recorded at
    /// stop, and a replica repaired over one stops the node (the kernel reports a failed
    /// writeback once, so a later fsync of the same file succeeding proves nothing).
    private let failedLogs = Mutex<[ObjectIdentifier: PartitionLog]>([:])
    /// Run the partition fsyncs, a sync's files in parallel (their device waits overlap), at a
    /// lower CPU priority than the threads that answer requests: when both cores are busy (a
    /// storm of offset commits is mostly fsyncs' kernel work), an acks=1 produce on another
    /// connection goes first instead of queueing behind other partitions' writeback. A sync
    /// still gets the CPU whenever request threads leave any. One thread per core (2 to 16):
    /// a sync of more logs queues the rest behind them.
    private let fsyncThreads = WorkerPool(threads: min(16, max(2, ProcessInfo.processInfo.activeProcessorCount)),
                                          name: "sluice-fsync", niceness: RaftHost.fsyncNiceness)
    /// Measured side by side on two cores, acks=1 p99 under a commit storm against idempotent
    /// acks=all throughput with the producer saturating the cores (its five in-flight batches
    /// wait on the fsyncs): at 2, 0.76-0.83× the p99 and no throughput lost; at 4, 0.69× and
    /// 0.86-0.94×; at 10, 0.71× and 0.59-0.97× (starved fsyncs).
    static let fsyncNiceness: Int32 = 2
    /// Takes the snapshots that partition logs with a state machine are cut behind: reading a
    /// machine's whole state takes time the Raft thread must not spend.
    private let snapshotThread = WorkerPool(threads: 1, name: "sluice-snapshot", niceness: RaftHost.fsyncNiceness)
    /// Partitions whose machine is taking a snapshot to cut the log behind (Raft thread only).
    private var snapshotting: Set<TopicPartition> = []
    /// Replicas stopped while their machine restores a snapshot, or because it could not, and
    /// when to reopen them (`restoreAside`; `.max` while restoring).
    private var setAside: [TopicPartition: (partition: Partition, storage: PartitionRaftStorage, machine: RaftStateMachine, reopenAtNanos: UInt64)] = [:]
    var setAsideNanos: UInt64 = 10_000_000_000
    /// Restores running on the snapshot thread, with the storage each is for and an
    /// `addPartition` of the same partition that came meanwhile (a reassignment, a repair): it
    /// runs when the restore ends, so no group applies the partition's entries during it.
    private var restoring: [TopicPartition: (storage: PartitionRaftStorage, deferredAdd: (() -> Void)?)] = [:]
    /// Replicas whose kept snapshot their machine refused: they open without it, once.
    private var keptSnapshotRefused: Set<TopicPartition> = []
    /// Open replicas whose machine misses state it cannot restore (`noteMissingState`); an open
    /// decides again.
    private var incompleteMachines: Set<TopicPartition> = []
    /// Partitions whose snapshot was too large to keep, and when to try again (monotonic ns).
    private var compactionRetryNanos: [TopicPartition: UInt64] = [:]
    private static let compactionRetryAfterNanos: UInt64 = 3_600_000_000_000
    /// The sync running or last run (Raft thread only): stopping waits for it.
    private var syncInFlight: SyncRound?
    /// Controller proposals waiting for their entry to be applied, by index.
    var controllerWaiters: [LogIndex: (term: Term, done: @Sendable (Bool) -> Void)] = [:]
    /// Operators' voter changes of the controller quorum waiting to be proposed (`ControllerQuorum.swift`).
    var voterChanges: [PendingVoterChange] = []
    /// The last hand-over of the controller leadership a voter change started, and when.
    var voterHandOver: (target: NodeID, startedNanos: UInt64)?
    private var random: SeededRandom

    // MARK: Shared

    private enum Work {
        case messages(NodeID, [(RaftGroupID, Message)])
        /// `ifStopped` answers the caller when the thread stops before running `body`.
        case task(@Sendable () -> Void, ifStopped: (@Sendable () -> Void)?)
        /// The fsync threads finished sync `generation` (see `syncFinished`).
        case syncFinished(generation: UInt64, failures: [(PartitionRaftStorage, String)])
    }
    /// Work for the Raft thread; `closed` once the thread has taken its last batch (then work is
    /// refused with its `ifStopped`, never left unanswered). `wakePending`: `wake` was signalled
    /// since the thread last took the work, so another signal would only cost it an empty turn
    /// (under load, work arrives faster than turns end: one signal per item was one turn per item).
    private struct Inbox {
        var work: [Work] = []
        var closed = false
        var wakePending = false
    }
    private let inbox = Mutex(Inbox())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Who leads what, for request handlers on other threads.
    public struct Leadership: Sendable, Equatable {
        public var leader: NodeID?
        public var term: Term
        public var isLocalLeader: Bool
        /// The group's membership as this node knows it.
        public var voters: [Int32] = []
        public var learners: [Int32] = []
        /// Leader only: it has committed an entry of its own term and applied everything committed.
        public var caughtUp = false
        /// Leader only: the voters in sync (Kafka's ISR): itself, and each follower whose match
        /// index reached the leader's last index within `replicaLagMaxNanos`.
        public var inSync: [Int32] = []
        /// Leader only: entries each follower is behind the leader's last index.
        public var followerLagEntries: [Int32: Int64] = [:]
        /// Leader only: seconds since each follower last reached the leader's log end (0 when
        /// it is caught up).
        public var followerLagSeconds: [Int32: Double] = [:]
    }
    let published = Mutex<(controller: Leadership, partitions: [TopicPartition: Leadership])>(
        (Leadership(leader: nil, term: .zero, isLocalLeader: false), [:]))
    /// Each partition replica's storage, for request handlers on other threads that answer leader
    /// epoch questions from its epoch cache (the storage's reads are thread-safe).
    let storages = Mutex<[TopicPartition: PartitionRaftStorage]>([:])

    /// Sends messages to peers (the transport).
    let send: @Sendable (NodeID, [(RaftGroupID, Message)]) -> Void
    /// What the controller group's committed entries drive (set by `startController`).
    private var controllerMachine: RaftStateMachine?
    /// Raft messages the cores refused as invalid, by reason, over every group (for metrics).
    let droppedMessages = Mutex<[InvalidMessage: Int]>([:])
    /// Snapshots this node installed from a leader (controller and partitions), for metrics.
    let snapshotsInstalled = Atomic<Int>(0)
    /// Hears how long each partition fsync took, in seconds (on an fsync thread; must be quick).
    var fsyncObserved: @Sendable (Double) -> Void = { _ in }
    /// Entries kept in the controller log before it is compacted into a snapshot.
    var controllerCompactionEntries = 10_000
    /// Called when this node, leading a partition with a state machine, has applied everything
    /// committed before its election: each time its published view turns caught up, which is
    /// once a term unless a Ready left entries to apply later (on this thread; set before
    /// `start`).
    var machineCaughtUp: @Sendable (TopicPartition) -> Void = { _ in }
    /// Called when a group's leader changes (on this thread).
    let leadershipChanged: (RaftGroupID, Leadership) -> Void
    /// Called when a partition's high watermark moved (on this thread).
    let highWatermarkMoved: (Partition) -> Void
    /// Called when a replica stopped after a failed read (on this thread); it should be scrubbed.
    let replicaDamaged: (Partition) -> Void
    /// The replicas the controller wants a partition moved to, if a move is under way.
    let targetReplicas: @Sendable (TopicPartition) -> [Int32]?
    let onFatal: @Sendable (String) -> Void

    init(nodeID: NodeID, options: RaftOptions, tickMillis: Int64,
         send: @escaping @Sendable (NodeID, [(RaftGroupID, Message)]) -> Void,
         leadershipChanged: @escaping (RaftGroupID, Leadership) -> Void,
         highWatermarkMoved: @escaping (Partition) -> Void,
         replicaDamaged: @escaping (Partition) -> Void,
         targetReplicas: @escaping @Sendable (TopicPartition) -> [Int32]?,
         onFatal: @escaping @Sendable (String) -> Void) {
        self.nodeID = nodeID
        self.options = options
        self.replicaLagMaxNanos = 30_000_000_000
        self.tickNanos = UInt64(tickMillis) * 1_000_000
        self.send = send
        self.leadershipChanged = leadershipChanged
        self.highWatermarkMoved = highWatermarkMoved
        self.replicaDamaged = replicaDamaged
        self.targetReplicas = targetReplicas
        self.onFatal = onFatal
        random = SeededRandom(seed: UInt64(bitPattern: Int64(nodeID.rawValue)) &* 0x9E37_79B9_7F4A_7C15 &+ monotonicNanos())
    }

    func start() {
        let thread = Thread { [self] in
            nameCurrentThread("sluice-raft")
            run()
        }
        thread.name = "sluice-raft"
        thread.start()
    }

    func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        wake.signal()
        // Once the thread has ended its groups are this thread's to touch: record each commit.
        // If the thread has not ended, it may still start a sync: the fsync threads stay.
        guard finished.wait(timeout: .now() + 5) == .success else { return }
        fsyncThreads.stop()
        snapshotThread.stop()
        Self.saveCommits(partitions.values.map(\.storage).filter { !hasFailedSync($0.log) })
    }

    /// Records each partition's commit in its state file, side by side: a write is a file
    /// written, fsynced and renamed, and one after another they made a broker with 2,000
    /// partitions take seconds to stop.
    private static func saveCommits(_ storages: [PartitionRaftStorage]) {
        sideBySide(storages.count, name: "sluice-stop") { try? storages[$0].saveCommit() }
    }

    /// Runs `body` on the Raft thread; if the thread has stopped (or stops first), runs
    /// `ifStopped` instead, on whichever thread finds out.
    func perform(_ body: @escaping @Sendable () -> Void, ifStopped: (@Sendable () -> Void)? = nil) {
        if !enqueue(.task(body, ifStopped: ifStopped)) { ifStopped?() }
    }

    /// Hands inbound messages to the Raft thread.
    func receive(from: NodeID, _ messages: [(RaftGroupID, Message)]) {
        enqueue(.messages(from, messages))
    }

    /// Queues `work` and wakes the thread unless a wake is already pending; false once closed.
    @discardableResult
    private func enqueue(_ work: Work) -> Bool {
        let (accepted, signal) = inbox.withLock { inbox -> (Bool, Bool) in
            if inbox.closed { return (false, false) }
            inbox.work.append(work)
            defer { inbox.wakePending = true }
            return (true, !inbox.wakePending)
        }
        if signal { wake.signal() }
        return accepted
    }

    func nextSeed() -> SeededRandom { SeededRandom(seed: random.next()) }

    // MARK: The loop

    private func run() {
        var nextTick = monotonicNanos() + tickNanos
        var moreReady = false
        while !stopped.load(ordering: .acquiring) {
            let now = monotonicNanos()
            // A round can leave work for the next (a commit learned from its own fsync in a
            // group of one): run it at once rather than at the next tick or message.
            var woken = false
            if now < nextTick && !moreReady { woken = wake.wait(timeout: .now() + .nanoseconds(Int(nextTick - now))) == .success }
            let (work, signalled) = inbox.withLock { inbox -> ([Work], Bool) in
                defer { inbox.work = []; inbox.wakePending = false }
                return (inbox.work, inbox.wakePending)
            }
            // The signal sent for this work, when no wait took it (the turn did not wait, or its
            // wait timed out as the work came): take it now, or the next wait returns at once
            // for an empty turn. (If it is still on its way, that one empty turn is all it costs.)
            if signalled && !woken { _ = wake.wait(timeout: .now()) }
            var syncsFinished: [(generation: UInt64, failures: [(PartitionRaftStorage, String)])] = []
            for item in work {
                switch item {
                case let .messages(from, messages):
                    lastHeardNanos[from] = monotonicNanos()
                    for (group, message) in messages { step(group, message) }
                case let .task(body, _):
                    body()
                case let .syncFinished(generation, failures) where !failures.isEmpty:
                    // A failed fsync stops the node before anything more is written to its log.
                    syncFinished(generation, failures: failures)
                case let .syncFinished(generation, failures):
                    syncsFinished.append((generation, failures))
                }
            }
            if monotonicNanos() >= nextTick {
                nextTick = monotonicNanos() + tickNanos
                controller?.tick()
                tickPartitions()
                if !incompleteMachines.isEmpty { driveIncompleteMachines() }
                if !setAside.isEmpty { reopenSetAside() }
                trackInSyncReplicas()
                expirePending()
                driveReassignments()
                driveVoterChanges()
                mayHaveReady.formUnion(partitions.keys)
            }
            processReady()
            // What a finished sync lets take effect (offset commits applied and answered, a
            // sync's worth at a time) comes after the turn's writes, so that an acks=1 produce
            // proposed in this turn is written and answered without waiting behind it. Any
            // order is one the threads could have produced: the sync could have ended later.
            for sync in syncsFinished { syncFinished(sync.generation, failures: sync.failures) }
            moreReady = controller?.hasReady == true || !partitionsToWrite().isEmpty
        }
        // A sync still running must end before the groups are closed (its report is not needed),
        // and what was written since must be durable before their commits are recorded.
        syncInFlight?.waitUntilDone()
        let unsynced = syncs.takeUnsynced()
        if !unsynced.isEmpty {
            syncInParallel(unsynced, observe: fsyncObserved) { failures in
                for (_, failure) in failures { Diagnostics.error("at shutdown: \(failure)") }
            }.waitUntilDone()
        }
        answerEverythingLeft()
        finished.signal()
    }

    /// Stopping: nothing proposed now can commit on this node, so no caller is left waiting for
    /// it. Work still queued gets its `ifStopped` answer, proposals waiting for a majority a
    /// retriable NOT_LEADER_OR_FOLLOWER, controller proposals `false`; later work is refused at
    /// `perform`.
    private func answerEverythingLeft() {
        let left = inbox.withLock { inbox -> [Work] in
            inbox.closed = true
            defer { inbox.work.removeAll() }
            return inbox.work
        }
        for case let .task(_, ifStopped) in left { ifStopped?() }
        for tp in Array(partitions.keys) { partitions[tp]?.failPending(.notLeaderOrFollower, "this node is shutting down; retry at the partition's new leader") }
        abandonVoterChanges()
        let waiters = controllerWaiters
        controllerWaiters = [:]
        for waiter in waiters.values { waiter.done(false) }
    }

    private func step(_ group: RaftGroupID, _ message: Message) {
        // The counts are empty unless a peer sent something invalid: comparing them costs nothing.
        switch group {
        case .controller:
            let before = controller?.droppedMessages ?? [:]
            controller?.step(message)
            countDropped(before, controller?.droppedMessages ?? [:])
        case .partition(let tp):
            mayHaveReady.insert(tp)
            if let (reason, detail) = partitions[tp]?.storage.refusal(of: message) { return refuse(message, of: tp, reason, detail) }
            let before = partitions[tp]?.node.droppedMessages ?? [:]
            partitions[tp]?.node.step(message)
            countDropped(before, partitions[tp]?.node.droppedMessages ?? [:])
        }
    }

    /// A peer's message this replica's storage would refuse is dropped before its core sees it,
    /// counted with the core's own drops, and logged at the 1st, 10th, 100th… of a reason.
    private func refuse(_ message: Message, of tp: TopicPartition, _ reason: InvalidMessage, _ detail: String) {
        let count = droppedMessages.withLock { totals in
            totals[reason, default: 0] += 1
            return totals[reason, default: 0]
        }
        if Diagnostics.isLogged(occurrence: count) {
            Diagnostics.warn("replica \(tp): dropped a \(message.kind) from node \(message.from) (\(count) \(reason.rawValue) so far): \(detail)")
        }
    }

    private func countDropped(_ before: [InvalidMessage: Int], _ after: [InvalidMessage: Int]) {
        guard before != after else { return }
        droppedMessages.withLock { totals in
            for (reason, count) in after where count > before[reason, default: 0] {
                totals[reason, default: 0] += count - before[reason, default: 0]
            }
        }
    }

    /// One round of the Ready contract for every group that has something to do.
    func processReady() {
        var controllerReady: Ready?
        if controller?.hasReady == true, let ready = controller?.ready() {
            do { try controllerStore?.persist(ready) } catch { return onFatal("controller log write failed: \(error)") }
            controllerReady = ready
        }
        var outgoing: [NodeID: [(RaftGroupID, Message)]] = [:]
        if let ready = controllerReady, let store = controllerStore {
            for m in ready.messages(afterPersistingTo: store) { outgoing[m.to, default: []].append((.controller, m)) }
        }
        for tp in partitionsToWrite() {
            let written: AwaitingSync?
            do { written = try writeReady(tp) } catch { return onFatal("partition \(tp) log write failed: \(error)") }
            if let effective = written { finish(effective, into: &outgoing) }
        }
        startSyncIfIdle()
        for (to, messages) in outgoing { send(to, messages) }
        if let ready = controllerReady { applyController(ready) }
    }

    /// The partitions that have a Ready and may take it now: a follower waits until its last write
    /// is durable (its next write may cut the log under a running sync); a leader only appends.
    /// Of the groups in `mayHaveReady`, which keeps only those with a Ready (taken now or waiting).
    /// Each group is read in place (a copy of a group retains every buffer it holds; after a tick
    /// this looks at every group). Groups without a state machine come first: an acks=1 produce
    /// is answered at its write, and should not wait behind a turn's offset commits being written.
    private func partitionsToWrite() -> [TopicPartition] {
        var found: [TopicPartition] = []
        var machines: [TopicPartition] = []
        var withReady = Set<TopicPartition>(minimumCapacity: mayHaveReady.count)
        for tp in mayHaveReady {
            guard let index = partitions.index(forKey: tp), partitions.values[index].node.hasReady else { continue }
            withReady.insert(tp)
            guard partitions.values[index].node.role == .leader || syncs.isDurable(tp) else { continue }
            if partitions.values[index].machine == nil { found.append(tp) } else { machines.append(tp) }
        }
        mayHaveReady = withReady
        return found + machines
    }

    /// A partition Ready written (perhaps not yet fsynced) and advanced, with what it may only
    /// do once its writes are durable.
    private struct AwaitingSync {
        let tp: TopicPartition
        let storage: PartitionRaftStorage
        let ready: Ready
        let messages: [Message]
        let term: Term
        let caughtUp: Bool
    }

    /// Writes a partition's Ready, answers acks=1 produces it wrote and advances the core; what
    /// the Ready does besides writing if that may take effect now, else nil (it waits for its
    /// sync, or the replica was stopped because its log failed a read).
    private func writeReady(_ tp: TopicPartition) throws -> AwaitingSync? {
        guard let ready = partitions[tp]?.node.ready(), let storage = partitions[tp]?.storage else { return nil }
        // A leader's snapshot for a group with a machine is kept, and the machine restored from
        // it, off this thread (up to 16 MiB written and every row of a state rewritten).
        if let snapshot = ready.snapshot, let machine = partitions[tp]?.machine {
            installAside(tp, snapshot, hardState: ready.hardState, machine)
            return nil
        }
        try partitions[tp]?.persist(ready)
        // acks=1 is answered once the leader has written the batch, as Kafka does (before the
        // fsync; acks=all waits for a majority's).
        partitions[tp]?.afterPersist(ready)
        let messages = ready.messages(afterPersistingTo: storage)
        if ready.snapshot != nil { snapshotsInstalled.add(1, ordering: .relaxed) }
        partitions[tp]?.node.advance(ready)
        let wroteLog = !ready.entries.isEmpty || ready.snapshot != nil
        if let fault = storage.fault {
            // What it wrote (acks=1 was answered) is still synced like any write.
            if wroteLog { syncs.writtenWithoutEffect(into: storage) }
            stopForRepair(tp, fault: fault)
            return nil
        }
        guard let term = partitions[tp]?.node.term, let commitIsCurrent = partitions[tp]?.node.leaderCommitIsCurrent,
              let applied = partitions[tp]?.node.appliedIndex, let commit = partitions[tp]?.node.commitIndex else { return nil }
        let item = AwaitingSync(tp: tp, storage: storage, ready: ready, messages: messages, term: term,
                                caughtUp: commitIsCurrent && applied >= commit)
        // A new term or vote is made durable by the write itself (the state file is fsynced); the
        // log's entries wait for the sync.
        return syncs.written(tp, into: wroteLog ? storage : nil, item: item)
    }

    /// Hands every storage written since the last sync began to the fsync threads, unless a sync
    /// is running (then they wait for the next: group commit). The last fsync of the sync reports.
    private func startSyncIfIdle() {
        guard let (generation, storages) = syncs.startSync() else { return }
        syncInFlight = syncInParallel(storages, observe: fsyncObserved) { [self] failures in
            enqueue(.syncFinished(generation: generation, failures: failures))
        }
    }

    /// Fsyncs `storages` (at least one) on the fsync threads, side by side; the last to finish
    /// calls `then` with every failure.
    private func syncInParallel(_ storages: [PartitionRaftStorage], observe: @escaping @Sendable (Double) -> Void,
                                then: @escaping @Sendable ([(PartitionRaftStorage, String)]) -> Void) -> SyncRound {
        let round = SyncRound(files: storages.count)
        for storage in storages {
            fsyncThreads.submit { [self] in
                let failure = fsync(storage, observe: observe)
                guard let failures = round.finished(failure.map { (storage, $0) }) else { return }
                then(failures)
                round.complete()
            }
        }
        return round
    }

    /// On the Raft thread: sync `generation` is done; what waited for it takes effect, in order.
    private func syncFinished(_ generation: UInt64, failures: [(PartitionRaftStorage, String)]) {
        // A partition deleted or moved away while its log was being synced may have had its files
        // removed under the sync; nothing waits for it any more. A log still in use (a replica
        // repaired over the same log included) must not go on after a failed fsync.
        for (storage, failure) in failures where partitions.values.contains(where: { $0.storage.log === storage.log }) {
            return onFatal(failure)
        }
        var outgoing: [NodeID: [(RaftGroupID, Message)]] = [:]
        for item in syncs.syncFinished(generation) { finish(item, into: &outgoing) }
        for (to, messages) in outgoing { send(to, messages) }
        startSyncIfIdle()
    }

    /// What a partition Ready does once its writes are durable: send, apply, answer, publish.
    private func finish(_ item: AwaitingSync, into outgoing: inout [NodeID: [(RaftGroupID, Message)]]) {
        let tp = item.tp
        // The group was removed (and perhaps added again over a new storage) since the write.
        // Its parts are read one by one, not as a copy of the group: mutating the group while a
        // copy lives would copy its buffers.
        guard partitions[tp]?.storage === item.storage, let partition = partitions[tp]?.partition else { return }
        for m in item.messages { outgoing[m.to, default: []].append((.partition(tp), m)) }
        let ready = item.ready
        var answers: [@Sendable () -> Void] = []
        if let last = ready.committedEntries.last {
            partition.setReplicatedHighWatermark(PartitionGroup.offsetEnd(last.lastIndex))
            answers = partitions[tp]?.takeCommitted(through: last.lastIndex) ?? []
            highWatermarkMoved(partition)
        }
        let machine = partitions[tp]?.machine
        if machine == nil { for answer in answers { answer() } }
        // Published after the high watermark moved: a client told "leader" must not read the
        // older watermark (a group of one commits its new term's no-op in this same Ready).
        if let soft = ready.softState { publishPartition(tp, soft, term: item.term) }
        if ready.softState.map({ $0.role != .leader }) == true { partitions[tp]?.failPending(.notLeaderOrFollower) }
        if let configuration = partitions[tp]?.node.configuration {
            published.withLock { state in
                state.partitions[tp]?.voters = configuration.voters.map(\.rawValue)
                state.partitions[tp]?.learners = configuration.learners.map(\.rawValue)
                // A machine's group is caught up once the machine has applied (see `apply`).
                if machine == nil || !item.caughtUp { state.partitions[tp]?.caughtUp = item.caughtUp }
            }
        }
        // Last, so that a machine that applies at once finds the leadership published.
        if let machine { apply(ready, of: tp, to: machine, thenAnswer: answers, caughtUp: item.caughtUp, term: item.term) }
    }

    /// Hands a Ready's committed entries to the group's state machine, which applies them, and
    /// then gives the proposers their answers. An offset commit
    /// answered but not stored would be lost in silence: a failed apply stops the node instead.
    /// Only once the machine has applied may the leader say it is caught up, since readers
    /// (OffsetFetch) read the machine, not the log; a later term's leadership is left alone.
    private func apply(_ ready: Ready, of tp: TopicPartition, to machine: RaftStateMachine, thenAnswer answers: [@Sendable () -> Void],
                       caughtUp: Bool, term: Term) {
        // A machine missing state applies nothing: its applied index would then claim state it
        // lacks, and a snapshot from its leader would find nothing to restore.
        let entries = incompleteMachines.contains(tp) ? [] : ready.committedEntries.filter { $0.kind == .normal && !$0.data.isEmpty }
        do {
            if !entries.isEmpty { try machine.apply(entries) }
        } catch {
            return onFatal("partition \(tp) could not apply committed entries: \(error)")
        }
        for answer in answers { answer() }
        guard caughtUp, !incompleteMachines.contains(tp) else { return }
        let announced = published.withLock { state -> Bool in
            guard state.partitions[tp]?.term == term, state.partitions[tp]?.isLocalLeader == true,
                  state.partitions[tp]?.caughtUp != true else { return false }
            state.partitions[tp]?.caughtUp = true
            return true
        }
        if announced { machineCaughtUp(tp) }
    }

    private func hasFailedSync(_ log: PartitionLog) -> Bool { failedLogs.withLock { $0[ObjectIdentifier(log)] != nil } }

    /// A replica whose log failed a read (CRC, I/O) stops voting and acknowledging rather than
    /// serve or replicate bad bytes (what it wrote but has not sent stays unsent); the scrubber
    /// finds where the damage starts and `repair` rebuilds the replica from there.
    private func stopForRepair(_ tp: TopicPartition, fault: StorageError) {
        guard let partition = partitions[tp]?.partition else { return }
        Diagnostics.error("replica \(tp) stopped: its log failed a read: \(fault)")
        stoppedForRepair[tp] = partitions[tp]?.node.commitIndex
        stoppedMachines[tp] = partitions[tp]?.machine
        removePartition(tp)
        replicaDamaged(partition)
    }

    /// Stops a replica as if it had crashed before taking its Ready (nothing of it is written,
    /// sent or applied; its storage and machine stay as they were) until `reopenAtNanos`.
    private func setAside(_ tp: TopicPartition, until reopenAtNanos: UInt64) {
        guard let group = partitions[tp], let machine = group.machine else { return }
        removePartition(tp)
        setAside[tp] = (group.partition, group.storage, machine, reopenAtNanos)
    }

    /// Installs a leader's snapshot in a group with a machine, with the replica set aside
    /// meanwhile (its Ready dropped, as if it had crashed before writing it). On the snapshot
    /// thread the machine checks the snapshot and its data is written beside the log; on this
    /// thread the storage keeps it (a rename) and restarts the log at it, with the Ready's term
    /// and vote (never a term below the log's); then, on the snapshot thread, a machine behind
    /// it restores it. A restore cut short is done again from the kept copy at the next open
    /// (`addPartition`). The replica reopens at once over a log that now matches its leader's;
    /// a snapshot the machine refuses (unreadable, too large, or without the state it needs) is
    /// not kept, and the replica reopens after `setAsideNanos`, holding what it held.
    private func installAside(_ tp: TopicPartition, _ snapshot: Snapshot, hardState: HardState?, _ machine: RaftStateMachine) {
        guard let storage = partitions[tp]?.storage else { return }
        setAside(tp, until: .max)
        let source = "the leader's snapshot at index \(snapshot.metadata.index)"
        restoring[tp] = (storage, nil)
        snapshotThread.submit { [self] in
            let prepared = Result { try Self.prepareInstall(snapshot, into: storage, machine) }
            perform({ [self] in keepInstalled(tp, snapshot, hardState: hardState, storage, machine, prepared, source: source) })
        }
    }

    /// On the snapshot thread: refuses what the machine would refuse, and writes the data
    /// beside the log (none for a snapshot without data, which a machine holding everything
    /// to its index takes only once that is durable: nothing kept stands for it).
    static func prepareInstall(_ snapshot: Snapshot, into storage: PartitionRaftStorage,
                               _ machine: RaftStateMachine) throws -> PartitionRaftStorage.PreparedSnapshotData? {
        let index = snapshot.metadata.index
        guard snapshot.data.count <= PartitionRaftStorage.snapshotDataBytesMax else {
            throw SnapshotRefused(reason: "it holds \(snapshot.data.count) bytes, above \(PartitionRaftStorage.snapshotDataBytesMax)")
        }
        // Data this node cannot read is never kept (it would restore from it after a crash, and
        // send it as a leader). A machine that holds the index already needs none: it keeps
        // nothing rather than refuse (and be sent the same again), and takes a snapshot of its
        // own at the next retention check.
        var data = snapshot.data
        do { try machine.check(data, at: index) } catch let refused as SnapshotRefused {
            guard Self.appliedPosition(machine) >= index else { throw refused }
            data = []
        }
        if data.isEmpty, !machine.makeAppliedDurable() {
            throw SnapshotRefused(reason: "this node's applied state could not be made durable")
        }
        guard !data.isEmpty else { return nil }
        do { return try storage.prepareSnapshotData(data, .received) } catch {
            throw SnapshotRefused(reason: "it could not be written beside the log (\(error))")
        }
    }

    /// On the Raft thread: keeps a prepared leader's snapshot and restarts the log at it, unless
    /// the replica was removed, re-added or repaired meanwhile; then restores the machine.
    private func keepInstalled(_ tp: TopicPartition, _ snapshot: Snapshot, hardState: HardState?, _ storage: PartitionRaftStorage,
                               _ machine: RaftStateMachine, _ prepared: Result<PartitionRaftStorage.PreparedSnapshotData?, any Error>, source: String) {
        let current = restoring[tp]?.storage === storage && restoring[tp]?.deferredAdd == nil && setAside[tp]?.storage === storage
        guard current, case let .success(data) = prepared else {
            if case let .success(data?) = prepared { storage.discard(data) }
            return restored(tp, from: source, prepared.map { _ in () }, ifRefused: nil)
        }
        let index = snapshot.metadata.index
        do {
            try storage.persist(snapshot: snapshot.metadata, keeping: data, termAndVote: hardState)
        } catch {
            return restored(tp, from: source, .failure(error), ifRefused: nil)
        }
        snapshotsInstalled.add(1, ordering: .relaxed)
        guard Self.appliedPosition(machine) < index else { return restored(tp, from: source, .success(()), ifRefused: nil) }
        restoreAside(tp, storage, from: source) { try machine.restore(snapshot.data, at: index) }
    }

    /// A machine behind its log start with no snapshot it can restore (its kept one damaged, or
    /// in an encoding this version cannot read). With another voter in its group's latest
    /// membership, the replica joins its group as it is (its log intact, so elections go as they
    /// would) but is marked incomplete: it never says its machine is caught up (so its group
    /// coordinator serves none of the partition's offsets), takes no snapshot, and
    /// `driveIncompleteMachines` rebuilds it from a leader. The only voter has no one to ask: it
    /// opens with what it has and says what is missing.
    private func noteMissingState(_ tp: TopicPartition, _ storage: PartitionRaftStorage, _ machine: RaftStateMachine) {
        let start = storage.snapshot.metadata.index
        // The membership elections use: the latest, committed or not.
        let latest = storage.configurations(after: start).last?.configuration ?? storage.snapshot.metadata.configuration
        let missing = "its state machine has applied only to \(Self.appliedPosition(machine)), below its log start \(start), and it has no snapshot it can restore"
        guard latest.voters.contains(where: { $0 != nodeID }) else {
            Diagnostics.error("replica \(tp): \(missing): what was committed before then is missing from it, and it is its group's only voter")
            return
        }
        incompleteMachines.insert(tp)
        Diagnostics.warn("replica \(tp): \(missing): it serves none of its offsets, hands any leadership to a caught-up replica, and gives its log up to be rebuilt from the leader once it follows one")
    }

    /// Each tick, for every replica marked incomplete (`noteMissingState`): as leader, it hands
    /// leadership to a voter holding its whole log; as a follower whose whole log is committed,
    /// or whose last entry is of the current term (either way its log is a prefix of the
    /// leader's, so remembering its end never blocks an election that leader's log would win;
    /// a leader with nothing to propose appends nothing in its term), it gives its log up
    /// (`PartitionRaftStorage.restartEmpty`) and reopens as a new replica: the leader sends its
    /// snapshot, or every entry, and the machine is rebuilt. Until its log is back at the old
    /// end it votes as if it held it and does not campaign (`RaftNode.rememberDiscardedLog`).
    private func driveIncompleteMachines() {
        for tp in incompleteMachines {
            guard let node = partitions[tp]?.node else { continue }
            if node.role == .leader {
                guard node.transferTarget == nil else { continue }  // a transfer lapses after an election timeout
                // Any voter holding its whole log, drawn afresh each time: one that cannot
                // campaign (rebuilding a log itself) lets the transfer lapse, and the next may not.
                let caughtUp = node.configuration.voters.filter { $0 != nodeID && node.matchIndex(of: $0) == node.lastIndex }
                guard let target = caughtUp.randomElement(using: &random) else { continue }
                if (try? partitions[tp]?.node.transferLeadership(to: target)) != nil {
                    mayHaveReady.insert(tp)
                    Diagnostics.info("replica \(tp) leads without its state: handing its leadership to node \(target)")
                }
            } else if node.role == .follower, node.leader != nil,
                      node.commitIndex >= node.lastIndex || node.term(at: node.lastIndex) == node.term,
                      let written = partitions[tp]?.storage.lastIndex, written == node.lastIndex,
                      // A log cut after a failed read waits to hold what it lost first, written:
                      // the end it would remember (the log's) lies below what it may have
                      // acknowledged.
                      node.votesWithheldUntil.map({ $0 <= written }) ?? true {
                giveLogUp(tp)
            }
        }
    }

    private func giveLogUp(_ tp: TopicPartition) {
        guard let group = partitions[tp] else { return }
        removePartition(tp)
        do {
            try group.storage.restartEmpty()
        } catch {
            return onFatal("replica \(tp): giving its log up to rebuild its state from the leader failed: \(error)")
        }
        group.partition.rebuildProducerState()
        let end = group.storage.discardedLogEnd.map { "\($0.index)" } ?? "?"
        Diagnostics.warn("replica \(tp) gave its log up and rebuilds it, and its state, from the leader; it does not campaign until it holds \(end) again")
        addPartition(group.partition, storage: group.storage, preferredLeader: false, machine: group.machine)
    }

    /// Where a partition's machine stands: what it applied, or the empty log's position (0) if
    /// nothing yet.
    private static func appliedPosition(_ machine: RaftStateMachine) -> LogIndex {
        max(machine.appliedIndex ?? .origin, LogIndex(0))
    }

    /// At open: a machine behind its log's start (a restore cut short, or a store that lost
    /// what it had not made durable) restores the snapshot the storage keeps, on the snapshot
    /// thread, before its replica opens.
    private func restoreKeptAside(_ partition: Partition, _ storage: PartitionRaftStorage, _ machine: RaftStateMachine) {
        let tp = partition.topicPartition
        let kept = storage.snapshot
        setAside[tp] = (partition, storage, machine, .max)
        Diagnostics.warn("replica \(tp): its state machine has applied only to \(Self.appliedPosition(machine)), below its log start \(kept.metadata.index); restoring its kept snapshot before it opens")
        restoreAside(tp, storage, from: "its kept snapshot at index \(kept.metadata.index)", ifRefused: { [self] in keptSnapshotRefused.insert(tp) }) {
            try machine.restore(kept.data, at: kept.metadata.index)
        }
    }

    /// Runs `restore` on the snapshot thread for a replica set aside, then `restored`.
    private func restoreAside(_ tp: TopicPartition, _ storage: PartitionRaftStorage, from source: String,
                              ifRefused: (@Sendable () -> Void)? = nil, _ restore: @escaping @Sendable () throws -> Void) {
        restoring[tp] = (storage, nil)
        snapshotThread.submit { [self] in
            let outcome = Result<Void, any Error> { try restore() }
            perform({ [self] in restored(tp, from: source, outcome, ifRefused: ifRefused, machineWriteMayPass: true) })
        }
    }

    /// On the Raft thread: a restore ended. The replica reopens now, or after `setAsideNanos` if
    /// the snapshot was refused or could not be written; one removed meanwhile stays closed, one
    /// re-added or repaired meanwhile opens as that asked.
    ///
    /// `machineWriteMayPass`: the failure came from the machine restoring a kept snapshot. One
    /// that says nothing of damage (a full disk, not an I/O error or corruption: see
    /// `DatabaseError.isDamage`) leaves nothing a reopen cannot redo: the log and the kept
    /// snapshot are as installed, and the machine's applied index is nil or below the
    /// snapshot's, so the reopen restores the kept copy again. Unless a re-add or repair waits
    /// (it would open the replica without its restore, or lose its vote withholding), the replica
    /// tries again every `setAsideNanos`. Any other failure stops the node.
    private func restored(_ tp: TopicPartition, from source: String, _ outcome: Result<Void, any Error>, ifRefused: (@Sendable () -> Void)?,
                          machineWriteMayPass: Bool = false) {
        guard let restore = restoring.removeValue(forKey: tp) else { return }
        let refused: SnapshotRefused?
        switch outcome {
        case .success: refused = nil
        case let .failure(error as SnapshotRefused): refused = error
        case let .failure(error as DatabaseError) where machineWriteMayPass && !error.isDamage && restore.deferredAdd == nil:
            return writeFailed(tp, restore.storage, source: source, error)
        case let .failure(error): return onFatal("replica \(tp) could not restore \(source): \(error)")
        }
        if refused != nil { ifRefused?() }
        if let add = restore.deferredAdd {
            if setAside[tp]?.storage === restore.storage { setAside[tp] = nil }
            return add()
        }
        guard var aside = setAside[tp], aside.storage === restore.storage else { return }
        aside.reopenAtNanos = 0
        if let refused, ifRefused != nil {
            Diagnostics.error("replica \(tp): \(source) cannot be restored: \(refused.reason)")
        } else if let refused {
            Diagnostics.error("replica \(tp) stopped for \(setAsideNanos / 1_000_000_000) s: \(source) cannot be restored: \(refused.reason); it holds what it held, and asks its leader again when it reopens")
            aside.reopenAtNanos = monotonicNanos() + setAsideNanos
        } else {
            Diagnostics.info("replica \(tp) restored \(source)")
        }
        setAside[tp] = aside
        reopenSetAside()
    }

    /// A snapshot its machine could not write: the replica stays set aside for `setAsideNanos`
    /// and reopens as any set-aside replica does, restoring the kept copy again.
    private func writeFailed(_ tp: TopicPartition, _ storage: PartitionRaftStorage, source: String, _ error: DatabaseError) {
        Diagnostics.error("replica \(tp) stopped for \(setAsideNanos / 1_000_000_000) s: \(source) could not be written (\(error)); it tries again when it reopens")
        guard var aside = setAside[tp], aside.storage === storage else { return }
        aside.reopenAtNanos = monotonicNanos() + setAsideNanos
        setAside[tp] = aside
    }

    /// Reopens the replicas set aside whose time has come (unless the controller moved or
    /// reopened them meanwhile).
    private func reopenSetAside() {
        let now = monotonicNanos()
        for (tp, aside) in setAside where now >= aside.reopenAtNanos {
            setAside[tp] = nil
            guard partitions[tp] == nil else { continue }
            addPartition(aside.partition, storage: aside.storage, preferredLeader: false, machine: aside.machine)
        }
    }

    private func applyController(_ ready: Ready) {
        if let soft = ready.softState { publishController(soft) }
        if let snapshot = ready.snapshot {
            snapshotsInstalled.add(1, ordering: .relaxed)
            do { try controllerMachine?.restore(snapshot.data, at: snapshot.metadata.index) } catch {
                return onFatal("controller snapshot at \(snapshot.metadata.index) could not be installed: \(error)")
            }
        }
        for entry in ready.committedEntries {
            if entry.kind == .normal, !entry.data.isEmpty {
                do { try controllerMachine?.apply([entry]) } catch { return onFatal("controller entry \(entry.lastIndex) could not be applied: \(error)") }
            }
            if let waiter = controllerWaiters.removeValue(forKey: entry.lastIndex) { waiter.done(waiter.term == entry.term) }
        }
        // Entries proposed in a term that ended without them are never applied under that term.
        if let last = ready.committedEntries.last {
            for (index, waiter) in controllerWaiters where index < last.lastIndex {
                controllerWaiters[index] = nil
                waiter.done(false)
            }
        }
        controller?.advance(ready)
        compactControllerLogIfLong()
    }

    /// Fsyncs one partition log; what failed, if it did (the log is then remembered as failed).
    private func fsync(_ storage: PartitionRaftStorage, observe: @Sendable (Double) -> Void) -> String? {
        let started = monotonicNanos()
        defer { observe(Double(monotonicNanos() &- started) / 1e9) }
        do { try storage.sync() } catch {
            failedLogs.withLock { $0[ObjectIdentifier(storage.log)] = storage.log }
            return "fsync of \(storage.log.directory) failed: \(error)"
        }
        return nil
    }

    /// Metadata changes and broker registrations are controller entries: without compaction the
    /// log (and its in-memory copy) would grow forever, so past a length it is cut at the applied
    /// index behind a snapshot of the state machine.
    private func compactControllerLogIfLong() {
        guard let store = controllerStore, let applied = controller?.appliedIndex, store.entryCount > controllerCompactionEntries,
              applied > store.snapshot.metadata.index, let data = controllerMachine?.snapshot() else { return }
        do {
            try store.compact(through: applied, data: data)
            Diagnostics.info("controller log compacted through \(applied) (\(data.count) bytes of state)")
        } catch {
            Diagnostics.error("controller log compaction failed: \(error)")
        }
    }

    private func publishController(_ soft: SoftState) {
        let view = Leadership(leader: soft.leader, term: controller?.term ?? .zero, isLocalLeader: soft.role == .leader)
        published.withLock { $0.controller = view }
        leadershipChanged(.controller, view)
        if soft.role != .leader {
            for (_, waiter) in controllerWaiters { waiter.done(false) }
            controllerWaiters.removeAll()
        }
    }

    private func publishPartition(_ tp: TopicPartition, _ soft: SoftState, term: Term) {
        var view = Leadership(leader: soft.leader, term: term, isLocalLeader: soft.role == .leader)
        if let configuration = partitions[tp]?.node.configuration {
            view.voters = configuration.voters.map(\.rawValue)
            view.learners = configuration.learners.map(\.rawValue)
        }
        let changed = published.withLock { published -> Bool in
            let old = published.partitions[tp]
            published.partitions[tp] = view
            return old.map { ($0.leader, $0.term, $0.isLocalLeader) != (view.leader, view.term, view.isLocalLeader) } ?? true
        }
        // The entry was replaced without its replicas' view: the next tick publishes it again.
        publishedViews[tp] = nil
        if changed { leadershipChanged(.partition(tp), view) }
    }

    /// Leaders only, once a tick: which followers are in sync, and how far each is behind. A
    /// follower is in sync while its match index reached, within `replicaLagMaxNanos`
    /// (`replica.lag.time.max.ms`), the last index the leader had a tick earlier: under steady
    /// writes a healthy follower trails by what is in flight and still counts. A new leader counts
    /// every voter as just caught up, as Kafka's new leaders start from the recorded ISR.
    private func trackInSyncReplicas() {
        let now = monotonicNanos()
        var changed: [(TopicPartition, ReplicaView)] = []
        var index = partitions.startIndex
        while index != partitions.endIndex {
            defer { partitions.formIndex(after: &index) }
            let tp = partitions.keys[index]
            guard partitions.values[index].node.role == .leader else {
                if caughtUpAt[tp] != nil { forgetReplicaView(tp) }
                continue
            }
            let view = replicaView(tp, partitions.values[index].node, now: now)
            if publishedViews[tp] != view {
                publishedViews[tp] = view
                changed.append((tp, view))
            }
        }
        guard !changed.isEmpty else { return }
        published.withLock { state in
            for (tp, view) in changed {
                state.partitions[tp]?.inSync = view.inSync
                state.partitions[tp]?.followerLagEntries = view.lag
                state.partitions[tp]?.followerLagSeconds = view.seconds
            }
        }
    }

    /// A leader's followers as this tick sees them (and when each was last caught up, kept).
    private func replicaView(_ tp: TopicPartition, _ node: RaftNode<PartitionRaftStorage>, now: UInt64) -> ReplicaView {
        var seen = caughtUpAt[tp] ?? [:]
        let target = lastIndexATickAgo[tp] ?? node.lastIndex
        lastIndexATickAgo[tp] = node.lastIndex
        var view = ReplicaView(inSync: [nodeID.rawValue])
        for voter in node.configuration.voters where voter != nodeID {
            let match = node.matchIndex(of: voter) ?? .origin
            view.lag[voter.rawValue] = max(0, node.lastIndex.rawValue - match.rawValue)
            // Only a follower heard from lately can be caught up: a dead one holding the whole
            // log while nothing is written must still leave the set.
            let heard = lastHeardNanos[voter].map { now &- $0 <= replicaLagMaxNanos } ?? false
            if (match >= target && heard) || seen[voter] == nil { seen[voter] = now }
            if let at = seen[voter] {
                if now &- at <= replicaLagMaxNanos { view.inSync.append(voter.rawValue) }
                view.seconds[voter.rawValue] = Double(now &- at) / 1e9
            }
        }
        caughtUpAt[tp] = seen
        view.inSync.sort()
        return view
    }

    private func forgetReplicaView(_ tp: TopicPartition) {
        caughtUpAt[tp] = nil
        lastIndexATickAgo[tp] = nil
        publishedViews[tp] = nil
    }

    /// Ticks every partition group in place. (Iterating `partitions.keys` while mutating the
    /// table copied the whole table, every group in it, once a tick: with 2,000 partitions a
    /// broker at rest used 38% of a core with the copy, 30% without.)
    private func tickPartitions() {
        var index = partitions.startIndex
        while index != partitions.endIndex {
            partitions.values[index].node.tick()
            partitions.formIndex(after: &index)
        }
    }

    private func expirePending() {
        let now = monotonicNanos()
        var index = partitions.startIndex
        while index != partitions.endIndex {
            partitions.values[index].expire(now: now)
            partitions.formIndex(after: &index)
        }
    }

    // MARK: Groups

    /// Starts (or restarts) the controller group over `store`, driving `machine`; replay starts
    /// after what the machine has applied.
    func startController(store: ControllerLogStore, machine: RaftStateMachine) {
        let applied = max(store.snapshot.metadata.index, min(machine.appliedIndex ?? store.snapshot.metadata.index, store.hardState.commit))
        controllerStore = store
        controllerMachine = machine
        controller = RaftNode(id: nodeID, storage: store, options: options, random: nextSeed(), applied: applied)
        // The only voter need not wait an election timeout to elect itself (a cluster of one).
        if controller?.configuration.voters == [nodeID] { controller?.campaign() }
    }

    /// Adds a partition replica's group, driving `machine` if it has one; a fresh group whose
    /// preferred leader is this node campaigns at once.
    func addPartition(_ partition: Partition, storage: PartitionRaftStorage, preferredLeader: Bool, machine: RaftStateMachine?) {
        let tp = partition.topicPartition
        guard partitions[tp] == nil else { return }
        if restoring[tp] != nil {
            restoring[tp]?.deferredAdd = { [self] in addPartition(partition, storage: storage, preferredLeader: preferredLeader, machine: machine) }
            return
        }
        // Without a machine what is committed counts as applied (the log is the state); with one,
        // replay what it has not applied yet, first restoring the kept snapshot if it is behind it.
        if let machine, Self.appliedPosition(machine) < storage.snapshot.metadata.index {
            if !storage.snapshot.data.isEmpty, keptSnapshotRefused.remove(tp) == nil {
                return restoreKeptAside(partition, storage, machine)
            }
            noteMissingState(tp, storage, machine)
        }
        let snapshotIndex = storage.snapshot.metadata.index
        let applied = max(snapshotIndex, min(machine.map(Self.appliedPosition) ?? storage.hardState.commit, storage.hardState.commit))
        var node = RaftNode(id: nodeID, storage: storage, options: options, random: nextSeed(), applied: applied)
        if let end = storage.discardedLogEnd { node.rememberDiscardedLog(lastIndex: end.index, lastTerm: end.term) }
        var group = PartitionGroup(partition: partition, storage: storage, node: node, machine: machine)
        partition.setReplicatedHighWatermark(PartitionGroup.offsetEnd(applied))
        let onlyVoter = group.node.configuration.voters == [nodeID]
        if onlyVoter || (preferredLeader && storage.lastIndex == storage.snapshot.metadata.index && storage.hardState.term == .zero) {
            group.node.campaign()
        }
        partitions[tp] = group
        mayHaveReady.insert(tp)
        storages.withLock { $0[tp] = storage }
        published.withLock { $0.partitions[tp] = Leadership(leader: nil, term: .zero, isLocalLeader: false) }
        forgetReplicaView(tp)
        // A group of one voter elected itself just now over a log it knows committed (its high
        // watermark is already right): say so before the caller's next request (a produce right
        // after CreateTopics) looks, not one Raft round later.
        if group.node.role == .leader && group.node.leaderCommitIsCurrent {
            publishPartition(tp, group.node.softState, term: group.node.term)
        }
    }

    func removePartition(_ tp: TopicPartition) {
        setAside[tp] = nil
        incompleteMachines.remove(tp)
        syncs.remove(tp)
        partitions[tp]?.failPending(.notLeaderOrFollower)
        let term = partitions[tp]?.node.term ?? .zero
        partitions[tp] = nil
        let view = published.withLock { $0.partitions.removeValue(forKey: tp) }
        // Whoever relied on this node leading it (a group coordinator) must stop now: its machine
        // may change (set aside for a snapshot), or the replica is gone.
        if view?.isLocalLeader == true { leadershipChanged(.partition(tp), Leadership(leader: nil, term: term, isLocalLeader: false)) }
        forgetReplicaView(tp)
        _ = storages.withLock { $0.removeValue(forKey: tp) }
    }

    // MARK: Proposals (called through `perform`, on the Raft thread)

    /// Proposes an entry of the controller group (its state machine's encoding); `done(true)`
    /// once applied on this node in this term.
    func proposeController(_ data: [UInt8], done: @escaping @Sendable (Bool) -> Void) {
        guard controller?.role == .leader else { return done(false) }
        do {
            guard let (index, term) = try controller?.propose(data) else { return done(false) }
            controllerWaiters[index] = (term, done)
        } catch {
            done(false)
        }
    }

    /// An election timeout, in ns.
    var electionWindowNanos: UInt64 { tickNanos * UInt64(options.electionTimeoutTicks) }

    /// Whether `id` counts as up: this node, or a peer heard from (in any group) within an
    /// election timeout.
    func isLive(_ id: NodeID, now: UInt64) -> Bool {
        id == nodeID || nanosElapsed(since: lastHeardNanos[id] ?? 0, now: now) < electionWindowNanos
    }

    /// Appends a producer's validated batches as the partition leader.
    func proposeProduce(_ tp: TopicPartition, records: [UInt8], headers: [RecordBatchHeader], acks: Int16, timeoutMillis: Int64,
                        done: @escaping @Sendable (ProduceOutcome) -> Void) {
        guard let node = partitions[tp]?.node else { return done(.failed(.notLeaderOrFollower, "this node holds no replica of \(tp)")) }
        if acks == -1 && node.role == .leader {
            let voters = node.configuration.voters
            let now = monotonicNanos()
            let live = voters.filter { isLive($0, now: now) }.count
            let needed = max(node.configuration.quorum, min(minInsyncReplicas, voters.count))
            if live < needed {
                return done(.failed(.notEnoughReplicas, "\(tp) has \(live) of \(voters.count) replicas reachable; acks=all needs \(needed)"))
            }
        }
        partitions[tp]?.propose(records: records, headers: headers, acks: acks, timeoutMillis: timeoutMillis, done: done)
        mayHaveReady.insert(tp)
    }

    /// Hands leadership of every partition this node leads to its most caught-up follower.
    func transferAllLeaderships() {
        for (tp, group) in partitions where group.node.role == .leader {
            let followers = group.node.configuration.voters.filter { $0 != nodeID }
            guard let target = followers.max(by: { (group.node.matchIndex(of: $0) ?? .origin) < (group.node.matchIndex(of: $1) ?? .origin) }) else { continue }
            try? partitions[tp]?.node.transferLeadership(to: target)
            mayHaveReady.insert(tp)
        }
        if controller?.role == .leader, let conf = controller?.configuration {
            if let target = conf.voters.filter({ $0 != nodeID }).max(by: { (controller?.matchIndex(of: $0) ?? .origin) < (controller?.matchIndex(of: $1) ?? .origin) }) {
                try? controller?.transferLeadership(to: target)
            }
        }
    }

    /// How far retention and DeleteRecords may cut this replica's log: what it has applied with
    /// its writes durable, the high watermark (the core's applied index runs ahead of it while a
    /// sync is under way). A log with a state machine is cut only behind the machine's snapshot
    /// (`compactBehindSnapshot`), whatever the topic's retention says.
    private static func durablyApplied(_ group: PartitionGroup) -> LogIndex {
        group.machine == nil ? committedAndDurable(group) : group.storage.snapshot.metadata.index
    }

    func deleteRecords(_ tp: TopicPartition, before offset: Int64) -> Int64? {
        guard let group = partitions[tp], group.node.role == .leader else { return nil }
        return try? group.storage.deleteRecords(before: offset, appliedIndex: Self.durablyApplied(group))
    }

    func applyRetention() {
        for (tp, group) in partitions {
            // A roll fsyncs the old segment; a failure there is as fatal as any other fsync's.
            do { try group.partition.log.rollIfDue() } catch { return onFatal("\(group.partition.topicPartition): \(error)") }
            group.partition.expireProducers()
            if let machine = group.machine {
                compactBehindSnapshot(tp, group, machine)
            } else {
                _ = try? group.storage.applyRetention(appliedIndex: Self.durablyApplied(group))
            }
        }
    }

    /// Where a log with a state machine may be cut: the last segment start at or below `limit`,
    /// short of the newest closed segment (whole segments go, the log start stays a batch
    /// boundary, and a follower a little behind still catches up from the log, not a snapshot).
    private static func compactionCut(_ log: PartitionLog, limit: LogIndex) -> Int64? {
        log.segmentBaseOffsets.dropFirst().dropLast().last { $0 <= limit.rawValue }
    }

    /// A log with a state machine is cut once a closed segment
    /// besides the newest lies wholly below what the machine has applied: the machine makes
    /// its state durable and takes a snapshot on the snapshot thread, the storage keeps it (what
    /// a replica behind the cut restores from), and then the log loses the segments it covers.
    /// A log already cut with no snapshot kept (by an earlier version, or a kept file found
    /// damaged) gets one the same way.
    private func compactBehindSnapshot(_ tp: TopicPartition, _ group: PartitionGroup, _ machine: RaftStateMachine) {
        // A machine missing state, or rebuilding it, would carry the gap into its snapshot.
        guard !snapshotting.contains(tp), !incompleteMachines.contains(tp), group.storage.discardedLogEnd == nil,
              monotonicNanos() >= compactionRetryNanos[tp] ?? 0, let applied = machine.appliedIndex else { return }
        let storage = group.storage
        let position = storage.snapshot.metadata.index
        let missing = position > .origin && storage.snapshot.data.isEmpty
        guard missing || Self.compactionCut(storage.log, limit: min(applied, Self.committedAndDurable(group))) != nil else { return }
        snapshotting.insert(tp)
        snapshotThread.submit { [self] in
            // Read before the barrier: only what the barrier covers is durable, and the snapshot,
            // taken after, holds at least that.
            let durable = machine.appliedIndex
            let taken = machine.makeAppliedDurable() ? machine.snapshot() : nil
            let prepared = taken.flatMap { prepare($0, in: storage, for: tp) }
            perform({ [self] in finishCompaction(tp, storage, from: position, durable: durable, prepared: prepared) })
        }
    }

    /// On the snapshot thread: writes a snapshot beside the log, so the Raft thread only renames
    /// it. None if it is over the bound (retried in an hour) or cannot be written.
    private func prepare(_ data: [UInt8], in storage: PartitionRaftStorage, for tp: TopicPartition) -> PartitionRaftStorage.PreparedSnapshotData? {
        guard data.count <= PartitionRaftStorage.snapshotDataBytesMax else {
            perform({ [self] in compactionRetryNanos[tp] = monotonicNanos() + Self.compactionRetryAfterNanos })
            Diagnostics.error("\(tp): its state (\(data.count) bytes) is above the snapshot bound of \(PartitionRaftStorage.snapshotDataBytesMax) bytes, so its log is not cut further (tried again in an hour); its offsets are served as before, its log grows")
            return nil
        }
        do { return try storage.prepareSnapshotData(data, .taken) } catch {
            Diagnostics.error("\(tp): cannot write its snapshot beside the log: \(error)")
            return nil
        }
    }

    /// On the Raft thread: keeps the snapshot, then cuts the log behind it; nothing if a leader's
    /// snapshot was installed meanwhile (the machine's state moved under the one taken).
    private func finishCompaction(_ tp: TopicPartition, _ storage: PartitionRaftStorage, from position: LogIndex, durable: LogIndex?,
                                  prepared: PartitionRaftStorage.PreparedSnapshotData?) {
        snapshotting.remove(tp)
        guard let prepared else { return }
        guard let group = partitions[tp], group.storage === storage, storage.snapshot.metadata.index == position,
              let durable, let current = group.machine?.appliedIndex else { return storage.discard(prepared) }
        let limit = min(durable, current, Self.committedAndDurable(group))
        guard limit >= position else {
            // The machine holds less than the log's start (a log an earlier version cut): no
            // snapshot of it can stand for the position. Asked again in an hour, not at every check.
            storage.discard(prepared)
            compactionRetryNanos[tp] = monotonicNanos() + Self.compactionRetryAfterNanos
            return Diagnostics.error("\(tp): its state machine has applied only to \(limit), below the log start \(position), so no snapshot is kept for replicas behind it (tried again in an hour)")
        }
        do {
            try storage.keepSnapshotData(prepared)
            if let cut = Self.compactionCut(storage.log, limit: limit) { try storage.deleteRecords(before: cut, appliedIndex: limit) }
        } catch {
            Diagnostics.error("\(tp): cutting the log behind a snapshot failed: \(error)")
        }
    }

    /// What this replica has applied with its writes durable: the high watermark bounds it (the
    /// core's applied index runs ahead of it while a sync is under way).
    private static func committedAndDurable(_ group: PartitionGroup) -> LogIndex {
        LogIndex(min(group.partition.highWatermark, group.node.appliedIndex.rawValue))
    }

    /// Replicas stopped after a failed read, with the commit index they had reached.
    var stoppedForRepair: [TopicPartition: LogIndex] = [:]
    /// The state machines of replicas stopped for repair, given back when they restart.
    private var stoppedMachines: [TopicPartition: RaftStateMachine] = [:]

    /// Cuts a damaged replica's log at `offset` (the first bad batch) and restarts its group as a
    /// follower that fetches the rest from the leader. Until its log is back where its commit was,
    /// it neither votes nor campaigns: it may have counted toward committing what it just lost.
    func repair(_ partition: Partition, from offset: Int64, machine deferredMachine: RaftStateMachine? = nil) {
        let tp = partition.topicPartition
        if hasFailedSync(partition.log) { return onFatal("replica \(tp) cannot be repaired over a log whose fsync failed") }
        // A snapshot being installed or restored goes first (see `restoring`): the install
        // restarts the log this would cut.
        if restoring[tp] != nil {
            // The machine is held by the set-aside replica, which is gone when this runs.
            let machine = setAside[tp]?.machine
            restoring[tp]?.deferredAdd = { [self] in repair(partition, from: offset, machine: machine) }
            return
        }
        // What it acknowledged is unknown after a restart (the commit hint is lazy): wait for
        // everything it held, committed or not, before voting again.
        let held = LogIndex(partition.log.logEndOffset)
        let commit = max(held, partitions[tp]?.node.commitIndex ?? stoppedForRepair[tp] ?? held)
        let configuration = partitions[tp]?.node.configuration
        let machine = partitions[tp]?.machine ?? stoppedMachines[tp] ?? setAside[tp]?.machine ?? deferredMachine
        removePartition(tp)
        stoppedMachines[tp] = nil
        stoppedForRepair[tp] = nil
        do {
            try partition.log.truncate(toOffset: max(offset, partition.log.logStartOffset))
            partition.rebuildProducerState()
            let storage = try PartitionRaftStorage(log: partition.log, bootstrap: configuration ?? .empty)
            let reopen = { [self] in
                addPartition(partition, storage: storage, preferredLeader: false, machine: machine)
                partitions[tp]?.node.withholdVotes(until: commit)
            }
            reopen()
            // A machine behind the log start restores its kept snapshot first: reopen after it.
            if partitions[tp] == nil && restoring[tp] != nil { restoring[tp]?.deferredAdd = reopen }
            Diagnostics.info("replica \(tp) repaired: log cut at offset \(offset), catching up from the leader; no votes until it holds \(commit) again")
        } catch {
            Diagnostics.error("replica \(tp) could not be repaired: \(error)")
        }
    }

    /// Controller leader: a registered broker outside the controller quorum joins it as a learner,
    /// so it receives and applies the controller log like every other node.
    func ensureControllerLearner(_ id: NodeID) {
        guard id != nodeID, let node = controller, node.role == .leader, !node.configuration.isMember(id) else { return }
        _ = try? controller?.proposeConfigChange(.addLearner(id))
    }

    /// Moves each led partition under reassignment one membership step toward its target: add a
    /// missing replica as a learner, promote a learner that caught up, then remove a replica that
    /// is not wanted (handing leadership over first when that is this node). The core refuses a
    /// second change while one is uncommitted, so each tick makes at most one step per partition.
    private func driveReassignments() {
        for tp in Array(partitions.keys) where partitions[tp]?.node.role == .leader {
            guard let target = targetReplicas(tp)?.map({ NodeID($0) }), let node = partitions[tp]?.node else { continue }
            let configuration = node.configuration
            if let missing = target.first(where: { !configuration.isMember($0) }) {
                _ = try? partitions[tp]?.node.proposeConfigChange(.addLearner(missing))
                continue
            }
            if let ready = configuration.learners.first(where: { target.contains($0) && (node.matchIndex(of: $0) ?? .origin) >= node.commitIndex }) {
                _ = try? partitions[tp]?.node.proposeConfigChange(.promoteLearner(ready))
                continue
            }
            guard let unwanted = configuration.members.first(where: { !target.contains($0) }) else { continue }
            if unwanted == nodeID {
                let successor = target.filter { configuration.isVoter($0) }.max { (node.matchIndex(of: $0) ?? .origin) < (node.matchIndex(of: $1) ?? .origin) }
                if let successor, node.transferTarget == nil { try? partitions[tp]?.node.transferLeadership(to: successor) }
            } else {
                _ = try? partitions[tp]?.node.proposeConfigChange(.remove(unwanted))
            }
        }
    }

    /// Partitions this node leads, with their terms (for the broker heartbeat).
    func ledPartitions() -> [(TopicPartition, Term)] {
        partitions.compactMap { tp, group in group.node.role == .leader ? (tp, group.node.term) : nil }
    }
}

/// How a produce to one partition ended.
public enum ProduceOutcome: Sendable {
    case appended(firstOffset: Int64, logStartOffset: Int64)
    case failed(KafkaError, String)
}

/// One sync's fsyncs, run on several threads: the last to finish hands back every failure, and
/// marks the round complete once it has reported them.
private final class SyncRound: Sendable {
    private let state: Mutex<(left: Int, failures: [(PartitionRaftStorage, String)])>
    private let done = DispatchSemaphore(value: 0)

    init(files: Int) { state = Mutex((files, [])) }

    /// One file is done (with its failure, if any); every failure once it was the last.
    func finished(_ failure: (PartitionRaftStorage, String)?) -> [(PartitionRaftStorage, String)]? {
        state.withLock { state -> [(PartitionRaftStorage, String)]? in
            if let failure { state.failures.append(failure) }
            state.left -= 1
            return state.left == 0 ? state.failures : nil
        }
    }

    /// The last file's job has reported: `waitUntilDone` returns from now on.
    func complete() { done.signal() }

    /// Stopping: returns once every file of the sync is done (at once if it already is).
    func waitUntilDone() {
        done.wait()
        done.signal()
    }
}

/// A partition leader's view of its replicas, as published for Metadata and metrics.
private struct ReplicaView: Equatable {
    var inSync: [Int32]
    var lag: [Int32: Int64] = [:]
    var seconds: [Int32: Double] = [:]
}
