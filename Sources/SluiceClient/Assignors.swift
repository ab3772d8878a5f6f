import SluiceWire

/// A classic-protocol partition assignor; the group leader runs it. Names match the Java client,
/// librdkafka and kafka-python, so mixed groups agree on the protocol.
public enum PartitionAssignor: String, Sendable, CaseIterable {
    /// Per topic, consecutive partition ranges over the subscribed members sorted by id; the
    /// first `partitions % members` members get one extra.
    case range = "range"
    /// All partitions (sorted by topic, partition) dealt in turn to members (sorted by id),
    /// skipping members not subscribed to the topic.
    case roundRobin = "roundrobin"

    /// The protocol name sent in JoinGroup.
    public var name: String { rawValue }

    /// Assigns `partitionCounts` (topic → partition count) to members (member id → subscribed topics).
    /// Every member appears in the result, possibly with nothing.
    public func assign(subscriptions: [String: [String]], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result: [String: [TopicPartition]] = [:]
        for member in subscriptions.keys { result[member] = [] }
        let members = subscriptions.keys.sorted()
        switch self {
        case .range:
            for topic in partitionCounts.keys.sorted() {
                let subscribed = members.filter { subscriptions[$0]?.contains(topic) ?? false }
                guard !subscribed.isEmpty, let count = partitionCounts[topic], count > 0 else { continue }
                let per = Int(count) / subscribed.count
                let extra = Int(count) % subscribed.count
                var next = 0
                for (index, member) in subscribed.enumerated() {
                    let take = per + (index < extra ? 1 : 0)
                    result[member, default: []] += (next..<(next + take)).map { TopicPartition(topic, Int32($0)) }
                    next += take
                }
            }
        case .roundRobin:
            var cursor = 0
            for topic in partitionCounts.keys.sorted() {
                guard let count = partitionCounts[topic], count > 0 else { continue }
                for partition in 0..<count {
                    for _ in 0..<members.count {
                        let member = members[cursor % members.count]
                        cursor += 1
                        if subscriptions[member]?.contains(topic) ?? false {
                            result[member, default: []].append(TopicPartition(topic, partition))
                            break
                        }
                    }
                }
            }
        }
        return result
    }
}

/// The embedded consumer protocol (AK `ConsumerProtocolSubscription` / `ConsumerProtocolAssignment`).
/// We write version 0; we read any version, ignoring fields after the ones we need.
enum ConsumerProtocol {
    static func encodeSubscription(topics: [String]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt16(0)
        writer.writeArrayCount(topics.count)
        for topic in topics.sorted() { writer.writeString(topic) }
        writer.writeNullableBytes([])
        return writer.bytes
    }

    static func decodeSubscription(_ bytes: [UInt8]) throws(WireError) -> [String] {
        var reader = ByteReader(bytes)
        _ = try reader.readInt16("subscription version")
        let count = try reader.readArrayCount("subscription topics", minimumElementBytes: 2, nullable: false) ?? 0
        var topics: [String] = []
        for _ in 0..<count { topics.append(try reader.readString("subscription topic")) }
        return topics
    }

    static func encodeAssignment(_ partitions: [TopicPartition]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt16(0)
        let byTopic = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }
        writer.writeArrayCount(byTopic.count)
        for (topic, parts) in byTopic {
            writer.writeString(topic)
            writer.writeArrayCount(parts.count)
            for part in parts.sorted() { writer.writeInt32(part.partition) }
        }
        writer.writeNullableBytes([])
        return writer.bytes
    }

    static func decodeAssignment(_ bytes: [UInt8]) throws(WireError) -> [TopicPartition] {
        guard !bytes.isEmpty else { return [] }
        var reader = ByteReader(bytes)
        _ = try reader.readInt16("assignment version")
        let topics = try reader.readArrayCount("assignment topics", minimumElementBytes: 6, nullable: false) ?? 0
        var result: [TopicPartition] = []
        for _ in 0..<topics {
            let topic = try reader.readString("assignment topic")
            let count = try reader.readArrayCount("assignment partitions", minimumElementBytes: 4, nullable: false) ?? 0
            for _ in 0..<count { result.append(TopicPartition(topic, try reader.readInt32("assignment partition"))) }
        }
        return result
    }
}
