import SluiceCore

/// An in-memory ``RaftStorage`` for tests and the simulator. Everything written to it counts as
/// durable: the simulator models a crash by discarding the core (which holds whatever was not yet
/// persisted) and keeping this object.
///
/// A reference type because the application writes it while the core reads it, as a disk log would
/// be shared. Not thread-safe: one owner thread, like the core.
public final class MemoryStorage: RaftStorage {
    /// Invariant: `entries` attach one to the next, the first to `snapshot.metadata.index`.
    public private(set) var entries: [Entry] = []
    /// See ``RaftStorage/snapshot``.
    public private(set) var snapshot: Snapshot
    /// See ``RaftStorage/hardState``.
    public private(set) var hardState: HardState

    /// A fresh log starting from `snapshot` (``Snapshot/bootstrap(_:)`` for a new group; an empty
    /// configuration for a node that waits to be added).
    public init(snapshot: Snapshot = .bootstrap(.empty), hardState: HardState = HardState()) {
        self.snapshot = snapshot
        self.hardState = hardState
    }

    /// See ``RaftStorage/lastIndex``.
    public var lastIndex: LogIndex { entries.last?.lastIndex ?? snapshot.metadata.index }

    /// Position in `entries` of the first entry whose last index is >= `index`.
    private func position(atOrAfter index: LogIndex) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].lastIndex < index { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// See ``RaftStorage/term(at:)``.
    public func term(at index: LogIndex) -> Term? {
        if index == snapshot.metadata.index { return snapshot.metadata.term }
        if index < snapshot.metadata.index { return nil }
        let p = position(atOrAfter: index)
        guard p < entries.count, entries[p].lastIndex == index else { return nil }
        return entries[p].term
    }

    /// See ``RaftStorage/boundary(atOrBefore:)``.
    public func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)? {
        if index < snapshot.metadata.index { return nil }
        var p = position(atOrAfter: index)
        if p == entries.count || entries[p].lastIndex > index { p -= 1 }
        if p < 0 { return (snapshot.metadata.index, snapshot.metadata.term) }
        return (entries[p].lastIndex, entries[p].term)
    }

    /// See ``RaftStorage/entries(after:through:bytesMax:)``.
    public func entries(after prev: LogIndex, through last: LogIndex, bytesMax: Int) -> [Entry] {
        precondition(prev >= snapshot.metadata.index, "entries after \(prev) are compacted (snapshot \(snapshot.metadata.index))")
        let start = prev == snapshot.metadata.index ? 0 : position(atOrAfter: prev) + 1
        if start > 0 { precondition(entries[start - 1].lastIndex == prev, "\(prev) is not an entry boundary") }
        var out: [Entry] = []
        var bytes = 0
        var p = start
        while p < entries.count, entries[p].lastIndex <= last {
            if !out.isEmpty && bytes + entries[p].byteCount > bytesMax { break }
            bytes += entries[p].byteCount
            out.append(entries[p])
            p += 1
        }
        return out
    }

    // MARK: Writing (the application's side)

    /// Appends `newEntries`, first discarding every held entry after the first new entry's
    /// attachment point (Raft: "writing entry i discards any persisted entries ≥ i").
    public func append(_ newEntries: [Entry]) {
        guard let first = newEntries.first else { return }
        let prev = first.prevIndex
        precondition(prev >= snapshot.metadata.index, "append at \(prev) below snapshot \(snapshot.metadata.index)")
        precondition(term(at: prev) != nil, "append attaches at \(prev), which is not an entry boundary")
        entries.removeSubrange(position(atOrAfter: prev + 1)...)
        var attach = prev
        for e in newEntries {
            precondition(e.prevIndex == attach, "entries are not contiguous: \(e) after \(attach)")
            attach = e.lastIndex
        }
        entries.append(contentsOf: newEntries)
    }

    /// Records the hard state; term never decreases.
    public func setHardState(_ state: HardState) {
        precondition(state.term >= hardState.term, "term went back from \(hardState.term) to \(state.term)")
        hardState = state
    }

    /// Replaces the whole log with `newSnapshot` (entries it covers and any conflicting ones go with
    /// it in one step, so a crash cannot leave both).
    public func applySnapshot(_ newSnapshot: Snapshot) {
        precondition(newSnapshot.metadata.index > snapshot.metadata.index, "snapshot \(newSnapshot.metadata.index) is not newer than \(snapshot.metadata.index)")
        snapshot = newSnapshot
        entries.removeAll()
    }

    /// Compacts the log: entries up to the boundary `index` are replaced by a snapshot holding
    /// `data` (the state machine as of `index`) and `configuration` (the membership as of `index`).
    public func compact(through index: LogIndex, data: [UInt8], configuration: Configuration) {
        guard index > snapshot.metadata.index else { return }
        guard let t = term(at: index) else { preconditionFailure("compact at \(index), not an entry boundary") }
        precondition(index <= hardState.commit, "compacting \(index) beyond commit \(hardState.commit)")
        entries.removeSubrange(..<(position(atOrAfter: index) + 1))
        snapshot = Snapshot(metadata: SnapshotMetadata(index: index, term: t, configuration: configuration), data: data)
    }

    /// A copy holding what this one holds now (the simulator keeps one as "what an fsync made
    /// durable" and restarts a crashed node from it).
    public func copy() -> MemoryStorage {
        let c = MemoryStorage(snapshot: snapshot, hardState: hardState)
        c.entries = entries
        return c
    }

    /// Persists what a ``Ready`` asks for, in the contract's order: snapshot, entries, hard state.
    public func persist(_ ready: Ready) {
        if let s = ready.snapshot { applySnapshot(s) }
        append(ready.entries)
        if let h = ready.hardState { setHardState(h) }
    }
}
