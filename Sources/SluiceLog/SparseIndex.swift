import SluiceIO

/// One fixed-size entry of a sparse index file, ordered by `key`.
protocol SparseIndexEntry: Equatable {
    static var size: Int { get }
    var key: Int64 { get }
    init(loading buffer: UnsafeRawBufferPointer)
    func append(to bytes: inout [UInt8])
}

/// `.index`: relative offset → byte position of the batch holding it, one entry per
/// `index.interval.bytes` of log. Both fields are 32-bit because a segment never spans more.
struct OffsetIndexEntry: SparseIndexEntry {
    static let size = 8
    var relativeOffset: UInt32
    var position: UInt32
    var key: Int64 { Int64(relativeOffset) }

    init(relativeOffset: UInt32, position: UInt32) {
        self.relativeOffset = relativeOffset
        self.position = position
    }
    init(loading buffer: UnsafeRawBufferPointer) {
        relativeOffset = UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        position = UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
    }
    func append(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: relativeOffset.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: position.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// `.timeindex`: the largest timestamp seen so far → the relative offset of the batch that
/// carried it. Timestamps never decrease along the file.
struct TimeIndexEntry: SparseIndexEntry {
    static let size = 12
    var timestamp: Int64
    var relativeOffset: UInt32
    var key: Int64 { timestamp }

    init(timestamp: Int64, relativeOffset: UInt32) {
        self.timestamp = timestamp
        self.relativeOffset = relativeOffset
    }
    init(loading buffer: UnsafeRawBufferPointer) {
        timestamp = Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        relativeOffset = UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
    }
    func append(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: relativeOffset.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A sparse index kept whole in memory and appended to its file lazily: entries reach the
/// file on `flush()` (at roll and close). A crash can leave the file short or stale, which
/// recovery detects and repairs by rebuilding from the log.
///
/// The file is opened only for the moment it is read or written (load, flush, truncate), so an
/// index holds no descriptor between those: a node's descriptors do not grow with its segments.
final class SparseIndex<Entry: SparseIndexEntry> {
    let path: String
    private(set) var entries: [Entry] = []
    /// Entries before this index are on the file already.
    private var persistedCount = 0

    /// `create` makes an empty file when there is none (a new segment).
    init(path: String, create: Bool) throws(SystemError) {
        self.path = path
        if create { _ = try File(path: path, create: true) }
    }

    private func open() throws(SystemError) -> File { try File(path: path, create: true) }

    /// Loads the file's entries; returns false (loading nothing) if the file is not a whole
    /// number of entries or its keys go backwards (`strictlyIncreasing` for offsets).
    func load(strictlyIncreasing: Bool) throws(SystemError) -> Bool {
        let file = try open()
        let size = try file.size()
        guard size % Int64(Entry.size) == 0 else { return false }
        let bytes = try file.read(count: Int(size), at: 0)
        guard bytes.count == Int(size) else { return false }
        var loaded: [Entry] = []
        loaded.reserveCapacity(bytes.count / Entry.size)
        let ordered = bytes.withUnsafeBytes { buffer -> Bool in
            var position = 0
            while position < buffer.count {
                let entry = Entry(loading: UnsafeRawBufferPointer(rebasing: buffer[position..<position + Entry.size]))
                if let last = loaded.last, strictlyIncreasing ? entry.key <= last.key : entry.key < last.key { return false }
                loaded.append(entry)
                position += Entry.size
            }
            return true
        }
        guard ordered else { return false }
        entries = loaded
        persistedCount = loaded.count
        return true
    }

    func append(_ entry: Entry) {
        if let last = entries.last { precondition(entry.key >= last.key, "index keys must not go backwards") }
        entries.append(entry)
    }

    /// The last entry whose key is ≤ `key`.
    func floor(_ key: Int64) -> Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key <= key { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : entries[low - 1]
    }

    /// The last entry whose key is strictly below `key`.
    func lastBelow(_ key: Int64) -> Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : entries[low - 1]
    }

    /// Drops every entry and empties the file (before a rebuild).
    func reset() throws(SystemError) {
        entries.removeAll(keepingCapacity: true)
        persistedCount = 0
        try open().truncate(to: 0)
    }

    /// Drops entries for which `keep` is false at the tail (after a log truncation).
    func truncate(keepWhile keep: (Entry) -> Bool) throws(SystemError) {
        var count = entries.count
        while count > 0 && !keep(entries[count - 1]) { count -= 1 }
        guard count < entries.count else { return }
        entries.removeSubrange(count...)
        if persistedCount > count {
            persistedCount = count
            try open().truncate(to: Int64(count * Entry.size))
        }
    }

    /// Writes entries not yet on the file; `durably` also fsyncs it (a segment being sealed).
    func flush(durably: Bool = false) throws(SystemError) {
        guard persistedCount < entries.count || durably else { return }
        let file = try open()
        if persistedCount < entries.count {
            var bytes: [UInt8] = []
            bytes.reserveCapacity((entries.count - persistedCount) * Entry.size)
            for entry in entries[persistedCount...] { entry.append(to: &bytes) }
            try file.write(bytes, at: Int64(persistedCount * Entry.size))
            persistedCount = entries.count
        }
        if durably { try file.syncData() }
    }
}
