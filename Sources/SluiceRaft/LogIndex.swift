import SluiceCore

/// A position in a Raft log.
///
/// Raft positions are the partition's record positions, not entry counters: one entry (one Kafka
/// record batch) may cover several consecutive indexes, and it is named by the *last* index it
/// covers. For a data partition `LogIndex` is the Kafka offset of a batch's last record, so the
/// first record of a fresh log is index 0 and the empty log ends at ``origin`` (-1).
///
/// Kept as its own type (not `Offset`) so a Raft position and a Kafka offset cannot be mixed up by
/// accident; the cluster layer converts explicitly.
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
