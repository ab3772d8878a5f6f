import SluiceCore
import SluiceIO
import SluiceWire

/// One segment of a partition log: `<base>.log` holding record batches exactly as they travel
/// on the wire, plus its sparse `.index` and `.timeindex`.
///
/// Invariants (checked where written and where loaded):
/// - batches are contiguous from byte 0 to `size`, and their offsets strictly increase;
/// - `nextOffset` is one past the last batch's last offset (`baseOffset` when empty);
/// - index entries point at batch starts below `size`, keys never go backwards;
/// - bytes below `validatedEnd` passed length and CRC checks in this process.
///
/// Descriptors: the `.log` file is taken from the process's `SegmentFileCache` for each use and
/// may be closed between uses; a segment with writes not yet synced keeps its file (`unsynced`),
/// because an fsync must go through a descriptor that was open when the write happened for a
/// write-back error to be reported to it. The indexes open their files only to load or write them.
///
/// Not thread-safe by itself: every use happens under the owning `PartitionLog`'s `state`
/// mutex, which is what the unchecked conformance relies on.
final class LogSegment: @unchecked Sendable {
    let baseOffset: Int64
    let directory: String
    private let files: SegmentFileCache
    private let fileID: Int
    /// Held from a write until a sync covers it.
    private var unsynced: File?
    let offsetIndex: SparseIndex<OffsetIndexEntry>
    let timeIndex: SparseIndex<TimeIndexEntry>
    /// Valid bytes in the `.log` file.
    private(set) var size: Int64 = 0
    private(set) var nextOffset: Int64
    /// The largest batch max-timestamp in the segment, −1 when empty.
    private(set) var maxTimestamp: Int64 = -1
    /// When the segment was created or opened, for `segment.ms` rolls.
    let createdMillis: Int64
    private(set) var validatedEnd: Int64 = 0
    private var bytesSinceIndexEntry: Int
    private let indexIntervalBytes: Int

    static func fileName(_ baseOffset: Int64, _ suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// Opens the segment at `baseOffset`, creating its files when they are missing.
    init(directory: String, baseOffset: Int64, indexIntervalBytes: Int, nowMillis: Int64, files: SegmentFileCache) throws(SystemError) {
        self.directory = directory
        self.baseOffset = baseOffset
        self.nextOffset = baseOffset
        self.indexIntervalBytes = indexIntervalBytes
        self.bytesSinceIndexEntry = indexIntervalBytes // the first batch always gets an entry
        self.createdMillis = nowMillis
        self.files = files
        fileID = files.makeID()
        files.adopt(try File(path: directory + "/" + Self.fileName(baseOffset, ".log"), create: true), id: fileID)
        offsetIndex = try SparseIndex(path: directory + "/" + Self.fileName(baseOffset, ".index"), create: true)
        timeIndex = try SparseIndex(path: directory + "/" + Self.fileName(baseOffset, ".timeindex"), create: true)
    }

    deinit { files.forget(id: fileID) }

    var name: String { Self.fileName(baseOffset, ".log") }
    var path: String { directory + "/" + name }

    /// The `.log` file, from the cache (reopened if it was closed meanwhile).
    func logFile() throws(SystemError) -> File {
        if let unsynced { return unsynced }
        return try files.file(id: fileID, path: path)
    }

    /// The file a sync must go through, or nil when nothing written is waiting for one.
    var fileAwaitingSync: File? { unsynced }

    /// A sync that covered everything below `offset` finished: the file may be closed when idle.
    func noteSynced(through offset: Int64) {
        if nextOffset <= offset { unsynced = nil }
    }

    /// Syncs the `.log` file now (a roll or a truncation) and forgets that it needed it.
    func syncLog() throws(SystemError) {
        try logFile().syncData()
        unsynced = nil
    }
    var isEmpty: Bool { size == 0 }

    // MARK: Appending

    /// Appends already stamped, already validated batches (`headers` describe `bytes` in order).
    func append(_ bytes: UnsafeRawBufferPointer, headers: [RecordBatchHeader]) throws(SystemError) {
        precondition(!headers.isEmpty && headers[0].baseOffset >= nextOffset, "appended offsets must increase")
        let log = try logFile()
        try log.write(bytes, at: size)
        unsynced = log
        var position = size
        for header in headers { noteBatch(header, at: position); position += Int64(header.totalSize) }
        precondition(position == size + Int64(bytes.count), "batch headers must cover the appended bytes")
        size = position
        validatedEnd = size
    }

    /// Updates offsets, timestamps and indexes for a batch now stored at `position`.
    private func noteBatch(_ header: RecordBatchHeader, at position: Int64) {
        let relative = UInt32(header.baseOffset - baseOffset)
        if bytesSinceIndexEntry >= indexIntervalBytes {
            offsetIndex.append(OffsetIndexEntry(relativeOffset: relative, position: UInt32(position)))
            if header.maxTimestamp > (timeIndex.entries.last?.timestamp ?? Int64.min) {
                timeIndex.append(TimeIndexEntry(timestamp: header.maxTimestamp, relativeOffset: relative))
            }
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += header.totalSize
        maxTimestamp = max(maxTimestamp, header.maxTimestamp)
        nextOffset = header.lastOffset + 1
    }

    /// Writes index entries not yet on their files; `durably` fsyncs both (a sealed segment).
    func flushIndexes(durably: Bool = false) throws(SystemError) {
        try offsetIndex.flush(durably: durably)
        try timeIndex.flush(durably: durably)
    }

    /// The log is closing: the cache lets go of the `.log` descriptor now rather than when it
    /// is evicted (a deleted partition's space is freed only once its files are closed).
    func releaseFile() {
        files.forget(id: fileID)
        unsynced = nil
    }

    // MARK: Opening

    /// Full recovery: validates every batch from byte 0, truncates the file at the first
    /// invalid byte, rebuilds both indexes. Returns the number of bytes cut off.
    func recover(expectedBaseOffset: Int64, maxBatchBytes: Int) throws(SystemError) -> Int64 {
        try offsetIndex.reset()
        try timeIndex.reset()
        size = 0
        nextOffset = baseOffset
        maxTimestamp = -1
        bytesSinceIndexEntry = indexIntervalBytes
        let log = try logFile()
        let fileSize = try log.size()
        var expected = expectedBaseOffset
        var chunkBytes = 4 << 20
        scan: while size < fileSize {
            let chunk = try log.read(count: Int(min(Int64(chunkBytes), fileSize - size)), at: size)
            chunkBytes = 4 << 20
            var consumed = 0
            while consumed < chunk.count {
                let outcome: Result<RecordBatchHeader, WireError> = chunk.withUnsafeBytes { buffer in
                    Result { () throws(WireError) in
                        try RecordBatchValidator.validate(UnsafeRawBufferPointer(rebasing: buffer[consumed...]), maxBatchBytes: maxBatchBytes)
                    }
                }
                switch outcome {
                case let .success(header):
                    // A batch whose offsets do not fit the segment's 32-bit relative offsets was
                    // written by a version that then trapped on it: the valid log ends before it.
                    guard header.baseOffset >= expected, header.lastOffset - baseOffset <= Int64(UInt32.max) else { break scan }
                    noteBatch(header, at: size)
                    size += Int64(header.totalSize)
                    consumed += header.totalSize
                    expected = header.lastOffset + 1
                case let .failure(.truncated(_, needed, _)) where size + Int64(needed) <= fileSize:
                    // The batch runs past this chunk but not past the file: read again from its start.
                    chunkBytes = max(chunkBytes, needed)
                    continue scan
                case .failure:
                    break scan
                }
            }
        }
        let cut = fileSize - size
        if cut > 0 { try log.truncate(to: size) }
        validatedEnd = size
        try flushIndexes()
        return cut
    }

    /// Opens a segment that was complete and synced before the last recovery point: loads the
    /// indexes and checks them against the log; returns false if they are missing or
    /// inconsistent (the caller then runs `recover`).
    func loadIndexes(maxBatchBytes: Int) throws(SystemError) -> Bool {
        let log = try logFile()
        size = try log.size()
        guard try offsetIndex.load(strictlyIncreasing: true), try timeIndex.load(strictlyIncreasing: false) else { return false }
        if size == 0 { return offsetIndex.entries.isEmpty && timeIndex.entries.isEmpty }
        guard let last = offsetIndex.entries.last, offsetIndex.entries[0].position == 0, !timeIndex.entries.isEmpty,
              offsetIndex.entries.allSatisfy({ Int64($0.position) < size }) else { return false }
        // Walk the headers after the last index entry to find the end; any mismatch means a stale index.
        var position = Int64(last.position)
        var expectBase: Int64? = baseOffset + Int64(last.relativeOffset)
        nextOffset = baseOffset
        maxTimestamp = timeIndex.entries.last?.timestamp ?? -1
        while position < size {
            guard let header = try readHeader(at: position, in: log, maxBatchBytes: maxBatchBytes),
                  position + Int64(header.totalSize) <= size else { return false }
            if let base = expectBase {
                guard header.baseOffset == base else { return false }
                expectBase = nil
            }
            guard header.baseOffset >= nextOffset else { return false }
            maxTimestamp = max(maxTimestamp, header.maxTimestamp)
            nextOffset = header.lastOffset + 1
            position += Int64(header.totalSize)
        }
        guard let lastTime = timeIndex.entries.last, lastTime.relativeOffset <= UInt32(clamping: nextOffset - baseOffset),
              timeIndex.entries.allSatisfy({ Int64($0.relativeOffset) < nextOffset - baseOffset }) else { return false }
        bytesSinceIndexEntry = Int(size - Int64(last.position))
        validatedEnd = 0 // loaded, not validated: reads check CRCs
        return true
    }

    /// The header of the batch at `position`, or nil if its framing is invalid or cut short.
    func readHeader(at position: Int64, in log: File, maxBatchBytes: Int) throws(SystemError) -> RecordBatchHeader? {
        let bytes = try log.read(count: RecordBatchHeader.size, at: position)
        return bytes.withUnsafeBytes { buffer in try? RecordBatchValidator.checkHeader(buffer, maxBatchBytes: maxBatchBytes) }
    }

    // MARK: Reading

    /// `logFile()` for the read paths, whose errors are storage errors.
    private func openedLog() throws(StorageError) -> File {
        try StorageError.io { () throws(SystemError) in try logFile() }
    }

    /// The start of the batch containing `offset` (or the first batch after it), with its header.
    func locate(offset: Int64, maxBatchBytes: Int) throws(StorageError) -> (position: Int64, header: RecordBatchHeader)? {
        let log = try openedLog()
        let relative = max(0, offset - baseOffset)
        var position = Int64(offsetIndex.floor(relative)?.position ?? 0)
        while position < size {
            guard let header = try StorageError.io({ () throws(SystemError) in try readHeader(at: position, in: log, maxBatchBytes: maxBatchBytes) }) else {
                throw .corruptBatch(segment: name, position: position, reason: .inconsistent("unreadable batch header"))
            }
            if header.lastOffset >= offset { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// Whole batches from the one holding `offset`, at most `maxBytes` (but always the first
    /// batch whole, as Kafka does), stopping before any batch that ends at or past `limitOffset`.
    func read(from offset: Int64, maxBytes: Int, limitOffset: Int64, maxBatchBytes: Int) throws(StorageError) -> LogSlice? {
        guard let (start, first) = try locate(offset: offset, maxBatchBytes: maxBatchBytes), first.lastOffset < limitOffset else { return nil }
        let log = try openedLog()
        var end = start + Int64(first.totalSize)
        let byteLimit = start + Int64(max(maxBytes, 0))
        // Jump over whole stretches with the index, then walk the last few headers.
        var low = 0
        var high = offsetIndex.entries.count
        while low < high {
            let middle = (low + high) / 2
            let entry = offsetIndex.entries[middle]
            if Int64(entry.position) <= byteLimit && baseOffset + Int64(entry.relativeOffset) < limitOffset { low = middle + 1 } else { high = middle }
        }
        if low > 0, Int64(offsetIndex.entries[low - 1].position) > end { end = Int64(offsetIndex.entries[low - 1].position) }
        while end < size {
            guard let header = try StorageError.io({ () throws(SystemError) in try readHeader(at: end, in: log, maxBatchBytes: maxBatchBytes) }) else {
                throw .corruptBatch(segment: name, position: end, reason: .inconsistent("unreadable batch header"))
            }
            guard end + Int64(header.totalSize) <= byteLimit, header.lastOffset < limitOffset else { break }
            end += Int64(header.totalSize)
        }
        if end > validatedEnd { try validate(from: start, to: end, in: log, maxBatchBytes: maxBatchBytes) }
        return LogSlice(file: log, position: start, length: Int(end - start), firstOffset: first.baseOffset)
    }

    /// Checks length and CRC of every batch in [start, end) before any of it is served.
    private func validate(from start: Int64, to end: Int64, in log: File, maxBatchBytes: Int) throws(StorageError) {
        let bytes = try StorageError.io { () throws(SystemError) in try log.read(count: Int(end - start), at: start) }
        let outcome: Result<[RecordBatchHeader], WireError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(WireError) in try RecordBatchValidator.validateAll(buffer, maxBatchBytes: max(maxBatchBytes, buffer.count)) }
        }
        if case let .failure(reason) = outcome { throw .corruptBatch(segment: name, position: start, reason: reason) }
        if start <= validatedEnd { validatedEnd = max(validatedEnd, end) }
    }

    /// The first batch whose max timestamp is ≥ `timestamp`, with its position.
    func firstBatch(atOrAfter timestamp: Int64, maxBatchBytes: Int) throws(StorageError) -> (position: Int64, header: RecordBatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        // Every batch up to the one a lower time entry names has max timestamp < `timestamp`.
        let startOffset = timeIndex.lastBelow(timestamp).map { baseOffset + Int64($0.relativeOffset) } ?? baseOffset
        guard var (position, _) = try locate(offset: startOffset, maxBatchBytes: maxBatchBytes) else { return nil }
        let log = try openedLog()
        while position < size {
            guard let header = try StorageError.io({ () throws(SystemError) in try readHeader(at: position, in: log, maxBatchBytes: maxBatchBytes) }) else {
                throw .corruptBatch(segment: name, position: position, reason: .inconsistent("unreadable batch header"))
            }
            if header.maxTimestamp >= timestamp { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// Calls `body` with the header of every batch from the one holding `offset` to the end.
    func forEachHeader(from offset: Int64, maxBatchBytes: Int, _ body: (RecordBatchHeader) -> Void) throws(StorageError) {
        guard var (position, _) = try locate(offset: offset, maxBatchBytes: maxBatchBytes) else { return }
        let log = try openedLog()
        while position < size {
            guard let header = try StorageError.io({ () throws(SystemError) in try readHeader(at: position, in: log, maxBatchBytes: maxBatchBytes) }) else {
                throw .corruptBatch(segment: name, position: position, reason: .inconsistent("unreadable batch header"))
            }
            body(header)
            position += Int64(header.totalSize)
        }
    }

    // MARK: Truncation

    /// Cuts the segment so that `offset` (a batch boundary) becomes its next offset.
    func truncate(toOffset offset: Int64, maxBatchBytes: Int) throws(StorageError) {
        guard offset < nextOffset else { return }
        guard let (position, header) = try locate(offset: offset, maxBatchBytes: maxBatchBytes) else { return }
        precondition(header.baseOffset >= offset, "truncation must fall on a batch boundary")
        let log = try openedLog()
        try StorageError.io { () throws(SystemError) in
            try log.truncate(to: position)
            try offsetIndex.truncate { Int64($0.position) < position }
            try timeIndex.truncate { baseOffset + Int64($0.relativeOffset) < offset }
        }
        size = position
        validatedEnd = min(validatedEnd, position)
        // Re-derive the tail state from the remaining batches.
        nextOffset = baseOffset
        maxTimestamp = timeIndex.entries.last?.timestamp ?? -1
        var walk = Int64(offsetIndex.entries.last?.position ?? 0)
        while walk < size {
            guard let h = try StorageError.io({ () throws(SystemError) in try readHeader(at: walk, in: log, maxBatchBytes: maxBatchBytes) }) else { break }
            maxTimestamp = max(maxTimestamp, h.maxTimestamp)
            nextOffset = h.lastOffset + 1
            walk += Int64(h.totalSize)
        }
        bytesSinceIndexEntry = offsetIndex.entries.last.map { Int(size - Int64($0.position)) } ?? indexIntervalBytes
    }

    /// Removes the segment's three files; the cache lets go of the `.log` descriptor (a reader
    /// still sending from it keeps it until done).
    func deleteFiles() throws(SystemError) {
        files.forget(id: fileID)
        unsynced = nil
        try Self.deleteFiles(directory: directory, baseOffset: baseOffset)
    }

    /// Removes the three files of the segment at `baseOffset`, those that exist.
    static func deleteFiles(directory: String, baseOffset: Int64) throws(SystemError) {
        for suffix in [".log", ".index", ".timeindex"] { try FileSystem.remove(directory + "/" + fileName(baseOffset, suffix)) }
    }
}

/// A run of whole batches inside one segment file, ready to be sent with `sendfile`.
public struct LogSlice: Sendable {
    /// The segment file; it stays open while this slice exists, even if retention deletes it.
    public let file: File
    public let position: Int64
    public let length: Int
    /// The base offset of the first batch (may be below the requested offset).
    public let firstOffset: Int64

    /// Reads the slice's bytes (for callers that cannot use `sendfile`).
    public func bytes() throws(StorageError) -> [UInt8] {
        try StorageError.io { () throws(SystemError) in try file.read(count: length, at: position) }
    }
}
