import SluiceCore
import SluiceIO
import SluiceWire
import Synchronization

/// The on-disk log of one partition: a directory of segments named by base offset.
///
/// Appends assign offsets and stamp them into the producer's bytes (outside the CRC, so the
/// CRC is untouched). Reads return byte ranges of whole batches for `sendfile`. `sync()` is a
/// group commit: one `fdatasync` covers every append that returned before it was called.
///
/// Threads: any thread may call any method. `state` serializes appends, reads and retention;
/// `syncState` serializes fsyncs, which run outside `state` so appends continue during them.
/// Lock order: `syncState` before `state`, never the other way round.
public final class PartitionLog: Sendable {
    public let directory: String
    private let clock: any LogClock
    private let files: SegmentFileCache
    private let state: Mutex<State>
    private let syncState = Mutex<SyncState>(SyncState())

    /// Batches already on disk may predate a lower `max.message.bytes`; they are read with this bound.
    static let storedBatchBytesMax = 64 * 1024 * 1024
    static let checkpointName = "sluice-partition.checkpoint"

    private struct State {
        var config: LogConfig
        var segments: [LogSegment]
        var logStartOffset: Int64
        /// Everything below this offset has been fsynced (the durable log end).
        var flushedOffset: Int64
        /// Counts truncations and resets: a sync that began before one must not raise
        /// `flushedOffset` to an end the log no longer has (later appends below it would then
        /// count as durable without an fsync).
        var tailReplacements: UInt64 = 0
        var unflushedBytes: Int = 0
        var oldestUnflushedMillis: Int64?
        var isClosed = false
        var active: LogSegment { segments[segments.count - 1] }
        var logEndOffset: Int64 { active.nextOffset }
    }

    private struct SyncState {}

    /// What `append` assigned.
    public struct AppendResult: Equatable, Sendable {
        public var firstOffset: Int64
        public var lastOffset: Int64
        /// The log end offset after the append.
        public var logEndOffset: Int64

        public init(firstOffset: Int64, lastOffset: Int64, logEndOffset: Int64) {
            self.firstOffset = firstOffset
            self.lastOffset = lastOffset
            self.logEndOffset = logEndOffset
        }
    }

    /// Opens (creating if needed) the log in `directory`, recovering from an unclean stop:
    /// segments from the last recovery point on are validated batch by batch and truncated at
    /// the first invalid byte; missing or inconsistent indexes are rebuilt.
    public init(directory: String, config: LogConfig, clock: any LogClock = SystemLogClock(),
                files: SegmentFileCache = .shared) throws(StorageError) {
        self.directory = directory
        self.clock = clock
        self.files = files
        let now = clock.nowMillis()
        let opened = try StorageError.io { () throws(SystemError) -> State in
            try FileSystem.createDirectories(directory)
            let checkpoint = Checkpoint.read(directory + "/" + Self.checkpointName)
            var bases = try Self.segmentBases(directory)
            if let resetTo = checkpoint?.resetTo {
                // A `reset(toStartOffset:)` was interrupted: finish it (every old segment goes).
                for base in bases {
                    try LogSegment.deleteFiles(directory: directory, baseOffset: base)
                }
                try FileSystem.syncDirectory(directory)
                bases = []
                precondition(checkpoint?.logStartOffset == resetTo, "a reset checkpoint names its start offset")
            }
            var segments: [LogSegment] = []
            let readLimit = max(config.maxBatchBytes, Self.storedBatchBytesMax)
            var truncatedAt: Int?
            for (index, base) in bases.enumerated() {
                let segment = try LogSegment(directory: directory, baseOffset: base, indexIntervalBytes: config.indexIntervalBytes, nowMillis: now, files: files)
                let trusted = checkpoint.map { base < $0.recoveryPoint } ?? false
                let expected = segments.last?.nextOffset ?? base
                var cut: Int64 = 0
                let loaded = trusted ? try segment.loadIndexes(maxBatchBytes: readLimit) : false
                if !loaded {
                    cut = try segment.recover(expectedBaseOffset: max(base, expected), maxBatchBytes: readLimit)
                }
                if let previous = segments.last, segment.baseOffset < previous.nextOffset {
                    // Overlapping segments can only come from a crash mid-roll; the later one is suspect.
                    try segment.deleteFiles()
                    truncatedAt = index
                    break
                }
                segments.append(segment)
                if cut > 0 { truncatedAt = index; break }
            }
            if let truncatedAt {
                // Everything after a cut is unreachable: offsets would no longer be dense.
                for base in bases[(truncatedAt + 1)...] {
                    try LogSegment.deleteFiles(directory: directory, baseOffset: base)
                }
            }
            if segments.isEmpty {
                let start = checkpoint?.logStartOffset ?? 0
                segments.append(try LogSegment(directory: directory, baseOffset: start, indexIntervalBytes: config.indexIntervalBytes, nowMillis: now, files: files))
            }
            let end = segments[segments.count - 1].nextOffset
            let start = min(max(checkpoint?.logStartOffset ?? 0, segments[0].baseOffset), end)
            // From now on the active segment must be re-validated after a crash.
            try Checkpoint(recoveryPoint: segments[segments.count - 1].baseOffset, logStartOffset: start)
                .write(directory + "/" + Self.checkpointName)
            return State(config: config, segments: segments, logStartOffset: start, flushedOffset: end)
        }
        state = Mutex(opened)
    }

    private static func segmentBases(_ directory: String) throws(SystemError) -> [Int64] {
        try FileSystem.list(directory).compactMap { name -> Int64? in
            guard name.hasSuffix(".log"), name.count == 24 else { return nil }
            return Int64(name.prefix(20))
        }.sorted()
    }

    // MARK: Offsets

    /// The first offset still readable.
    public var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }
    /// One past the last appended offset.
    public var logEndOffset: Int64 { state.withLock { $0.logEndOffset } }
    /// One past the last offset known to be on disk.
    public var flushedOffset: Int64 { state.withLock { $0.flushedOffset } }
    public var segmentCount: Int { state.withLock { $0.segments.count } }
    /// Bytes of all segments.
    public var sizeBytes: Int64 { state.withLock { $0.segments.reduce(0) { $0 + $1.size } } }
    /// Base offsets of the segments, oldest first.
    public var segmentBaseOffsets: [Int64] { state.withLock { $0.segments.map(\.baseOffset) } }
    public var config: LogConfig { state.withLock { $0.config } }

    /// Changes retention, segment and flush settings; they apply from the next append.
    public func update(config: LogConfig) { state.withLock { $0.config = config } }

    // MARK: Appending

    /// Validates the concatenated batches in `batches` (framing and CRC), assigns them
    /// consecutive offsets from the log end, stamps `baseOffset` and `partitionLeaderEpoch`
    /// into the bytes in place, and writes them with one `pwrite`.
    @discardableResult
    public func append(_ batches: inout [UInt8], leaderEpoch: Int32 = 0) throws(StorageError) -> AppendResult {
        let result = try batches.withUnsafeMutableBytes { buffer in
            Result { () throws(StorageError) -> AppendResult in try append(buffer, leaderEpoch: leaderEpoch, assignOffsets: true) }
        }.get()
        return result
    }

    /// Appends batches whose offsets are already set (a replica copying its leader's log).
    @discardableResult
    public func appendAsFollower(_ batches: inout [UInt8]) throws(StorageError) -> AppendResult {
        try batches.withUnsafeMutableBytes { buffer in
            Result { () throws(StorageError) -> AppendResult in try append(buffer, leaderEpoch: 0, assignOffsets: false) }
        }.get()
    }

    /// The buffer form of `append`, for callers holding a request buffer. `validatedHeaders`
    /// lets a caller that already ran `RecordBatchValidator.validateAll` over exactly these
    /// bytes (with this log's `maxBatchBytes`) skip a second CRC pass.
    public func append(_ buffer: UnsafeMutableRawBufferPointer, leaderEpoch: Int32, assignOffsets: Bool,
                       validatedHeaders: [RecordBatchHeader]? = nil) throws(StorageError) -> AppendResult {
        var headers: [RecordBatchHeader]
        if let validatedHeaders {
            precondition(validatedHeaders.reduce(0) { $0 + $1.totalSize } == buffer.count, "validated headers must cover the buffer")
            headers = validatedHeaders
        } else {
            let maxBatchBytes = state.withLock { $0.config.maxBatchBytes }
            do {
                headers = try RecordBatchValidator.validateAll(UnsafeRawBufferPointer(buffer), maxBatchBytes: maxBatchBytes)
            } catch { throw .invalidBatch(error) }
        }
        guard !headers.isEmpty else { throw .invalidBatch(.inconsistent("no record batch to append")) }
        let needsSync = try state.withLock { (state) throws(StorageError) -> Bool in
            guard !state.isClosed else { throw .closed }
            let now = clock.nowMillis()
            var next = state.logEndOffset
            var position = 0
            for index in headers.indices {
                if assignOffsets {
                    RecordBatch.stamp(UnsafeMutableRawBufferPointer(rebasing: buffer[position...]), baseOffset: next, partitionLeaderEpoch: leaderEpoch)
                    headers[index].baseOffset = next
                    headers[index].partitionLeaderEpoch = leaderEpoch
                } else if headers[index].baseOffset < next {
                    throw .invalidBatch(.inconsistent("follower batch at offset \(headers[index].baseOffset) is below the log end \(next)"))
                }
                next = headers[index].lastOffset + 1
                position += headers[index].totalSize
            }
            try rollIfNeeded(&state, incomingBytes: buffer.count, lastOffset: next - 1, now: now)
            try write(buffer, headers, &state, now: now)
            state.unflushedBytes += buffer.count
            if state.oldestUnflushedMillis == nil { state.oldestUnflushedMillis = now }
            switch state.config.flushPolicy {
            case .everyAppend: return true
            case let .everyBytes(limit): return state.unflushedBytes >= limit
            case .everyMillis, .manual: return false
            }
        }
        if needsSync { try sync() }
        let end = headers[headers.count - 1].lastOffset + 1
        return AppendResult(firstOffset: headers[0].baseOffset, lastOffset: end - 1, logEndOffset: end)
    }

    /// Writes the batches into the active segment, rolling between two of them wherever the next
    /// one's offsets would not fit the segment's 32-bit relative offsets. One append can span
    /// more than 2^32 offsets: a batch of compressed records declares its own record count (up to
    /// 2^31), and a Ready can carry many batches.
    private func write(_ buffer: UnsafeMutableRawBufferPointer, _ headers: [RecordBatchHeader], _ state: inout State, now: Int64) throws(StorageError) {
        var (first, position) = (0, 0)
        while first < headers.count {
            var (end, bytes) = (first, 0)
            while end < headers.count, headers[end].lastOffset - state.active.baseOffset <= Int64(UInt32.max) {
                bytes += headers[end].totalSize
                end += 1
            }
            if end == first {
                // Only a batch far past the log end (a gap) can miss an empty segment starting there.
                guard !state.active.isEmpty else {
                    throw .invalidBatch(.inconsistent("batch at offset \(headers[first].baseOffset) lies beyond the 32-bit offset range of segment \(state.active.baseOffset)"))
                }
                try roll(&state, now: now)
                continue
            }
            let run = UnsafeRawBufferPointer(rebasing: buffer[position..<(position + bytes)])
            let runHeaders = Array(headers[first..<end])
            try StorageError.io { () throws(SystemError) in try state.active.append(run, headers: runHeaders) }
            (first, position) = (end, position + bytes)
        }
    }

    private func rollIfNeeded(_ state: inout State, incomingBytes: Int, lastOffset: Int64, now: Int64) throws(StorageError) {
        let active = state.active
        guard !active.isEmpty else { return }
        let full = active.size + Int64(incomingBytes) > Int64(state.config.segmentBytes)
        let old = now - active.createdMillis >= state.config.segmentMillis
        let offsetsOverflow = lastOffset - active.baseOffset > Int64(UInt32.max)
        guard full || old || offsetsOverflow else { return }
        try roll(&state, now: now)
    }

    /// Closes the active segment (synced, indexes written) and starts a new one at the log end.
    private func roll(_ state: inout State, now: Int64) throws(StorageError) {
        let previous = state.active
        let fresh = try StorageError.io { () throws(SystemError) -> LogSegment in
            try previous.syncLog()
            try previous.flushIndexes(durably: true)
            let segment = try LogSegment(directory: directory, baseOffset: previous.nextOffset, indexIntervalBytes: state.config.indexIntervalBytes,
                                         nowMillis: now, files: files)
            try FileSystem.syncDirectory(directory)
            try Checkpoint(recoveryPoint: segment.baseOffset, logStartOffset: state.logStartOffset).write(directory + "/" + Self.checkpointName)
            return segment
        }
        state.flushedOffset = max(state.flushedOffset, previous.nextOffset)
        state.segments.append(fresh)
    }

    /// Rolls now if the active segment is older than `segment.ms` (so time-based rolls
    /// happen on idle partitions too).
    public func rollIfDue() throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            let now = clock.nowMillis()
            if !state.active.isEmpty && now - state.active.createdMillis >= state.config.segmentMillis { try roll(&state, now: now) }
        }
    }

    // MARK: Durability

    /// Makes every append that completed before this call durable; returns the flushed offset.
    /// Concurrent callers share fsyncs: a caller that finds its appends already covered by a
    /// sync that ran while it waited returns without another one.
    @discardableResult
    public func sync() throws(StorageError) -> Int64 {
        let target = state.withLock { $0.logEndOffset }
        return try syncState.withLock { (_) throws(StorageError) -> Int64 in
            let (flushed, waiting, end, bytesCovered, replacements) = try state.withLock { (state) throws(StorageError) -> (Int64, [(LogSegment, File)], Int64, Int, UInt64) in
                var waiting: [(LogSegment, File)] = []
                for segment in state.segments.reversed() {
                    guard segment.nextOffset > state.flushedOffset else { break }
                    if let pinned = segment.fileAwaitingSync {
                        waiting.append((segment, pinned))
                    } else {
                        waiting.append((segment, try StorageError.io { () throws(SystemError) in try segment.logFile() }))
                    }
                }
                return (state.flushedOffset, waiting, state.logEndOffset, state.unflushedBytes, state.tailReplacements)
            }
            if flushed >= target { return flushed }
            // fdatasync outside the state lock: appends go on meanwhile and join the next sync.
            // An error here is fatal for the log's durability promise, so it is thrown, never retried.
            try StorageError.io { () throws(SystemError) in for (_, file) in waiting { try file.syncData() } }
            return state.withLock { state in
                // The tail was cut while syncing: what is there now was made durable by the cut
                // itself (it syncs) or is newer than this sync; leave the mark where the cut put it.
                guard state.tailReplacements == replacements else { return state.flushedOffset }
                for (segment, _) in waiting { segment.noteSynced(through: end) }
                state.flushedOffset = max(state.flushedOffset, end)
                state.unflushedBytes = max(0, state.unflushedBytes - bytesCovered)
                state.oldestUnflushedMillis = state.unflushedBytes > 0 ? clock.nowMillis() : nil
                return end
            }
        }
    }

    /// Syncs if the flush policy says it is time (`everyMillis`, `everyBytes`).
    public func flushIfDue() throws(StorageError) {
        let due = state.withLock { state -> Bool in
            switch state.config.flushPolicy {
            case let .everyMillis(interval):
                return state.oldestUnflushedMillis.map { clock.nowMillis() - $0 >= interval } ?? false
            case let .everyBytes(limit): return state.unflushedBytes >= limit
            case .everyAppend, .manual: return false
            }
        }
        if due { try sync() }
    }

    // MARK: Reading

    /// Whole batches starting with the one that holds `offset`, within one segment: at most
    /// `maxBytes` (but the first batch always whole), only batches that end below `limitOffset`
    /// (the high watermark; defaults to the log end). Nil when nothing is there yet
    /// (`offset` at the end). Throws `offsetOutOfRange` outside [logStart, logEnd].
    public func read(from offset: Int64, maxBytes: Int, limitOffset: Int64? = nil) throws(StorageError) -> LogSlice? {
        try state.withLock { (state) throws(StorageError) -> LogSlice? in
            guard !state.isClosed else { throw .closed }
            let end = state.logEndOffset
            guard offset >= state.logStartOffset && offset <= end else {
                throw .offsetOutOfRange(requested: offset, logStart: state.logStartOffset, logEnd: end)
            }
            let limit = min(limitOffset ?? end, end)
            let readLimit = max(state.config.maxBatchBytes, Self.storedBatchBytesMax)
            var index = segmentIndex(containing: offset, in: state.segments)
            while index < state.segments.count {
                let segment = state.segments[index]
                if let slice = try segment.read(from: offset, maxBytes: maxBytes, limitOffset: limit, maxBatchBytes: readLimit) { return slice }
                if segment.nextOffset >= limit { return nil }
                index += 1
            }
            return nil
        }
    }

    /// The same as `read`, returning the bytes.
    public func readBytes(from offset: Int64, maxBytes: Int, limitOffset: Int64? = nil) throws(StorageError) -> [UInt8] {
        try read(from: offset, maxBytes: maxBytes, limitOffset: limitOffset)?.bytes() ?? []
    }

    private func segmentIndex(containing offset: Int64, in segments: [LogSegment]) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }

    /// Calls `body` with the header of every batch from the one holding `offset` to the log end,
    /// in order, without reading records (rebuilding producer state after a restart).
    public func forEachBatchHeader(from offset: Int64, _ body: (RecordBatchHeader) -> Void) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            let readLimit = max(state.config.maxBatchBytes, Self.storedBatchBytesMax)
            let start = max(offset, state.logStartOffset)
            for segment in state.segments[segmentIndex(containing: start, in: state.segments)...] {
                try segment.forEachHeader(from: start, maxBatchBytes: readLimit, body)
            }
        }
    }

    /// The header of the batch holding `offset`, found with the offset index and a short header
    /// walk (no batch is read whole). Offsets below the log start still answer while their batch
    /// is on disk (DeleteRecords may start the log inside a batch). Nil when no stored batch holds
    /// `offset`.
    public func batchHeader(containing offset: Int64) throws(StorageError) -> RecordBatchHeader? {
        try state.withLock { (state) throws(StorageError) -> RecordBatchHeader? in
            guard !state.isClosed else { throw .closed }
            guard offset >= state.segments[0].baseOffset, offset < state.logEndOffset else { return nil }
            let readLimit = max(state.config.maxBatchBytes, Self.storedBatchBytesMax)
            for segment in state.segments[segmentIndex(containing: offset, in: state.segments)...] {
                if let (_, header) = try segment.locate(offset: offset, maxBatchBytes: readLimit) {
                    return header.baseOffset <= offset ? header : nil
                }
            }
            return nil
        }
    }

    /// The first offset whose record timestamp is ≥ `timestamp` (Kafka ListOffsets by time),
    /// or nil when every record is older.
    public func offset(forTimestamp timestamp: Int64) throws(StorageError) -> Int64? {
        try record(atOrAfterTimestamp: timestamp)?.offset
    }

    /// The first record whose timestamp is ≥ `timestamp`: its offset and its own timestamp.
    public func record(atOrAfterTimestamp timestamp: Int64) throws(StorageError) -> (offset: Int64, timestamp: Int64)? {
        let (located, readLimit, start) = try state.withLock { (state) throws(StorageError) -> ((Int64, LogSlice)?, Int, Int64) in
            let readLimit = max(state.config.maxBatchBytes, Self.storedBatchBytesMax)
            for segment in state.segments where segment.maxTimestamp >= timestamp {
                if let (position, header) = try segment.firstBatch(atOrAfter: timestamp, maxBatchBytes: readLimit) {
                    let file = try StorageError.io { () throws(SystemError) in try segment.logFile() }
                    return ((header.baseOffset, LogSlice(file: file, position: position, length: header.totalSize, firstOffset: header.baseOffset)), readLimit, state.logStartOffset)
                }
            }
            return (nil, readLimit, state.logStartOffset)
        }
        guard let (baseOffset, slice) = located else { return nil }
        let bytes = try slice.bytes()
        let batch: RecordBatch
        do { batch = try RecordBatch.decode(bytes[...], maxBatchBytes: readLimit).batch } catch {
            // gzip, snappy and zstd batches are stored as sent; without their codec the batch start is the answer.
            if case .unsupportedCodec = error { return (max(baseOffset, start), timestamp) }
            throw .corruptBatch(segment: slice.file.path, position: slice.position, reason: error)
        }
        let hit = batch.records.first { Self.timestamp(of: $0, in: batch.header) >= timestamp }
        let offset = baseOffset + Int64(hit?.offsetDelta ?? batch.header.lastOffsetDelta)
        let found = hit.map { Self.timestamp(of: $0, in: batch.header) } ?? batch.header.maxTimestamp
        return (max(offset, start), found)
    }

    /// A record's timestamp, saturating: the base and the delta are both the producer's, and
    /// nothing holds their sum to 64 bits.
    static func timestamp(of record: Record, in header: RecordBatchHeader) -> Int64 {
        let (sum, overflow) = header.baseTimestamp.addingReportingOverflow(record.timestampDelta)
        return overflow ? (record.timestampDelta > 0 ? .max : .min) : sum
    }

    // MARK: Retention and truncation

    /// Deletes whole segments (never the active one) that are past `retention.ms` or that
    /// push the log over `retention.bytes`, and only segments that end at or below `limitOffset`
    /// (Kafka deletes nothing above the high watermark; a Raft replica nothing it has not applied).
    /// Returns how many were deleted.
    @discardableResult
    public func applyRetention(limitOffset: Int64 = .max) throws(StorageError) -> Int {
        try state.withLock { (state) throws(StorageError) -> Int in
            let now = clock.nowMillis()
            var total = state.segments.reduce(Int64(0)) { $0 + $1.size }
            var deleted = 0
            while state.segments.count > 1 {
                let oldest = state.segments[0]
                guard oldest.nextOffset <= limitOffset else { break }
                let expired = state.config.retentionMillis >= 0 && oldest.maxTimestamp >= 0 && now - oldest.maxTimestamp > state.config.retentionMillis
                let oversized = state.config.retentionBytes >= 0 && total - oldest.size >= state.config.retentionBytes
                let belowStart = oldest.nextOffset <= state.logStartOffset
                guard expired || oversized || belowStart else { break }
                state.segments.removeFirst()
                total -= oldest.size
                state.logStartOffset = max(state.logStartOffset, state.segments[0].baseOffset)
                try StorageError.io { () throws(SystemError) in try oldest.deleteFiles() }
                deleted += 1
            }
            if deleted > 0 { try writeCheckpoint(state) }
            return deleted
        }
    }

    /// Moves the log start to `offset` (Kafka DeleteRecords): earlier records are no longer
    /// readable, and segments wholly below it are deleted. Returns the new log start.
    @discardableResult
    public func deleteRecords(before offset: Int64) throws(StorageError) -> Int64 {
        try state.withLock { (state) throws(StorageError) -> Int64 in
            guard offset <= state.logEndOffset else {
                throw .offsetOutOfRange(requested: offset, logStart: state.logStartOffset, logEnd: state.logEndOffset)
            }
            guard offset > state.logStartOffset else { return state.logStartOffset }
            state.logStartOffset = offset
            while state.segments.count > 1 && state.segments[0].nextOffset <= offset {
                let oldest = state.segments.removeFirst()
                try StorageError.io { () throws(SystemError) in try oldest.deleteFiles() }
            }
            try writeCheckpoint(state)
            return offset
        }
    }

    /// Drops every batch at or after `offset`, which must be a batch boundary (a Raft follower
    /// discarding a conflicting suffix). Never moves below the log start. Durable on return: the
    /// cut file is synced and removed segments are gone from the directory.
    public func truncate(toOffset offset: Int64) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            precondition(offset >= state.logStartOffset, "truncating below the log start")
            guard offset < state.logEndOffset else { return }
            let readLimit = max(state.config.maxBatchBytes, Self.storedBatchBytesMax)
            var dropped = false
            while state.segments.count > 1 && state.active.baseOffset >= offset {
                let segment = state.segments.removeLast()
                try StorageError.io { () throws(SystemError) in try segment.deleteFiles() }
                dropped = true
            }
            // A dropped segment that came back after a crash would leave a gap in the offsets.
            if dropped { try StorageError.io { () throws(SystemError) in try FileSystem.syncDirectory(directory) } }
            try state.active.truncate(toOffset: offset, maxBatchBytes: readLimit)
            try StorageError.io { () throws(SystemError) in try state.active.syncLog() }
            state.flushedOffset = min(state.flushedOffset, state.logEndOffset)
            state.tailReplacements &+= 1
            try writeCheckpoint(state)
        }
    }

    /// Deletes every segment and starts an empty log at `offset` (a Raft follower installing
    /// its leader's snapshot: the leader no longer has what this log would need next). Every
    /// offset, below or above `offset`, goes. Crash-safe: the intent is written to the checkpoint
    /// first, and an open that finds it finishes the reset.
    public func reset(toStartOffset offset: Int64) throws(StorageError) {
        precondition(offset >= 0, "a log starts at a non-negative offset")
        try state.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw .closed }
            let now = clock.nowMillis()
            let fresh = try StorageError.io { () throws(SystemError) -> LogSegment in
                let path = directory + "/" + Self.checkpointName
                try Checkpoint(recoveryPoint: offset, logStartOffset: offset, resetTo: offset).write(path)
                // Every segment file on disk, including one at `offset` itself.
                for base in try Self.segmentBases(directory) {
                    try LogSegment.deleteFiles(directory: directory, baseOffset: base)
                }
                for segment in state.segments { segment.releaseFile() }
                let segment = try LogSegment(directory: directory, baseOffset: offset, indexIntervalBytes: state.config.indexIntervalBytes,
                                             nowMillis: now, files: files)
                try FileSystem.syncDirectory(directory)
                try Checkpoint(recoveryPoint: offset, logStartOffset: offset).write(path)
                return segment
            }
            state.segments = [fresh]
            state.logStartOffset = offset
            state.flushedOffset = offset
            state.tailReplacements &+= 1
            state.unflushedBytes = 0
            state.oldestUnflushedMillis = nil
        }
    }

    private func writeCheckpoint(_ state: State) throws(StorageError) {
        try StorageError.io { () throws(SystemError) in
            try Checkpoint(recoveryPoint: state.active.baseOffset, logStartOffset: state.logStartOffset).write(directory + "/" + Self.checkpointName)
        }
    }

    // MARK: Closing

    /// Syncs, writes the indexes and a checkpoint that lets the next open skip recovery.
    public func close() throws(StorageError) {
        try sync()
        try state.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { return }
            state.isClosed = true
            try StorageError.io { () throws(SystemError) in
                for segment in state.segments { try segment.flushIndexes(durably: segment === state.active) }
                try Checkpoint(recoveryPoint: state.logEndOffset, logStartOffset: state.logStartOffset).write(directory + "/" + Self.checkpointName)
            }
            for segment in state.segments { segment.releaseFile() }
        }
    }
}

/// The partition's checkpoint file: where recovery must start, and the log start offset.
struct Checkpoint: Equatable {
    /// Segments whose base offset is below this were synced whole, indexes included.
    var recoveryPoint: Int64
    var logStartOffset: Int64
    /// Set while `reset(toStartOffset:)` runs: every segment is to go and the log to restart here.
    var resetTo: Int64? = nil

    static func read(_ path: String) -> Checkpoint? {
        guard let bytes = try? FileSystem.readSmallFile(path), let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var values: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int64(parts[1]) { values[String(parts[0])] = value }
        }
        guard let recovery = values["recovery-point"], let start = values["log-start-offset"] else { return nil }
        return Checkpoint(recoveryPoint: recovery, logStartOffset: start, resetTo: values["reset-to"])
    }

    func write(_ path: String) throws(SystemError) {
        let reset = resetTo.map { "reset-to=\($0)\n" } ?? ""
        try FileSystem.writeAtomically(Array("version=1\nrecovery-point=\(recoveryPoint)\nlog-start-offset=\(logStartOffset)\n\(reset)".utf8), to: path)
    }
}

/// The real wall clock.
public struct SystemLogClock: LogClock {
    public init() {}
    public func nowMillis() -> Int64 { currentTimeMillis() }
}
