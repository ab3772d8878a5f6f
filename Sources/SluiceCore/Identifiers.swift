// Strong types for the numbers the domain passes around, so an offset can never be handed
// where a term or a node id is expected. Widths match the Kafka wire.

/// A position in a partition log (Kafka offset).
public struct Offset: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }
    public static func < (a: Offset, b: Offset) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A Raft term, which is also the Kafka partition leader epoch.
public struct Term: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { self.rawValue = value }
    public static let zero = Term(0)
    public static func < (a: Term, b: Term) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A broker / Raft node identity (Kafka `node.id`).
public struct NodeID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ value: Int32) { self.rawValue = value }
    public static func < (a: NodeID, b: NodeID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A partition index inside a topic.
public struct PartitionID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ value: Int32) { self.rawValue = value }
    public static func < (a: PartitionID, b: PartitionID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// An idempotent producer's id (Kafka `producerId`); -1 means "not idempotent".
public struct ProducerID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }
    public static let none = ProducerID(-1)
    public static func < (a: ProducerID, b: ProducerID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A topic and partition pair; names the directory `<topic>-<partition>`.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: PartitionID
    public init(topic: String, partition: PartitionID) {
        self.topic = topic
        self.partition = partition
    }
    public var description: String { "\(topic)-\(partition.rawValue)" }
}
