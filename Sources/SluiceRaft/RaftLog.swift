import SluiceCore

/// The core's view of the log: the durable part read through `storage`, plus what the core has
/// decided but the application has not yet persisted (`unstableSnapshot`, `unstable`).
///
/// Invariants (checked at `advance`):
/// - `unstable` attaches one entry to the next, the first to `unstableAfter`;
/// - `applied <= committed <= lastIndex`, and `committed` is an entry boundary;
/// - nothing at or below `committed` is ever truncated.
struct RaftLog<Storage: RaftStorage> {
    let storage: Storage
    /// A snapshot received from the leader, replacing the whole log once persisted.
    var unstableSnapshot: Snapshot?
    /// Entries after `unstableAfter` not yet persisted; persisting them discards stored entries
    /// after `unstableAfter`.
    var unstable: [Entry] = []
    /// The boundary the unstable entries attach to (<= the storage's last index).
    var unstableAfter: LogIndex
    /// The highest index known committed.
    var committed: LogIndex
    /// The highest index handed to the application to apply.
    var applied: LogIndex

    init(storage: Storage, applied: LogIndex?) {
        self.storage = storage
        unstableAfter = storage.lastIndex
        committed = storage.hardState.commit
        let snapIndex = storage.snapshot.metadata.index
        self.applied = applied ?? snapIndex
        precondition(committed <= storage.lastIndex, "commit \(committed) beyond the stored log \(storage.lastIndex): log lost")
        if committed < snapIndex { committed = snapIndex }
        precondition(self.applied >= snapIndex && self.applied <= committed,
                     "applied \(self.applied) outside [\(snapIndex), \(committed)]")
    }

    var snapshotMetadata: SnapshotMetadata { unstableSnapshot?.metadata ?? storage.snapshot.metadata }
    /// The compaction point: everything at or below is only in the snapshot.
    var baseIndex: LogIndex { snapshotMetadata.index }
    var firstIndex: LogIndex { baseIndex + 1 }
    var lastIndex: LogIndex { unstable.last?.lastIndex ?? unstableAfter }
    var lastTerm: Term {
        guard let t = term(at: lastIndex) else { preconditionFailure("no term for the last index \(lastIndex)") }
        return t
    }

    /// Position in `unstable` of the first entry whose last index is >= `index`.
    private func unstablePosition(atOrAfter index: LogIndex) -> Int {
        var lo = 0, hi = unstable.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if unstable[mid].lastIndex < index { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Term of the entry ending at `index` (or the snapshot's); nil if compacted, absent or mid-entry.
    func term(at index: LogIndex) -> Term? {
        let meta = snapshotMetadata
        if index == meta.index { return meta.term }
        if index < meta.index || index > lastIndex { return nil }
        if index > unstableAfter {
            let p = unstablePosition(atOrAfter: index)
            return p < unstable.count && unstable[p].lastIndex == index ? unstable[p].term : nil
        }
        if unstableSnapshot != nil { return nil }
        return storage.term(at: index)
    }

    func matchTerm(_ index: LogIndex, _ term: Term) -> Bool { self.term(at: index) == term }

    /// The last boundary at or before `index`; nil below the compaction point.
    func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)? {
        if index < baseIndex { return nil }
        if index > unstableAfter {
            var p = unstablePosition(atOrAfter: index)
            if p == unstable.count || unstable[p].lastIndex > index { p -= 1 }
            if p >= 0 { return (unstable[p].lastIndex, unstable[p].term) }
            return term(at: unstableAfter).map { (unstableAfter, $0) }
        }
        if unstableSnapshot != nil { return (baseIndex, snapshotMetadata.term) }
        return storage.boundary(atOrBefore: index)
    }

    /// Raft §5.4.1: a candidate's log is at least as up to date as ours if its last term is later,
    /// or the same with a last index at least as far.
    func isUpToDate(lastIndex candidateIndex: LogIndex, term candidateTerm: Term) -> Bool {
        candidateTerm > lastTerm || (candidateTerm == lastTerm && candidateIndex >= lastIndex)
    }

    /// The last boundary at or before `index` whose term is <= `term` — where a log that has an
    /// entry of `term` at `index` can at best agree with this one (etcd's findConflictByTerm). Used
    /// by followers to hint and by leaders to jump back a whole term per round trip.
    func findConflictByTerm(_ index: LogIndex, _ term: Term) -> (index: LogIndex, term: Term)? {
        var b = boundary(atOrBefore: index)
        // Bounded by the number of unstable entries between `index` and the compaction point;
        // the stored part is the storage's to answer (in one step for a partition log).
        while let cur = b, cur.term > term {
            if cur.index <= unstableAfter && unstableSnapshot == nil { return storage.boundary(atOrBefore: cur.index, termAtMost: term) }
            b = cur.index > baseIndex ? boundary(atOrBefore: cur.index - 1) : nil
        }
        return b
    }

    /// Entries following the boundary `prev` (>= baseIndex), at most `bytesMax` bytes but at least one.
    func entries(after prev: LogIndex, bytesMax: Int) -> [Entry] {
        precondition(prev >= baseIndex, "entries after \(prev) are compacted")
        var out: [Entry] = []
        var bytes = 0
        if prev < unstableAfter {
            out = storage.entries(after: prev, through: unstableAfter, bytesMax: bytesMax)
            bytes = out.reduce(0) { $0 + $1.byteCount }
            if out.last?.lastIndex != unstableAfter { return out }
        }
        var p = prev <= unstableAfter ? 0 : unstablePosition(atOrAfter: prev) + 1
        while p < unstable.count {
            if !out.isEmpty && bytes + unstable[p].byteCount > bytesMax { break }
            bytes += unstable[p].byteCount
            out.append(unstable[p])
            p += 1
        }
        if let f = out.first { precondition(f.prevIndex == prev, "entries after \(prev) start at \(f)") }
        return out
    }

    /// Index in `entries` of the first one this log does not already hold (by last index and term);
    /// nil if it holds them all — so stale or duplicated appends never truncate anything.
    func findConflict(_ entries: [Entry]) -> Int? {
        entries.firstIndex { !matchTerm($0.lastIndex, $0.term) }
    }

    /// Appends entries that attach at `entries[0].prevIndex`, dropping whatever followed there.
    mutating func append(_ entries: [Entry]) {
        guard let first = entries.first else { return }
        let after = first.prevIndex
        precondition(after >= committed, "truncating at \(after), below commit \(committed)")
        precondition(term(at: after) != nil, "append attaches at \(after), not a boundary of this log")
        if after == lastIndex {
            unstable.append(contentsOf: entries)
        } else if after <= unstableAfter {
            // Persisting these will discard stored entries after `after`.
            unstable = entries
            unstableAfter = after
        } else {
            unstable.removeSubrange(unstablePosition(atOrAfter: after + 1)...)
            precondition(unstable.last?.lastIndex == after)
            unstable.append(contentsOf: entries)
        }
    }

    /// Replaces the whole log by a snapshot (to be persisted).
    mutating func restore(_ snapshot: Snapshot) {
        precondition(snapshot.metadata.index > committed, "restoring snapshot \(snapshot.metadata.index) at or below commit \(committed)")
        unstableSnapshot = snapshot
        unstable = []
        unstableAfter = snapshot.metadata.index
        committed = snapshot.metadata.index
    }

    mutating func commit(to index: LogIndex) {
        guard index > committed else { return }
        precondition(index <= lastIndex, "commit \(index) beyond last index \(lastIndex)")
        precondition(term(at: index) != nil, "commit \(index) is not an entry boundary")
        committed = index
    }

    /// Committed entries not yet handed out, none while a snapshot waits to be installed.
    func entriesToApply(bytesMax: Int) -> [Entry] {
        guard unstableSnapshot == nil, committed > applied else { return [] }
        return entries(after: applied, bytesMax: bytesMax).filter { $0.lastIndex <= committed }
    }

    var hasEntriesToApply: Bool { unstableSnapshot == nil && committed > applied }
}

extension RaftLog: EntryBoundaries {}
