import SluiceCore
import SluiceIO
import SluiceLog
import SluiceRaft
import SluiceWire
import Synchronization

/// The Raft log of one partition's group *is* the partition's segment log (one log, no
/// double write: a record is written to disk once, and the Raft entry is that batch). This type
/// maps one onto the other:
///
/// | Raft                          | Kafka partition log                                           |
/// |-------------------------------|---------------------------------------------------------------|
/// | entry                         | one RecordBatch v2, bytes exactly as stored                   |
/// | `entry.lastIndex`             | `batch.lastOffset + 1` (the log end offset after the batch)   |
/// | `entry.indexCount`            | `batch.lastOffsetDelta + 1`                                   |
/// | `entry.prevIndex`             | `batch.baseOffset`                                            |
/// | `entry.term`                  | `batch.partitionLeaderEpoch`                                  |
/// | `.noop`, `.configuration`     | control batches, see ``ControlEntryCodec``                    |
/// | `lastIndex`                   | log end offset                                                |
/// | commit index                  | high watermark                                                |
/// | snapshot index                | the log start, rounded down to a batch boundary               |
///
/// Beside the log, a small state file (`raft-state`) holds what the log cannot: term and vote, a
/// commit hint, the snapshot position (index, term, membership), the configuration entries after
/// it and the leader-epoch cache (like Kafka's `leader-epoch-checkpoint`), so opening reads a
/// handful of batch headers, never the whole log. The file is replaced atomically (tmp, fsync,
/// rename, directory fsync), and only when term, vote, snapshot, configurations or epochs change;
/// the commit hint rides along lazily and is clamped to the log end on open.
///
/// Crash consistency of the state file against the log:
/// - additions (a new epoch, a configuration entry) are written to the file *before* the batches
///   are appended, so the file never misses one the log holds;
/// - removals (a truncated tail) are made durable in the log first (`PartitionLog.truncate` syncs)
///   and reach the file at its next write; on open every listed epoch start and configuration is
///   checked against the batch header at its offset, and the stale ones are dropped;
/// - installing a snapshot writes the file first, then resets the log; an open that finds the
///   stored snapshot above the log start finishes the reset;
/// - retention moves the log start first, and the file follows; an open that finds the log start
///   above the stored snapshot moves the snapshot up, taking its term from the epoch cache;
/// - giving the whole log up (``restartEmpty()``) writes the end of what it held first, then
///   resets the log, then writes the file.
///
/// Writes follow ``Ready``'s contract: ``persist(snapshot:)``, ``persist(entries:)``,
/// ``persist(hardState:)`` (or ``persist(_:)`` for all three), then ``sync()`` (the caller may
/// group-commit: persist many partitions, sync each, then send), then the messages.
///
/// Reads never throw (``RaftStorage`` is infallible): a batch that fails its CRC or an I/O error
/// is never handed to Raft; the read stops before it and the error is kept in ``fault``. The Raft
/// thread checks ``fault`` after every `ready()`/`advance()`; once set, the replica must stop (no
/// more votes or acknowledgements from this log) and be rebuilt: close the node, then either
/// remove this replica from the group and add it back as a learner with an empty log (the safe
/// path, it catches up by snapshot + appends before promotion), or, when the damaged batch lies
/// above every index this replica could have acknowledged, truncate below it and restart. The
/// entries Raft already took from this log are unaffected.
///
/// Threads: any thread may read; writes come from the partition's Raft thread. `state` is never
/// held across an fsync of the log; lock order: `state` before the `PartitionLog`'s locks.
public final class PartitionRaftStorage: RaftStorage, Sendable {
    /// The partition's segment log; appends must only come through this type.
    public let log: PartitionLog
    /// `<partition dir>/raft-state`.
    public let statePath: String
    private let state: Mutex<State>

    /// The state file's name in the partition directory.
    public static let stateFileName = "raft-state"
    /// The state machine's snapshot, for a group whose machine's snapshots carry its state (an
    /// offsets partition): what a replica that fell behind the cut log restores from.
    public static let snapshotDataFileName = "snapshot-data"
    /// The largest snapshot kept or installed. A leader sends it in one inter-node message, which
    /// must fit a peer's send queue (64 MiB, oldest dropped first) beside the other groups'
    /// traffic, and go in well under an election timeout; a machine whose state outgrows it
    /// keeps its log from the last cut on (the host tries again hourly).
    public static let snapshotDataBytesMax = 16 << 20
    /// Where a snapshot is written before it becomes the kept one, by the origin of the data
    /// (``PreparedSnapshotData/Origin``); one left by a crash is removed at open.
    public static func preparedSnapshotDataFileName(_ origin: PreparedSnapshotData.Origin) -> String {
        snapshotDataFileName + "." + origin.rawValue
    }
    /// The largest batch accepted from a leader (the leader already checked its own limit).
    public static let batchBytesMax = 64 << 20
    /// Bytes read from the log per call while collecting entries.
    static let readChunkBytesMax = 8 << 20

    /// Counters for tests and metrics.
    public struct Statistics: Sendable, Equatable {
        /// Calls of ``entries(after:through:bytesMax:)``.
        public var entriesReads = 0
        /// Calls of ``configurations(after:)``.
        public var configurationReads = 0
        /// Whole-log header scans at open (only without a usable state file).
        public var headerScans = 0
        /// State file writes.
        public var stateWrites = 0
    }

    /// Where a leader epoch starts: batches at offsets in [`startOffset`, next start) carry `epoch`.
    struct EpochStart: Equatable {
        var epoch: Term
        var startOffset: Int64
    }

    /// A configuration entry: a one-offset control batch ending at `index`, written in `term`.
    struct ConfigurationEntry: Equatable {
        var index: LogIndex
        var term: Term
        var configuration: Configuration
    }

    private struct State {
        /// Term and vote as in the file; commit may be ahead of the file (lazy).
        var hardState: HardState
        /// Invariants: `snapshot.index` is a batch boundary at or below the log start (the log's
        /// first stored batch starts there) and at or below the commit.
        var snapshot: SnapshotMetadata
        /// Ascending by index, all above `snapshot.index` and at or below the log end.
        var configurations: [ConfigurationEntry]
        /// Ascending by epoch and start; covers every stored batch from `snapshot.index` on.
        var epochs: [EpochStart]
        var fault: StorageError?
        /// The machine's snapshot, holding at least everything up to `snapshot.index` (empty
        /// for a partition whose log is its state, or one not cut behind a snapshot yet).
        var snapshotData: [UInt8] = []
        var statistics = Statistics()
        /// The commit the state file holds, when the rest of the file matches this state too
        /// (nil: unknown or stale), so a clean stop need not rewrite an unchanged file.
        var writtenCommit: LogIndex?
        /// Set by ``restartEmpty()``: the last entry this replica held before it gave its log up
        /// (it may have acknowledged it). Cleared once the log holds that index again durably
        /// (written with the next state write).
        var discardedLogEnd: (index: LogIndex, term: Term)?
    }

    // MARK: Opening

    /// Opens the Raft view of `log`. A replica with no state file is new: it starts from a
    /// snapshot at the log start (index 0 for an empty log) holding `bootstrap`, the partition's
    /// initial replicas (an empty configuration for a replica that waits to be added). A log that
    /// predates Raft (batches but no state file) is scanned once to build the epoch cache, and
    /// counts as committed: it was acknowledged by the single node that wrote it.
    public init(log: PartitionLog, bootstrap: Configuration) throws(PartitionRaftStorageError) {
        self.log = log
        statePath = log.directory + "/" + Self.stateFileName
        var statistics = Statistics()
        let stored = try Self.readStateFile(statePath)
        var s: State
        if let stored {
            s = stored
            if s.snapshot.index.rawValue > log.logStartOffset {
                // A snapshot install wrote the file and stopped before the log reset was done.
                try Self.logIO { () throws(StorageError) in try log.reset(toStartOffset: s.snapshot.index.rawValue) }
            }
            if !(try Self.verify(&s, against: log)) {
                try Self.rebuild(&s, from: log)
                statistics.headerScans += 1
            } else if s.epochs.count == stored.epochs.count && s.configurations.count == stored.configurations.count
                        && s.snapshot.index == stored.snapshot.index {
                s.writtenCommit = stored.hardState.commit  // verify only drops entries: none dropped
            }
        } else {
            let start = try Self.logIO { () throws(StorageError) -> Int64 in
                try log.batchHeader(containing: log.logStartOffset)?.baseOffset ?? log.logStartOffset
            }
            s = State(hardState: HardState(), snapshot: SnapshotMetadata(index: LogIndex(start), term: .zero, configuration: bootstrap),
                      configurations: [], epochs: [])
            if log.logEndOffset > start {
                try Self.rebuild(&s, from: log)
                statistics.headerScans += 1
                // Only a log written before partitions were Raft groups (a single-node data
                // directory) has batches and no state file; all of it was acknowledged there.
                s.hardState.commit = LogIndex(log.logEndOffset)
            }
        }
        let end = LogIndex(log.logEndOffset)
        s.hardState.commit = max(min(s.hardState.commit, end), s.snapshot.index)
        if let discarded = s.discardedLogEnd, end >= discarded.index {
            // The log holds the end again (a crash came before the state write that drops it):
            // once that is synced the mark goes, so it no longer blocks compaction.
            try Self.logIO { () throws(StorageError) in _ = try log.sync() }
            Self.rebuilt(&s)
        }
        s.statistics = statistics
        s.snapshotData = try Self.readSnapshotData(log.directory + "/" + Self.snapshotDataFileName)
        for origin in PreparedSnapshotData.Origin.allCases {
            do { try FileSystem.remove(log.directory + "/" + Self.preparedSnapshotDataFileName(origin)) } catch { throw .log(.io(error)) }
        }
        state = Mutex(s)
        try noteLogStartMoved(forceWrite: stored == nil)
    }

    /// Syncs the log, writes the state file with the latest commit, and closes the log.
    public func close() throws(PartitionRaftStorageError) {
        try saveCommit()
        try Self.logIO { () throws(StorageError) in try log.close() }
    }

    /// Syncs the log and writes the state file with the latest commit (a clean stop: the next
    /// start then knows every entry committed and its leader needs no no-op), unless the file
    /// already holds it (a partition nothing was written to since the last write or start).
    public func saveCommit() throws(PartitionRaftStorageError) {
        try Self.logIO { () throws(StorageError) in _ = try log.sync() }
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            if s.writtenCommit != s.hardState.commit { try writeState(&s) }
        }
    }

    // MARK: RaftStorage

    /// See ``RaftStorage/hardState``.
    public var hardState: HardState { state.withLock { $0.hardState } }

    /// The snapshot the entries follow: a position (a partition's state is its log), with the
    /// state machine's snapshot data for a group whose machine keeps its own state.
    public var snapshot: Snapshot { state.withLock { Snapshot(metadata: $0.snapshot, data: $0.snapshotData) } }

    /// The log end offset.
    public var lastIndex: LogIndex { LogIndex(log.logEndOffset) }

    /// The first error met while reading the log for Raft (a corrupt batch, an I/O error), if any.
    /// See the type's documentation for what the Raft thread does then.
    public var fault: StorageError? { state.withLock { $0.fault } }

    /// Counters (reads, scans, state writes).
    public var statistics: Statistics { state.withLock { $0.statistics } }

    // MARK: Leader epochs for clients (KIP-320)

    /// OffsetForLeaderEpoch's answer from the epoch cache, with Kafka's rules: the latest epoch
    /// ends at the log end; an older one ends where the next epoch held starts, answered with the
    /// largest epoch held at or below `requested` (or `requested` itself when it is older than
    /// every epoch held); nil (Kafka's undefined epoch and offset, -1 and -1) when `requested`
    /// is above every epoch held, or nothing is held.
    public func endOffset(ofEpoch requested: Term) -> (epoch: Term, endOffset: Int64)? {
        let end = log.logEndOffset
        return state.withLock { s -> (epoch: Term, endOffset: Int64)? in
            guard let latest = s.epochs.last else { return nil }
            if latest.epoch == requested { return (requested, end) }
            guard let higher = s.epochs.firstIndex(where: { $0.epoch > requested }) else { return nil }
            let floor = higher > 0 ? s.epochs[higher - 1].epoch : requested
            return (floor, s.epochs[higher].startOffset)
        }
    }

    /// The leader epoch of the batch holding `offset`, or of the latest batch when `offset` is
    /// the log end; nil below the epochs held (under a snapshot) or past the log end.
    public func epoch(ofOffset offset: Int64) -> Term? {
        let end = log.logEndOffset
        return state.withLock { s -> Term? in
            guard offset <= end else { return nil }
            return offset == end ? s.epochs.last?.epoch : Self.epoch(covering: offset, in: s.epochs)
        }
    }

    /// The term of the entry that covers `index` (or the snapshot's term at the snapshot index),
    /// from the epoch cache: no disk read. ``RaftStorage`` asks only for the term of an entry
    /// *ending* at `index` and nil inside an entry; answering the covering entry's term inside an
    /// entry is as safe for log matching, and saves a header read per question. Raft compares
    /// (index, term) pairs where `index` is a boundary of the *other* log (the leader's previous
    /// index, an entry's last index, a snapshot index). If this log has an entry of that same term
    /// covering `index`, both entries were created by the one leader of that term, which never
    /// creates two entries covering the same index nor moves a boundary, so the entry here ends at
    /// `index` as well: a match inside an entry cannot happen, and a mismatch is a mismatch either
    /// way. Boundaries themselves come from ``boundary(atOrBefore:)``, which reads a real header.
    public func term(at index: LogIndex) -> Term? {
        let end = log.logEndOffset
        return state.withLock { s in
            if index == s.snapshot.index { return s.snapshot.term }
            guard index > s.snapshot.index, index.rawValue <= end else { return nil }
            return Self.epoch(covering: index.rawValue - 1, in: s.epochs)
        }
    }

    /// The last entry boundary at or before `index`: the batch that holds offset `index - 1` is
    /// looked up with the offset index (one short header walk, no batch read); if it does not end
    /// at `index`, its start is the boundary.
    public func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)? {
        let end = log.logEndOffset
        return state.withLock { s -> (index: LogIndex, term: Term)? in
            if index < s.snapshot.index { return nil }
            let target = min(index.rawValue, end)
            if target <= s.snapshot.index.rawValue { return (s.snapshot.index, s.snapshot.term) }
            let header: RecordBatchHeader?
            do { header = try log.batchHeader(containing: target - 1) } catch {
                Self.record(error, in: &s)
                return (s.snapshot.index, s.snapshot.term)
            }
            guard let header else {
                Self.record(Self.inconsistency("no batch holds offset \(target - 1) below the log end \(end)"), in: &s)
                return (s.snapshot.index, s.snapshot.term)
            }
            let boundary = header.lastOffset + 1 == target ? target : header.baseOffset
            if boundary <= s.snapshot.index.rawValue { return (s.snapshot.index, s.snapshot.term) }
            guard let term = Self.epoch(covering: boundary - 1, in: s.epochs) else {
                Self.record(Self.inconsistency("no epoch for offset \(boundary - 1)"), in: &s)
                return (s.snapshot.index, s.snapshot.term)
            }
            return (LogIndex(boundary), term)
        }
    }

    /// Why this storage would refuse what `message` brings (nil if it would not), checked before
    /// the replica's Raft core takes it. The core never reads entry bytes, and ``term(at:)``
    /// answers inside an entry on the word of honest leaders; a peer's entry that is no valid
    /// batch, an append or snapshot placed inside an entry here (a truncation there would split
    /// a batch), or snapshot data above the limit would otherwise reach ``persist(_:)`` after the
    /// core had advanced over it, where a refusal can only stop the node.
    public func refusal(of message: Message) -> (reason: InvalidMessage, detail: String)? {
        if let snapshot = message.snapshot {
            guard snapshot.data.count <= Self.snapshotDataBytesMax else {
                return (.snapshotMalformed, "snapshot data of \(snapshot.data.count) bytes, above \(Self.snapshotDataBytesMax)")
            }
            guard !matchesInsideAnEntry(snapshot.metadata.index, snapshot.metadata.term) else {
                return (.snapshotMalformed, "a snapshot at \(snapshot.metadata.index), inside an entry of its term here")
            }
        }
        guard message.kind == .append else { return nil }
        guard !matchesInsideAnEntry(message.index, message.logTerm) else {
            return (.entriesMalformed, "entries attached at \(message.index), inside an entry of term \(message.logTerm) here")
        }
        guard !message.entries.isEmpty else { return nil }
        do { _ = try Self.checkedHeaders(message.entries) } catch { return (.entriesMalformed, "\(error)") }
        return nil
    }

    /// Whether the core would take (`index`, `term`) as a match here although `index` lies inside
    /// an entry: the covering entry is of `term` (``term(at:)``) and does not end at `index`.
    /// Only a leader that split its own entry can send that. One whose term differs is a plain
    /// mismatch, which the core answers (a diverged tail's batches need not end where the
    /// leader's do).
    private func matchesInsideAnEntry(_ index: LogIndex, _ term: Term) -> Bool {
        let start = state.withLock { $0.snapshot.index }
        guard index > start, index < lastIndex, self.term(at: index) == term else { return false }
        return boundary(atOrBefore: index)?.index != index
    }

    /// The last boundary at or before `index` of a term at most `term`, in one step from the
    /// epoch cache: a term's first batch starts at a boundary whose term is the previous epoch's.
    /// (A leader backing off over a long divergent tail of a later term jumps it whole.)
    public func boundary(atOrBefore index: LogIndex, termAtMost term: Term) -> (index: LogIndex, term: Term)? {
        guard let b = boundary(atOrBefore: index) else { return nil }
        if b.term <= term { return b }
        return state.withLock { s -> (index: LogIndex, term: Term)? in
            // Every batch from the first epoch above `term` on is of a later term.
            if let k = s.epochs.firstIndex(where: { $0.epoch > term }), k > 0 {
                let start = s.epochs[k].startOffset
                if start > s.snapshot.index.rawValue && start <= b.index.rawValue { return (LogIndex(start), s.epochs[k - 1].epoch) }
            }
            return s.snapshot.term <= term ? (s.snapshot.index, s.snapshot.term) : nil
        }
    }

    /// Whole batches read from the log, one entry each: data batches with their bytes as stored,
    /// Raft's control batches as `.noop`/`.configuration` with empty data. Stops early (keeping
    /// what was read) at a batch that fails validation or an I/O error, recorded in ``fault``.
    public func entries(after prev: LogIndex, through last: LogIndex, bytesMax: Int) -> [Entry] {
        let (snapshotIndex, readFloor) = state.withLock { s -> (LogIndex, Int64) in
            s.statistics.entriesReads += 1
            return (s.snapshot.index, log.logStartOffset)
        }
        precondition(prev >= snapshotIndex, "entries after \(prev) are compacted (snapshot \(snapshotIndex))")
        var out: [Entry] = []
        var bytes = 0
        var next = prev.rawValue
        // After a validation failure, read one batch at a time to keep the good ones before it.
        var oneBatch = false
        do {
            while next < last.rawValue {
                // DeleteRecords may start the log inside the first batch: ask from the log start.
                let read = readChunk(from: max(next, readFloor), maxBytes: oneBatch ? 1 : min(max(bytesMax - bytes, 1), Self.readChunkBytesMax),
                                     limitOffset: last.rawValue)
                if case .failure(.corruptBatch) = read, !oneBatch {
                    oneBatch = true
                    continue
                }
                let chunk = try read.get()
                if chunk.isEmpty { break }
                var position = 0
                while position < chunk.count {
                    let header = try Self.header(of: chunk, at: position)
                    guard header.baseOffset == next else {
                        throw Self.inconsistency("a batch starts at \(header.baseOffset), expected \(next): \(prev) is not a boundary")
                    }
                    let entry = try Self.entry(from: chunk, at: position, header: header)
                    if !out.isEmpty && bytes + entry.byteCount > bytesMax { return out }
                    out.append(entry)
                    bytes += entry.byteCount
                    next = header.lastOffset + 1
                    position += header.totalSize
                }
                if bytes >= bytesMax { break }
            }
        } catch {
            state.withLock { Self.record(error, in: &$0) }
        }
        return out
    }

    private func readChunk(from offset: Int64, maxBytes: Int, limitOffset: Int64) -> Result<[UInt8], StorageError> {
        Result { () throws(StorageError) in try log.readBytes(from: offset, maxBytes: maxBytes, limitOffset: limitOffset) }
    }

    /// The configuration entries after `index`, from the list kept beside the log (no log read).
    public func configurations(after index: LogIndex) -> [(index: LogIndex, configuration: Configuration)] {
        state.withLock { s in
            s.statistics.configurationReads += 1
            return s.configurations.filter { $0.index > index }.map { ($0.index, $0.configuration) }
        }
    }

    // MARK: Writing (the Raft thread, in Ready's order)

    /// Persists a Ready's snapshot, entries and hard state, in that order. Call ``sync()`` after
    /// (possibly after persisting other partitions too), then send the Ready's messages.
    public func persist(_ ready: Ready) throws(PartitionRaftStorageError) {
        if let s = ready.snapshot { try persist(snapshot: s) }
        try persist(entries: ready.entries)
        if let h = ready.hardState { try persist(hardState: h) }
    }

    /// Installs a leader's snapshot. For a partition it is a position: the leader's log now
    /// starts past what this replica holds, so this log restarts, empty, at the snapshot index.
    /// Its data (a state machine's) is kept first, then the state file is written; an open that
    /// finds the log not yet reset finishes it.
    public func persist(snapshot: Snapshot) throws(PartitionRaftStorageError) {
        guard snapshot.data.count <= Self.snapshotDataBytesMax else {
            throw .entryMismatch("snapshot data of \(snapshot.data.count) bytes, above \(Self.snapshotDataBytesMax)")
        }
        try install(snapshot.metadata) { (s) throws(PartitionRaftStorageError) in try writeSnapshotData(snapshot.data, &s) }
    }

    /// Installs a leader's snapshot whose data was written beforehand off the Raft thread
    /// (``prepareSnapshotData(_:_:)``, origin `.received`), or that has none: as
    /// ``persist(snapshot:)``, the data kept by a rename, with the term and vote of the Ready that
    /// brought it (a newer term) in the same state-file write.
    public func persist(snapshot metadata: SnapshotMetadata, keeping prepared: PreparedSnapshotData?,
                        termAndVote: HardState?) throws(PartitionRaftStorageError) {
        try install(metadata, termAndVote: termAndVote) { (s) throws(PartitionRaftStorageError) in
            if let prepared { try keep(prepared, &s) } else { try writeSnapshotData([], &s) }
        }
    }

    private func install(_ meta: SnapshotMetadata, termAndVote: HardState? = nil,
                         keepingData keepData: (inout State) throws(PartitionRaftStorageError) -> Void) throws(PartitionRaftStorageError) {
        guard meta.index.rawValue >= 0 else { throw .entryMismatch("snapshot at index \(meta.index) below offset 0") }
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            precondition(meta.index > s.snapshot.index, "snapshot \(meta.index) is not newer than \(s.snapshot.index)")
            try keepData(&s)
            if let h = termAndVote, h.term >= s.hardState.term { (s.hardState.term, s.hardState.vote) = (h.term, h.vote) }
            s.snapshot = meta
            s.configurations = []
            s.epochs = []
            s.hardState.commit = max(s.hardState.commit, meta.index)
            if let end = s.discardedLogEnd, meta.index >= end.index { Self.rebuilt(&s) }
            try writeState(&s)
            try Self.logIO { () throws(StorageError) in try log.reset(toStartOffset: meta.index.rawValue) }
        }
    }

    /// Writes entries at `entries[0].prevIndex`, first discarding whatever the log holds after it.
    /// Data entries must carry one batch already stamped with their position and term (a leader
    /// stamps before proposing, see ``stamp(_:lastIndex:term:)``); control entries are encoded
    /// here. Everything is validated (framing, CRC, offsets, epoch) before anything is written;
    /// a mismatch throws ``PartitionRaftStorageError/entryMismatch(_:)``.
    public func persist(entries: [Entry]) throws(PartitionRaftStorageError) {
        guard let first = entries.first else { return }
        let prev = first.prevIndex
        var (buffer, headers) = try Self.encode(entries)
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            let end = log.logEndOffset
            guard prev >= s.snapshot.index, prev.rawValue <= end else {
                throw .entryMismatch("entries attach at \(prev), outside [\(s.snapshot.index), \(end)]")
            }
            let termAtPrev = prev == s.snapshot.index ? s.snapshot.term : Self.epoch(covering: prev.rawValue - 1, in: s.epochs)
            guard let termAtPrev, first.term >= termAtPrev else {
                throw .entryMismatch("entry \(first) follows term \(termAtPrev.map(\.description) ?? "?") at \(prev)")
            }
            if prev.rawValue < end {
                // Durable before the state file may forget what it removes (see the type's notes).
                try Self.logIO { () throws(StorageError) in
                    if prev.rawValue < log.logStartOffset {
                        try log.reset(toStartOffset: prev.rawValue)
                    } else {
                        try log.truncate(toOffset: prev.rawValue)
                    }
                }
                s.epochs.removeAll { $0.startOffset >= prev.rawValue }
                s.configurations.removeAll { $0.index > prev }
                s.writtenCommit = nil  // the file may still list what was cut: a clean stop rewrites it
            }
            var added = false
            for e in entries {
                if s.epochs.last?.epoch != e.term {
                    s.epochs.append(EpochStart(epoch: e.term, startOffset: e.prevIndex.rawValue))
                    added = true
                }
                if case .configuration(let c) = e.kind {
                    s.configurations.append(ConfigurationEntry(index: e.lastIndex, term: e.term, configuration: c))
                    added = true
                }
            }
            if added { try writeState(&s) }
            let appended: Result<PartitionLog.AppendResult, StorageError> = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(StorageError) in try log.append(raw, leaderEpoch: 0, assignOffsets: false, validatedHeaders: headers) }
            }
            if case .failure(let error) = appended { throw .log(error) }
        }
    }

    /// The log holds the discarded log's end again, durably: the mark goes with the next state
    /// write.
    private static func rebuilt(_ s: inout State) {
        s.discardedLogEnd = nil
        s.writtenCommit = nil
    }

    /// Gives up the whole log, kept snapshot included, for one that starts empty at index 0, as a
    /// replica new to its group would: for a replica whose state machine lost what it cannot
    /// restore, so its leader sends its own snapshot, or every entry, and the machine is rebuilt.
    /// Term, vote and the committed membership stay. The last entry held (which it may have
    /// acknowledged toward a commit) is written durably before anything goes, read back by
    /// ``discardedLogEnd`` at every open (the replica votes as if it still held it, see
    /// `RaftNode.rememberDiscardedLog`), and dropped once the log holds that index again durably.
    ///
    /// Crash-safe: the end is written first; then the log is reset (itself crash-safe), then the
    /// state file; an open between the two finds the stored snapshot above the log start and
    /// finishes that reset instead, keeping the end, and the host gives the log up again.
    public func restartEmpty() throws(PartitionRaftStorageError) {
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            let end = LogIndex(log.logEndOffset)
            let held = (index: end, term: end == s.snapshot.index ? s.snapshot.term : Self.epoch(covering: end.rawValue - 1, in: s.epochs) ?? s.snapshot.term)
            if s.discardedLogEnd.map({ $0.term < held.term || ($0.term == held.term && $0.index < held.index) }) ?? true { s.discardedLogEnd = held }
            try writeState(&s)
            try Self.logIO { () throws(StorageError) in try log.reset(toStartOffset: 0) }
            try writeSnapshotData([], &s)
            let membership = s.configurations.last { $0.index <= s.hardState.commit }?.configuration ?? s.snapshot.configuration
            s.snapshot = SnapshotMetadata(index: LogIndex(0), term: .zero, configuration: membership)
            s.configurations = []
            s.epochs = []
            s.hardState.commit = LogIndex(0)
            try writeState(&s)
        }
    }

    /// The last entry of a log this replica gave up (``restartEmpty()``), until the log holds its
    /// index again durably.
    public var discardedLogEnd: (index: LogIndex, term: Term)? { state.withLock { $0.discardedLogEnd } }

    /// Records term, vote and commit. The file is written (durably) only when term or vote
    /// change; the commit is kept in memory and written with the next state write or at close.
    public func persist(hardState: HardState) throws(PartitionRaftStorageError) {
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            precondition(hardState.term >= s.hardState.term, "term went back from \(s.hardState.term) to \(hardState.term)")
            let changed = hardState.term != s.hardState.term || hardState.vote != s.hardState.vote
            s.hardState = hardState
            if changed { try writeState(&s) }
        }
    }

    /// Makes every appended batch durable (fdatasync; shared with concurrent appends).
    public func sync() throws(PartitionRaftStorageError) {
        try Self.logIO { () throws(StorageError) in _ = try log.sync() }
        // What the log holds synced now, read under the lock `restartEmpty` holds: a sync that
        // ran while the log was given up must not clear the end it just wrote.
        state.withLock { s in
            if let end = s.discardedLogEnd, log.flushedOffset >= end.index.rawValue { Self.rebuilt(&s) }
        }
    }

    // MARK: Moving the log start

    /// Runs the log's retention, never deleting a segment that ends above `appliedIndex` (Raft
    /// needs the entries it has not applied), and moves the snapshot up to the new log start.
    /// Followers that need what was deleted get the snapshot (and reset their log).
    @discardableResult
    public func applyRetention(appliedIndex: LogIndex) throws(PartitionRaftStorageError) -> Int {
        let deleted = try Self.logIO { () throws(StorageError) -> Int in try log.applyRetention(limitOffset: appliedIndex.rawValue) }
        if deleted > 0 { try noteLogStartMoved() }
        return deleted
    }

    /// Kafka DeleteRecords: moves the log start to `offset`, which must not pass `appliedIndex`
    /// (Kafka: the high watermark). The snapshot moves to the start of the batch holding `offset`.
    @discardableResult
    public func deleteRecords(before offset: Int64, appliedIndex: LogIndex) throws(PartitionRaftStorageError) -> Int64 {
        guard offset <= appliedIndex.rawValue else {
            throw .log(.offsetOutOfRange(requested: offset, logStart: log.logStartOffset, logEnd: appliedIndex.rawValue))
        }
        let start = try Self.logIO { () throws(StorageError) -> Int64 in try log.deleteRecords(before: offset) }
        try noteLogStartMoved()
        return start
    }

    /// Moves the snapshot up to the batch boundary at or below the log start, if the log start
    /// passed it; its term is the epoch of the last batch below, its membership the last
    /// configuration entry at or below it.
    private func noteLogStartMoved(forceWrite: Bool = false) throws(PartitionRaftStorageError) {
        try state.withLock { (s) throws(PartitionRaftStorageError) in
            let start = log.logStartOffset
            var moved = false
            if start > s.snapshot.index.rawValue {
                let boundary = try Self.logIO { () throws(StorageError) -> Int64 in
                    try log.batchHeader(containing: start)?.baseOffset ?? start
                }
                if boundary > s.snapshot.index.rawValue {
                    guard let term = Self.epoch(covering: boundary - 1, in: s.epochs) else {
                        throw .stateFile(path: statePath, reason: "no leader epoch known for offset \(boundary - 1)")
                    }
                    let index = LogIndex(boundary)
                    let configuration = s.configurations.last { $0.index <= index }?.configuration ?? s.snapshot.configuration
                    s.snapshot = SnapshotMetadata(index: index, term: term, configuration: configuration)
                    s.configurations.removeAll { $0.index <= index }
                    // Keep the epoch that covers the new start; earlier ones describe deleted batches.
                    if let keep = s.epochs.lastIndex(where: { $0.startOffset <= boundary }), keep > 0 { s.epochs.removeFirst(keep) }
                    s.hardState.commit = max(s.hardState.commit, index)
                    moved = true
                }
            }
            if moved || forceWrite { try writeState(&s) }
        }
    }

    // MARK: Leader side

    /// Stamps one producer batch for ``RaftNode/propose(_:indexCount:)``: base offset = the
    /// node's `lastIndex`, leader epoch = its `term` (fields outside the CRC: no re-encode).
    /// Returns the `indexCount` to propose with. `batch` must hold exactly one valid batch.
    public static func stamp(_ batch: inout [UInt8], lastIndex: LogIndex, term: Term) throws(PartitionRaftStorageError) -> Int64 {
        guard let epoch = Int32(exactly: term.rawValue) else { throw .entryMismatch("term \(term) does not fit a leader epoch") }
        let header: RecordBatchHeader
        switch validate(batch) {
        case .success(let h): header = h
        case .failure(let error): throw .entryMismatch("proposed batch: \(error)")
        }
        guard header.totalSize == batch.count else { throw .entryMismatch("a proposal holds one batch, not \(batch.count) bytes for \(header.totalSize)") }
        batch.withUnsafeMutableBytes { RecordBatch.stamp($0, baseOffset: lastIndex.rawValue, partitionLeaderEpoch: epoch) }
        return Int64(header.lastOffsetDelta) + 1
    }

    // MARK: Helpers

    /// Encodes and validates `entries` into one buffer for one append, with their headers.
    private static func encode(_ entries: [Entry]) throws(PartitionRaftStorageError) -> ([UInt8], [RecordBatchHeader]) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(entries.reduce(0) { $0 + max($1.data.count, 128) })
        let headers = try checkedHeaders(entries) { buffer.append(contentsOf: $0) }
        return (buffer, headers)
    }

    /// Validates `entries` as one append would write them (framing, CRC, offsets, epoch), handing
    /// each entry's bytes to `each` in order; returns their headers.
    private static func checkedHeaders(_ entries: [Entry], each: (borrowing [UInt8]) -> Void = { _ in }) throws(PartitionRaftStorageError) -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        var attach = entries[0].prevIndex
        var term = entries[0].term
        for e in entries {
            guard e.prevIndex == attach, e.term >= term else { throw .entryMismatch("entries are not contiguous: \(e) after \(attach)@\(term)") }
            guard let epoch = Int32(exactly: e.term.rawValue) else { throw .entryMismatch("term of \(e) does not fit a leader epoch") }
            let bytes: [UInt8]
            switch e.kind {
            case .normal:
                bytes = e.data
            case .noop, .configuration:
                guard e.indexCount == 1 else { throw .entryMismatch("control entry \(e) covers more than one index") }
                bytes = ControlEntryCodec.encode(e.kind, baseOffset: e.prevIndex.rawValue, leaderEpoch: epoch)
            }
            let header: RecordBatchHeader
            switch validate(bytes) {
            case .success(let h): header = h
            case .failure(let error): throw .entryMismatch("entry \(e): \(error)")
            }
            guard header.totalSize == bytes.count, header.baseOffset == e.prevIndex.rawValue,
                  Int64(header.lastOffsetDelta) + 1 == e.indexCount, header.partitionLeaderEpoch == epoch else {
                throw .entryMismatch("entry \(e) holds a batch at offset \(header.baseOffset), \(header.lastOffsetDelta + 1) records, "
                                     + "epoch \(header.partitionLeaderEpoch), \(header.totalSize) of \(bytes.count) bytes")
            }
            each(bytes)
            headers.append(header)
            attach = e.lastIndex
            term = e.term
        }
        return headers
    }

    /// Framing and CRC of the batch at the start of `bytes`.
    private static func validate(_ bytes: [UInt8]) -> Result<RecordBatchHeader, WireError> {
        bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try RecordBatchValidator.validate(raw, maxBatchBytes: batchBytesMax) }
        }
    }

    private static func header(of chunk: [UInt8], at position: Int) throws(StorageError) -> RecordBatchHeader {
        let result: Result<RecordBatchHeader, WireError> = chunk.withUnsafeBytes { raw in
            Result { () throws(WireError) in try RecordBatchHeader.read(from: UnsafeRawBufferPointer(rebasing: raw[position...])) }
        }
        switch result {
        case .success(let header):
            guard header.totalSize <= chunk.count - position else { throw inconsistency("batch at \(header.baseOffset) cut short") }
            return header
        case .failure(let error):
            throw .corruptBatch(segment: "read", position: Int64(position), reason: error)
        }
    }

    /// The entry for the (already validated) batch at `position` of `chunk`.
    private static func entry(from chunk: [UInt8], at position: Int, header: RecordBatchHeader) throws(StorageError) -> Entry {
        let bytes = Array(chunk[position..<(position + header.totalSize)])
        let term = Term(UInt64(max(0, header.partitionLeaderEpoch)))
        let last = LogIndex(header.lastOffset + 1)
        let count = Int64(header.lastOffsetDelta) + 1
        if header.attributes.isControl {
            let kind: EntryKind?
            do { kind = try ControlEntryCodec.kind(of: bytes[...], maxBatchBytes: batchBytesMax) } catch {
                throw .corruptBatch(segment: "control batch", position: header.baseOffset, reason: error)
            }
            if let kind { return Entry(term: term, lastIndex: last, indexCount: count, kind: kind) }
        }
        return Entry(term: term, lastIndex: last, indexCount: count, kind: .normal, data: bytes)
    }

    /// The epoch of the batch holding `offset`: the last start at or below it.
    static func epoch(covering offset: Int64, in epochs: [EpochStart]) -> Term? {
        var low = 0
        var high = epochs.count
        while low < high {
            let middle = (low + high) / 2
            if epochs[middle].startOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : epochs[low - 1].epoch
    }

    private static func record(_ error: any Error, in s: inout State) {
        guard s.fault == nil else { return }
        s.fault = (error as? StorageError) ?? inconsistency("\(error)")
    }

    private static func inconsistency(_ why: String) -> StorageError {
        .corruptBatch(segment: "raft view", position: -1, reason: .inconsistent(why))
    }

    static func logIO<T>(_ body: () throws(StorageError) -> T) throws(PartitionRaftStorageError) -> T {
        do { return try body() } catch { throw .log(error) }
    }

    /// A state machine's snapshot written and fsynced beside the log under a name of its own
    /// (``preparedSnapshotDataFileName(_:)``), not yet the kept one: see
    /// ``prepareSnapshotData(_:_:)``.
    public struct PreparedSnapshotData: Sendable {
        /// Who wrote it: this node's machine (to cut the log behind), or a leader (to install).
        /// Each has its own file, so the two never write over each other.
        public enum Origin: String, Sendable, CaseIterable {
            case taken, received
        }
        public let data: [UInt8]
        fileprivate let path: String
    }

    /// Writes `data`, checksummed, beside the log and fsyncs it, touching nothing else: the slow
    /// half of keeping a snapshot (up to 16 MiB written and synced), done off the Raft thread.
    /// ``keepSnapshotData(_:)`` or ``persist(snapshot:keeping:termAndVote:)`` then makes it the kept one.
    /// One at a time per partition and origin.
    public func prepareSnapshotData(_ data: [UInt8], _ origin: PreparedSnapshotData.Origin) throws(PartitionRaftStorageError) -> PreparedSnapshotData {
        guard !data.isEmpty, data.count <= Self.snapshotDataBytesMax else {
            throw .entryMismatch("snapshot data of \(data.count) bytes, outside 1...\(Self.snapshotDataBytesMax)")
        }
        let path = log.directory + "/" + Self.preparedSnapshotDataFileName(origin)
        do { try FileSystem.writeDurably(Self.checksummed(data), to: path) } catch { throw .log(.io(error)) }
        return PreparedSnapshotData(data: data, path: path)
    }

    /// Makes prepared data the kept snapshot, holding at least everything up to where the log
    /// will be cut behind it: a rename and a directory fsync, durable before the cut that
    /// follows (``deleteRecords(before:appliedIndex:)``), on the Raft thread.
    public func keepSnapshotData(_ prepared: PreparedSnapshotData) throws(PartitionRaftStorageError) {
        try state.withLock { (s) throws(PartitionRaftStorageError) in try keep(prepared, &s) }
    }

    private func keep(_ prepared: PreparedSnapshotData, _ s: inout State) throws(PartitionRaftStorageError) {
        do throws(SystemError) {
            try FileSystem.renameDurably(prepared.path, to: log.directory + "/" + Self.snapshotDataFileName)
        } catch {
            throw .log(.io(error))
        }
        s.snapshotData = prepared.data
    }

    /// Removes prepared data that will not be kept (the log moved under it meanwhile).
    public func discard(_ prepared: PreparedSnapshotData) {
        do { try FileSystem.remove(prepared.path) } catch {
            Diagnostics.warn("\(prepared.path): could not remove an unused snapshot: \(error)")
        }
    }

    /// The kept file's bytes: a CRC-32C of the data, big-endian, then the data.
    private static func checksummed(_ data: [UInt8]) -> [UInt8] {
        let crc = CRC32C.checksum(data)
        return [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)] + data
    }

    /// Replaces the kept snapshot data (atomically; empty removes the file). Never older data
    /// than the snapshot position in the file: it is written before the position moves.
    private func writeSnapshotData(_ data: [UInt8], _ s: inout State) throws(PartitionRaftStorageError) {
        let path = log.directory + "/" + Self.snapshotDataFileName
        do {
            if data.isEmpty {
                guard !s.snapshotData.isEmpty || FileSystem.exists(path) else { return }
                try FileSystem.remove(path)
                try FileSystem.syncDirectory(log.directory)
            } else {
                try FileSystem.writeAtomically(Self.checksummed(data), to: path)
            }
        } catch {
            throw .log(.io(error))
        }
        s.snapshotData = data
    }

    /// The kept snapshot data (its file is a CRC-32C, big-endian, then the data), or none if
    /// there is no file. A damaged one is logged and dropped: the machine takes a new snapshot at
    /// the next retention check, and until then a replica behind the cut waits for it.
    private static func readSnapshotData(_ path: String) throws(PartitionRaftStorageError) -> [UInt8] {
        let file: [UInt8]
        do {
            guard let read = try FileSystem.readSmallFile(path, maxBytes: snapshotDataBytesMax + 5) else { return [] }
            file = read
        } catch {
            throw .log(.io(error))
        }
        guard file.count > 4, file.count <= snapshotDataBytesMax + 4 else {
            Diagnostics.error("\(path): \(file.count) bytes is not a kept snapshot; dropped, a new one is taken at the next retention check")
            return []
        }
        let stored = file.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let data = Array(file.dropFirst(4))
        guard CRC32C.checksum(data) == stored else {
            Diagnostics.error("\(path): the kept snapshot fails its checksum; dropped, a new one is taken at the next retention check")
            return []
        }
        return data
    }

    private func writeState(_ s: inout State) throws(PartitionRaftStorageError) {
        let text = Self.render(s)
        s.writtenCommit = nil  // a failed write may have left either file
        do { try FileSystem.writeAtomically(Array(text.utf8), to: statePath) } catch { throw .log(.io(error)) }
        s.writtenCommit = s.hardState.commit
        s.statistics.stateWrites += 1
    }

    // MARK: Open-time checks

    /// Checks every listed epoch start and configuration entry against the batch header at its
    /// offset, dropping stale ones (a truncation the file had not caught up with). Returns false
    /// if the epochs do not cover the stored batches (the caller rebuilds them by a scan).
    private static func verify(_ s: inout State, against log: PartitionLog) throws(PartitionRaftStorageError) -> Bool {
        let end = log.logEndOffset
        let floor = max(s.snapshot.index.rawValue, log.segmentBaseOffsets.first ?? 0)
        var kept: [EpochStart] = []
        for e in s.epochs {
            if e.startOffset < floor { kept.append(e); continue }
            guard e.startOffset < end,
                  let h = try logIO({ () throws(StorageError) in try log.batchHeader(containing: e.startOffset) }),
                  h.baseOffset == e.startOffset, h.partitionLeaderEpoch >= 0, UInt64(h.partitionLeaderEpoch) == e.epoch.rawValue else { break }
            kept.append(e)
        }
        s.epochs = kept
        var configurations: [ConfigurationEntry] = []
        for c in s.configurations where c.index > s.snapshot.index {
            let offset = c.index.rawValue - 1
            guard offset < end, let h = try logIO({ () throws(StorageError) in try log.batchHeader(containing: offset) }),
                  h.baseOffset == offset, h.lastOffsetDelta == 0, h.attributes.isControl,
                  h.partitionLeaderEpoch >= 0, UInt64(h.partitionLeaderEpoch) == c.term.rawValue else { break }
            configurations.append(c)
        }
        s.configurations = configurations
        // Stored batches above the snapshot need an epoch from the snapshot index on.
        if end > s.snapshot.index.rawValue {
            guard let first = s.epochs.first, first.startOffset <= s.snapshot.index.rawValue else { return false }
        }
        return true
    }

    /// Rebuilds the epoch cache and the configuration list by walking every batch header from the
    /// snapshot index (reading whole only the few control batches).
    private static func rebuild(_ s: inout State, from log: PartitionLog) throws(PartitionRaftStorageError) {
        var epochs: [EpochStart] = []
        var controls: [Int64] = []
        let from = s.snapshot.index.rawValue
        try logIO { () throws(StorageError) in
            try log.forEachBatchHeader(from: max(from, log.logStartOffset)) { h in
                // Batches written before Raft may carry epoch -1 or epochs that go back: never let
                // the cache go back (a conservative answer for a log no Raft leader wrote).
                let epoch = max(Term(UInt64(max(0, h.partitionLeaderEpoch))), epochs.last?.epoch ?? .zero)
                if epochs.last?.epoch != epoch { epochs.append(EpochStart(epoch: epoch, startOffset: h.baseOffset)) }
                if h.attributes.isControl && h.lastOffsetDelta == 0 { controls.append(h.baseOffset) }
            }
        }
        var configurations: [ConfigurationEntry] = []
        for offset in controls where offset >= from {
            let bytes = try logIO { () throws(StorageError) -> [UInt8] in try log.readBytes(from: offset, maxBytes: 1, limitOffset: offset + 1) }
            let h = try logIO { () throws(StorageError) -> RecordBatchHeader in try header(of: bytes, at: 0) }
            let e = try logIO { () throws(StorageError) -> Entry in try entry(from: bytes, at: 0, header: h) }
            if case .configuration(let c) = e.kind { configurations.append(ConfigurationEntry(index: e.lastIndex, term: e.term, configuration: c)) }
        }
        s.epochs = epochs
        s.configurations = configurations
    }

    // MARK: The state file

    /// `raft-state`, one `key=value` a line:
    /// ```
    /// version=1
    /// term=7
    /// vote=2                      (or -)
    /// commit=1200                 (a hint: clamped to the log end on open)
    /// snapshot=1000 6 1,2,3 -     (index term voters learners; - is an empty list)
    /// config=1100 7 1,2,3 4       (index term voters learners), one line each, ascending
    /// epoch=6 950                 (epoch startOffset), one line each, ascending
    /// discarded=1250 7            (index term: the end of a log given up, until held again)
    /// ```
    /// An earlier version refuses a file with a `discarded` line (an unknown key): it is
    /// written when a replica gives its log up, and goes at the first state write (a clean stop
    /// at the latest) after the log holds that index again, synced.
    private static func render(_ s: State) -> String {
        func list(_ ids: [NodeID]) -> String { ids.isEmpty ? "-" : ids.map(\.description).joined(separator: ",") }
        func conf(_ c: Configuration) -> String { "\(list(c.voters)) \(list(c.learners))" }
        var text = "version=1\nterm=\(s.hardState.term.rawValue)\nvote=\(s.hardState.vote.map(\.description) ?? "-")\n"
        text += "commit=\(s.hardState.commit.rawValue)\n"
        text += "snapshot=\(s.snapshot.index.rawValue) \(s.snapshot.term.rawValue) \(conf(s.snapshot.configuration))\n"
        for c in s.configurations { text += "config=\(c.index.rawValue) \(c.term.rawValue) \(conf(c.configuration))\n" }
        for e in s.epochs { text += "epoch=\(e.epoch.rawValue) \(e.startOffset)\n" }
        if let end = s.discardedLogEnd { text += "discarded=\(end.index.rawValue) \(end.term.rawValue)\n" }
        return text
    }

    /// The most of a state file read back. It grows with the membership changes and leader
    /// epochs in the log (a line each, up to ~12 KB for a 1,024-member configuration), and
    /// a file read in part would not parse: a bound far above any honest log's, refused whole.
    static let stateFileBytesMax = 64 << 20

    private static func readStateFile(_ path: String) throws(PartitionRaftStorageError) -> State? {
        let bytes: [UInt8]?
        do { bytes = try FileSystem.readSmallFile(path, maxBytes: stateFileBytesMax + 1) } catch { throw .log(.io(error)) }
        guard let bytes else { return nil }
        guard bytes.count <= stateFileBytesMax else { throw .stateFile(path: path, reason: "larger than \(stateFileBytesMax) bytes") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .stateFile(path: path, reason: "not UTF-8") }
        do { return try parse(text) } catch { throw .stateFile(path: path, reason: error.reason) }
    }

    private struct ParseError: Error { var reason: String }

    private static func parse(_ text: String) throws(ParseError) -> State {
        func number<T: FixedWidthInteger>(_ word: Substring, _ what: String) throws(ParseError) -> T {
            guard let v = T(word) else { throw ParseError(reason: "bad \(what) '\(word)'") }
            return v
        }
        func ids(_ word: Substring) throws(ParseError) -> [NodeID] {
            if word == "-" { return [] }
            var out: [NodeID] = []
            for part in word.split(separator: ",") { out.append(NodeID(try number(part, "node id") as Int32)) }
            return out
        }
        func configuration(_ v: Substring, _ l: Substring) throws(ParseError) -> Configuration {
            let voters = try ids(v), learners = try ids(l)
            guard Set(voters).isDisjoint(with: learners) else { throw ParseError(reason: "a node is both voter and learner") }
            return Configuration(voters: voters, learners: learners)
        }
        var version: Int?, term: Term?, vote: NodeID??, commit: LogIndex?, snapshot: SnapshotMetadata?
        var configurations: [ConfigurationEntry] = []
        var epochs: [EpochStart] = []
        var discardedLogEnd: (index: LogIndex, term: Term)?
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { throw ParseError(reason: "line '\(line)' has no '='") }
            let key = line[..<eq]
            let words = line[line.index(after: eq)...].split(separator: " ")
            switch (key, words.count) {
            case ("version", 1): version = try number(words[0], "version")
            case ("term", 1): term = Term(try number(words[0], "term"))
            case ("vote", 1): vote = words[0] == "-" ? .some(nil) : .some(NodeID(try number(words[0], "vote")))
            case ("commit", 1): commit = LogIndex(try number(words[0], "commit"))
            case ("snapshot", 4):
                snapshot = SnapshotMetadata(index: LogIndex(try number(words[0], "snapshot index")), term: Term(try number(words[1], "snapshot term")),
                                            configuration: try configuration(words[2], words[3]))
            case ("config", 4):
                let c = ConfigurationEntry(index: LogIndex(try number(words[0], "config index")), term: Term(try number(words[1], "config term")),
                                           configuration: try configuration(words[2], words[3]))
                guard configurations.last.map({ $0.index < c.index }) ?? true else { throw ParseError(reason: "configurations out of order") }
                configurations.append(c)
            case ("epoch", 2):
                let e = EpochStart(epoch: Term(try number(words[0], "epoch")), startOffset: try number(words[1], "epoch start"))
                guard epochs.last.map({ $0.epoch < e.epoch && $0.startOffset < e.startOffset }) ?? true else { throw ParseError(reason: "epochs out of order") }
                epochs.append(e)
            case ("discarded", 2):
                discardedLogEnd = (LogIndex(try number(words[0], "discarded index")), Term(try number(words[1], "discarded term")))
            default:
                throw ParseError(reason: "unexpected line '\(line)'")
            }
        }
        guard version == 1 else { throw ParseError(reason: "version \(version.map(String.init) ?? "missing")") }
        guard let term, let vote, let commit, let snapshot else { throw ParseError(reason: "term, vote, commit or snapshot missing") }
        guard snapshot.index.rawValue >= 0 else { throw ParseError(reason: "snapshot index \(snapshot.index)") }
        return State(hardState: HardState(term: term, vote: vote, commit: commit), snapshot: snapshot,
                     configurations: configurations, epochs: epochs, discardedLogEnd: discardedLogEnd)
    }
}

/// What writing or opening a partition's Raft log can fail with. Reads do not throw; see
/// ``PartitionRaftStorage/fault``.
public enum PartitionRaftStorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The segment log failed (I/O, a corrupt stored batch, an offset outside the log).
    case log(StorageError)
    /// `raft-state` is unreadable or malformed: the replica cannot know its term or vote.
    case stateFile(path: String, reason: String)
    /// An entry's bytes disagree with its position, term or kind, or do not attach to the log:
    /// the leader (or the proposer) is broken. Nothing was written.
    case entryMismatch(String)

    /// Human-readable.
    public var description: String {
        switch self {
        case .log(let e): "partition log: \(e)"
        case let .stateFile(path, reason): "raft state file \(path): \(reason)"
        case .entryMismatch(let why): "entry rejected: \(why)"
        }
    }
}
