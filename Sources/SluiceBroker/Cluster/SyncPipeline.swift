/// The order the Raft host keeps while partition logs are fsynced off its thread.
///
/// Writes are grouped into syncs: one runs at a time and covers every storage written since the
/// last one began (group commit across groups and turns). What a group's Ready does besides
/// writing (send, apply, answer) takes effect once the sync covering its writes, and every earlier
/// write of that group, is done, and in that group's Ready order: a Ready that wrote nothing still
/// waits behind its group's earlier ones. Groups do not wait for each other.
///
/// Bookkeeping only (no I/O, no threads), generic so tests can drive it.
struct SyncPipeline<Group: Hashable, Storage: AnyObject, Item> {
    /// Per group, the Readies written and not yet in effect, oldest first, with the sync each needs.
    private var queued: [Group: [(generation: UInt64, item: Item)]] = [:]
    /// Storages written since the last sync began: the next sync's work.
    private var unsynced: [ObjectIdentifier: Storage] = [:]
    /// The sync that will cover what is written now.
    private var nextGeneration: UInt64 = 1
    /// Every sync up to this one is done.
    private(set) var durableGeneration: UInt64 = 0
    /// Per group, the sync its last write needs (absent once durable).
    private var lastWrite: [Group: UInt64] = [:]
    private(set) var syncRunning = false

    /// Whether every write of `group` is durable (a follower waits for that before its next
    /// write, which may cut the log under a running sync).
    func isDurable(_ group: Group) -> Bool { (lastWrite[group] ?? 0) <= durableGeneration }

    /// A Ready of `group` was written, into `storage` if it wrote log entries (nil if its writes,
    /// if any, were durable at once). Returns `item` if it may take effect now; else keeps it.
    mutating func written(_ group: Group, into storage: Storage?, item: Item) -> Item? {
        let generation: UInt64
        if let storage {
            unsynced[ObjectIdentifier(storage)] = storage
            generation = nextGeneration
            lastWrite[group] = generation
        } else {
            generation = lastWrite[group] ?? 0
        }
        if generation <= durableGeneration && queued[group] == nil { return item }
        queued[group, default: []].append((generation, item))
        return nil
    }

    /// A write whose Ready will never take effect (its group is being removed): it is still synced.
    mutating func writtenWithoutEffect(into storage: Storage) {
        unsynced[ObjectIdentifier(storage)] = storage
    }

    /// The next sync to run: nil while one runs or when nothing was written since the last.
    mutating func startSync() -> (generation: UInt64, storages: [Storage])? {
        guard !syncRunning, !unsynced.isEmpty else { return nil }
        let storages = Array(unsynced.values)
        unsynced = [:]
        let generation = nextGeneration
        nextGeneration += 1
        syncRunning = true
        return (generation, storages)
    }

    /// Sync `generation` is done: the kept items that may now take effect, each group's in order.
    mutating func syncFinished(_ generation: UInt64) -> [Item] {
        syncRunning = false
        durableGeneration = max(durableGeneration, generation)
        var ready: [Item] = []
        for group in Array(queued.keys) {
            guard let items = queued[group] else { continue }
            let done = items.prefix { $0.generation <= durableGeneration }
            ready.append(contentsOf: done.map(\.item))
            queued[group] = done.count == items.count ? nil : Array(items.dropFirst(done.count))
        }
        lastWrite = lastWrite.filter { $0.value > durableGeneration }
        return ready
    }

    /// Forgets what `group` kept (it was removed); its writes still count toward their syncs.
    mutating func remove(_ group: Group) { queued[group] = nil }

    /// Stopping: the storages written since the last sync began, to sync in place.
    mutating func takeUnsynced() -> [Storage] {
        defer { unsynced = [:] }
        return Array(unsynced.values)
    }
}
