import SluiceCore

/// A position in a Raft log.
///
/// Raft positions are the partition's record positions, not entry counters: one entry (one Kafka
/// record batch) may cover several consecutive indexes, and it is named by the *last* index it
/// covers. For a data partition `LogIndex` is the Kafka *log end offset* after a batch (its last
/// offset + 1): a batch at offsets b...l is the entry (b, l + 1], the commit index is the high
/// watermark, and a partition's empty log is a snapshot at index 0 (its log start offset). Other
/// groups (the controller, the simulator) start from ``origin`` (-1).
///
/// Kept as its own type (Kafka offsets are plain `Int64`) so a Raft position and a Kafka offset
/// cannot be mixed up by accident; the cluster layer converts explicitly.
public struct LogIndex: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The raw position; -1 is the position before the first record.
    public var rawValue: Int64
    /// Wraps a raw position.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    /// Wraps a raw position.
    public init(_ value: Int64) { self.rawValue = value }

    /// Where an empty log ends: the position just before index 0.
    public static let origin = LogIndex(-1)

    /// Orders positions.
    public static func < (a: LogIndex, b: LogIndex) -> Bool { a.rawValue < b.rawValue }
    /// The position `n` records later.
    public static func + (a: LogIndex, n: Int64) -> LogIndex { LogIndex(a.rawValue + n) }
    /// The position `n` records earlier.
    public static func - (a: LogIndex, n: Int64) -> LogIndex { LogIndex(a.rawValue - n) }
    /// Decimal form.
    public var description: String { String(rawValue) }
}
