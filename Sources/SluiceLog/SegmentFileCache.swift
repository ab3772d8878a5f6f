#if canImport(Glibc)
import Glibc
#endif
import SluiceIO
import Synchronization

/// The open segment `.log` files of every partition in the process, kept within a descriptor
/// budget: a file is opened when a read or write needs it and closed once it has been the least
/// recently used for long enough that `capacity` others were opened since.
///
/// So partitions × segments are bounded by disk, not by `ulimit -n`. At the budget, an open
/// evicts the least recently used eighth of the cache (closing a file costs a `close`, reopening
/// it later an `open`). A file handed out stays open while its user holds it (a `LogSlice` being
/// sent, a sync in progress, a segment with unsynced writes), so the budget is exceeded by those
/// alone. If `open` itself finds the process out of descriptors (`EMFILE`), half the cache is
/// closed and the open tried once more before the error reaches the caller.
public final class SegmentFileCache: Sendable {
    /// The cache every `PartitionLog` uses unless given another; `sluiced` sets its capacity from
    /// `log.open.files.max` at start.
    public static let shared = SegmentFileCache(capacity: 1024)

    private struct Entry {
        var file: File
        var lastUse: UInt64
    }

    private struct State {
        var capacity: Int
        var entries: [Int: Entry] = [:]
        var useClock: UInt64 = 0
        var nextID = 0
        var opens: UInt64 = 0
        var evictions: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(capacity: Int) {
        precondition(capacity >= 1, "a file cache holds at least one file")
        state = Mutex(State(capacity: capacity))
    }

    /// How many files may stay open for reuse.
    public var capacity: Int {
        get { state.withLock { $0.capacity } }
        set {
            precondition(newValue >= 1, "a file cache holds at least one file")
            let closing = state.withLock { state -> [File] in
                state.capacity = newValue
                return Self.evict(&state, keeping: newValue)
            }
            _ = closing // closed here, outside the lock, as the last references go
        }
    }

    /// Files open in the cache now, and the counters since start.
    public var statistics: (open: Int, opens: UInt64, evictions: UInt64) {
        state.withLock { ($0.entries.count, $0.opens, $0.evictions) }
    }

    /// A key for one file, unique for the life of the process.
    func makeID() -> Int { state.withLock { state in defer { state.nextID += 1 }; return state.nextID } }

    /// The open file for `id`, opening `path` (which must exist) when it is not cached.
    func file(id: Int, path: String) throws(SystemError) -> File {
        if let hit = state.withLock({ state -> File? in
            guard var entry = state.entries[id] else { return nil }
            state.useClock += 1
            entry.lastUse = state.useClock
            state.entries[id] = entry
            return entry.file
        }) { return hit }
        let opened: File
        do {
            opened = try File(path: path)
        } catch where error.errno == EMFILE || error.errno == ENFILE {
            let closing = state.withLock { state in Self.evict(&state, keeping: state.entries.count / 2) }
            _ = closing
            opened = try File(path: path)
        }
        return adopt(opened, id: id)
    }

    /// Puts a file the caller opened (a segment just created) into the cache; returns the cached
    /// file, which is another thread's if it opened the same one meanwhile.
    @discardableResult
    func adopt(_ file: File, id: Int) -> File {
        var closing: [File] = []
        let kept = state.withLock { state -> File in
            state.useClock += 1
            if var existing = state.entries[id] {
                existing.lastUse = state.useClock
                state.entries[id] = existing
                return existing.file
            }
            state.entries[id] = Entry(file: file, lastUse: state.useClock)
            state.opens += 1
            if state.entries.count > state.capacity {
                closing = Self.evict(&state, keeping: state.capacity - max(1, state.capacity / 8))
            }
            return file
        }
        closing.removeAll() // the descriptors close here, outside the lock
        return kept
    }

    /// Drops `id` (its file was deleted, or its log closed); the descriptor closes once no
    /// reader holds it.
    func forget(id: Int) {
        let removed = state.withLock { $0.entries.removeValue(forKey: id) }
        _ = removed
    }

    /// Removes the least recently used entries until `keeping` remain; returns their files so
    /// the caller lets them go outside the lock.
    private static func evict(_ state: inout State, keeping: Int) -> [File] {
        let excess = state.entries.count - max(0, keeping)
        guard excess > 0 else { return [] }
        let oldest = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(excess)
        var closing: [File] = []
        closing.reserveCapacity(excess)
        for (id, entry) in oldest {
            closing.append(entry.file)
            state.entries[id] = nil
        }
        state.evictions += UInt64(closing.count)
        return closing
    }
}
