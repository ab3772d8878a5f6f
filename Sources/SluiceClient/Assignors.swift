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
    /// Incremental cooperative rebalancing (KIP-429), as Java's `CooperativeStickyAssignor` and
    /// librdkafka's `cooperative-sticky`: members keep the partitions they own where the
    /// balance allows, and a partition that moves is first revoked by its owner, then assigned
    /// to its new owner in a follow-up rebalance, so the others never stop consuming. Used
    /// only when every assignor a consumer offers is cooperative (else the group is eager).
    case cooperativeSticky = "cooperative-sticky"

    /// The protocol name sent in JoinGroup.
    public var name: String { rawValue }

    /// Whether the assignor rebalances incrementally (members revoke only what moves).
    public var isCooperative: Bool { self == .cooperativeSticky }

    /// Assigns like `assign(subscriptions:partitionCounts:)`; the sticky assignor also uses
    /// `owned` (member id → partitions it owns now, from its subscription).
    public func assign(subscriptions: [String: [String]], owned: [String: [TopicPartition]],
                       partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        guard self == .cooperativeSticky else { return assign(subscriptions: subscriptions, partitionCounts: partitionCounts) }
        return StickyPlan(subscriptions: subscriptions, owned: owned, partitionCounts: partitionCounts).cooperativeAssignment()
    }

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
        case .cooperativeSticky:
            return StickyPlan(subscriptions: subscriptions, owned: [:], partitionCounts: partitionCounts).cooperativeAssignment()
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
/// Subscriptions: version 0, or version 1 with the owned partitions (what cooperative
/// assignors need); assignments: version 0. We read any version, ignoring fields after the ones we need.
enum ConsumerProtocol {
    static func encodeSubscription(topics: [String], owned: [TopicPartition]? = nil) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt16(owned == nil ? 0 : 1)
        writer.writeArrayCount(topics.count)
        for topic in topics.sorted() { writer.writeString(topic) }
        writer.writeNullableBytes([])
        if let owned { writeTopicPartitions(owned, into: &writer) }
        return writer.bytes
    }

    static func decodeSubscription(_ bytes: [UInt8]) throws(WireError) -> [String] {
        try decodeSubscriptionWithOwned(bytes).topics
    }

    /// Topics and (version 1 and later) owned partitions.
    static func decodeSubscriptionWithOwned(_ bytes: [UInt8]) throws(WireError) -> (topics: [String], owned: [TopicPartition]) {
        var reader = ByteReader(bytes)
        let version = try reader.readInt16("subscription version")
        let count = try reader.readArrayCount("subscription topics", minimumElementBytes: 2, nullable: false) ?? 0
        var topics: [String] = []
        for _ in 0..<count { topics.append(try reader.readString("subscription topic")) }
        guard version >= 1, !reader.isAtEnd else { return (topics, []) }
        _ = try reader.readNullableBytes("subscription user data")
        guard !reader.isAtEnd else { return (topics, []) }
        return (topics, try readTopicPartitions(&reader, "subscription owned"))
    }

    private static func writeTopicPartitions(_ partitions: [TopicPartition], into writer: inout ByteWriter) {
        let byTopic = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }
        writer.writeArrayCount(byTopic.count)
        for (topic, parts) in byTopic {
            writer.writeString(topic)
            writer.writeArrayCount(parts.count)
            for part in parts.sorted() { writer.writeInt32(part.partition) }
        }
    }

    private static func readTopicPartitions(_ reader: inout ByteReader, _ what: String) throws(WireError) -> [TopicPartition] {
        let topics = try reader.readArrayCount("\(what) topics", minimumElementBytes: 6, nullable: false) ?? 0
        var result: [TopicPartition] = []
        for _ in 0..<topics {
            let topic = try reader.readString("\(what) topic")
            let count = try reader.readArrayCount("\(what) partitions", minimumElementBytes: 4, nullable: false) ?? 0
            for _ in 0..<count { result.append(TopicPartition(topic, try reader.readInt32("\(what) partition"))) }
        }
        return result
    }

    static func encodeAssignment(_ partitions: [TopicPartition]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt16(0)
        writeTopicPartitions(partitions, into: &writer)
        writer.writeNullableBytes([])
        return writer.bytes
    }

    static func decodeAssignment(_ bytes: [UInt8]) throws(WireError) -> [TopicPartition] {
        guard !bytes.isEmpty else { return [] }
        var reader = ByteReader(bytes)
        _ = try reader.readInt16("assignment version")
        return try readTopicPartitions(&reader, "assignment")
    }
}

/// The cooperative-sticky plan (KIP-429), for one rebalance:
///
/// 1. Each member keeps the partitions it owns that still exist and that it still subscribes
///    to (a partition two members claim stays with the first by member id), down to its quota:
///    `⌈eligible / members⌉` partitions (eligible = partitions of topics it subscribes to).
/// 2. Partitions no one keeps go, in order, to the subscribed member with the fewest (then
///    the lowest id); then partitions move from the fullest member to the emptiest while the
///    two differ by more than one and the emptiest subscribes to the topic.
/// 3. Cooperative step: a partition whose new owner is not the member that owns it now is left
///    out of this round. Its owner sees it missing and revokes it, then rejoins; the next
///    rebalance finds it unowned and assigns it. So no partition is ever owned twice.
struct StickyPlan {
    let subscriptions: [String: [String]]
    let owned: [String: [TopicPartition]]
    let partitionCounts: [String: Int32]

    func cooperativeAssignment() -> [String: [TopicPartition]] {
        let members = subscriptions.keys.sorted()
        guard !members.isEmpty else { return [:] }
        var plan: [String: [TopicPartition]] = [:]
        for member in members { plan[member] = [] }
        let all = partitionCounts.keys.sorted().flatMap { topic in (0..<max(0, partitionCounts[topic] ?? 0)).map { TopicPartition(topic, $0) } }
        let allSet = Set(all)
        func subscribes(_ member: String, _ tp: TopicPartition) -> Bool { subscriptions[member]?.contains(tp.topic) ?? false }
        // Who owns what now (first claim by member id wins).
        var previousOwner: [TopicPartition: String] = [:]
        for member in owned.keys.sorted() {
            for tp in owned[member] ?? [] where previousOwner[tp] == nil { previousOwner[tp] = member }
        }
        // 1. Keep owned partitions, up to the quota.
        var taken: Set<TopicPartition> = []
        for member in members {
            let eligible = all.filter { subscribes(member, $0) }.count
            let sharing = members.filter { other in subscriptions[other].map { !$0.isEmpty } ?? false }.count
            let quota = sharing == 0 ? 0 : (eligible + sharing - 1) / sharing
            for tp in (owned[member] ?? []).sorted() where allSet.contains(tp) && subscribes(member, tp) && previousOwner[tp] == member {
                guard (plan[member]?.count ?? 0) < quota else { break }
                plan[member, default: []].append(tp)
                taken.insert(tp)
            }
        }
        // 2. Unowned partitions to the emptiest subscribed member; then even out.
        for tp in all where !taken.contains(tp) {
            let candidates = members.filter { subscribes($0, tp) }
            guard let target = candidates.min(by: { (plan[$0]?.count ?? 0, $0) < (plan[$1]?.count ?? 0, $1) }) else { continue }
            plan[target, default: []].append(tp)
        }
        for _ in 0..<all.count {
            let sorted = members.sorted { (plan[$0]?.count ?? 0, $0) < (plan[$1]?.count ?? 0, $1) }
            guard let fullest = sorted.last, let emptiest = sorted.first,
                  (plan[fullest]?.count ?? 0) - (plan[emptiest]?.count ?? 0) > 1,
                  let index = plan[fullest]?.lastIndex(where: { subscribes(emptiest, $0) }),
                  let moved = plan[fullest]?.remove(at: index) else { break }
            plan[emptiest, default: []].append(moved)
        }
        // 3. Nothing moves directly from one owner to another.
        for member in members {
            plan[member] = (plan[member] ?? []).filter { tp in previousOwner[tp].map { $0 == member } ?? true }.sorted()
        }
        return plan
    }
}
