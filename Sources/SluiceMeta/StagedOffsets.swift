/// Offset changes applied to an `OffsetStore` but not yet written to SQLite, in the order they
/// were applied: for each group, the newest row of each partition (or its deletion), after the
/// group's whole deletion if one came first. The `__consumer_offsets` logs hold every change
/// durably, so the store writes a layer out in one transaction now and then instead of one
/// transaction per commit.
struct StagedOffsets: Sendable {
    struct Key: Hashable, Sendable {
        var topic: String
        var partition: Int32
    }

    /// One group's part of a layer, what a read lays over the group's stored rows.
    struct GroupChanges: Sendable {
        /// The group was deleted whole: its stored rows are gone.
        var cleared = false
        /// The newest row of each partition, or nil where it was deleted.
        var rows: [Key: CommittedOffset?] = [:]

        func apply(to current: inout [Key: CommittedOffset]) {
            if cleared { current.removeAll() }
            for (key, row) in rows { current[key] = row }
        }
    }

    private(set) var groups: [String: GroupChanges] = [:]
    /// Each offsets partition's last index applied into this layer.
    private(set) var applied: [String: Int64] = [:]
    /// Row changes staged, each counted (a row rewritten a thousand times counts a thousand):
    /// how much the log would replay if this layer were lost.
    private(set) var changes = 0
    /// What those changes brought, roughly (names, metadata and a row's fixed part), counted
    /// the same way: it bounds the layer's memory from above.
    private(set) var bytes = 0
    /// When the first entry was staged (monotonic nanoseconds).
    private(set) var firstStagedNanos: UInt64 = 0

    var isEmpty: Bool { applied.isEmpty }

    mutating func stage(_ command: OffsetCommand) {
        switch command {
        case let .commit(group, offsets):
            for offset in offsets {
                groups[group, default: GroupChanges()].rows.updateValue(offset, forKey: Key(topic: offset.topic, partition: offset.partition))
                count(group, offset.topic, offset.metadata)
            }
        case let .delete(group, partitions):
            for (topic, partition) in partitions {
                groups[group, default: GroupChanges()].rows.updateValue(nil, forKey: Key(topic: topic, partition: partition))
                count(group, topic, nil)
            }
        case let .deleteGroup(group):
            groups[group] = GroupChanges(cleared: true)
            count(group, "", nil)
        }
    }

    private mutating func count(_ group: String, _ topic: String, _ metadata: String?) {
        changes += 1
        bytes += 96 + group.utf8.count + topic.utf8.count + (metadata?.utf8.count ?? 0)
    }

    mutating func markApplied(_ index: Int64, partition: String, nowNanos: UInt64) {
        if applied.isEmpty { firstStagedNanos = nowNanos }
        applied[partition] = index
    }

    /// Folds in `later`, staged after everything here.
    mutating func absorb(_ later: StagedOffsets) {
        for (group, changes) in later.groups {
            if changes.cleared {
                groups[group] = changes
            } else {
                groups[group, default: GroupChanges()].rows.merge(changes.rows) { _, newer in newer }
            }
        }
        applied.merge(later.applied) { max($0, $1) }
        changes += later.changes
        bytes += later.bytes
        if firstStagedNanos == 0 { firstStagedNanos = later.firstStagedNanos }
    }

    /// Writes the layer: each cleared group's stored rows go first, since the rows staged for it
    /// came after its deletion; then each partition's applied index.
    func write(in tx: Transaction) throws {
        for (group, changes) in groups {
            if changes.cleared { try OffsetStore.apply(.deleteGroup(group: group), in: tx) }
            for (key, row) in changes.rows {
                if let row {
                    try OffsetStore.apply(.commit(group: group, offsets: [row]), in: tx)
                } else {
                    try OffsetStore.apply(.delete(group: group, partitions: [(key.topic, key.partition)]), in: tx)
                }
            }
        }
        for (partition, index) in applied {
            try OffsetStore.recordApplied(index, partition: partition, in: tx)
        }
    }
}
