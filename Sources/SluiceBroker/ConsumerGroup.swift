/// The state of one classic consumer group, owned by the `GroupCoordinator` (under its lock).
///
/// | state | meaning | moves to |
/// |---|---|---|
/// | `empty` | no members; may hold committed offsets | `preparingRebalance` on a join; `dead` on delete |
/// | `preparingRebalance` | waiting for every known member to (re)join, until the rebalance timeout | `completingRebalance` when all joined or time is up; `empty` if nobody is left |
/// | `completingRebalance` | joins answered; waiting for the leader's SyncGroup with assignments | `stable` on the leader's sync; `preparingRebalance` if a member joins, leaves or expires |
/// | `stable` | every member has its assignment and heartbeats | `preparingRebalance` on a join with new metadata, a leave or an expiry |
/// | `dead` | deleted; requests see GROUP_ID_NOT_FOUND / UNKNOWN_MEMBER_ID | — |
public enum GroupState: String, Sendable {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"
}

/// A member's answer to JoinGroup, delivered when the rebalance completes (or at once on error).
public struct JoinResult: Equatable, Sendable {
    public struct Member: Equatable, Sendable {
        public var memberID: String
        public var groupInstanceID: String?
        public var metadata: [UInt8]
    }
    public var error: KafkaError
    public var generationID: Int32
    public var protocolType: String?
    public var protocolName: String?
    public var leaderID: String
    public var memberID: String
    /// Only the leader gets the member list.
    public var members: [Member]
    /// v9: the static leader rejoining a stable group must not reassign.
    public var skipAssignment: Bool

    static func failure(_ error: KafkaError, memberID: String = "") -> JoinResult {
        JoinResult(error: error, generationID: -1, protocolType: nil, protocolName: nil, leaderID: "", memberID: memberID, members: [], skipAssignment: false)
    }
}

/// A member's answer to SyncGroup.
public struct SyncResult: Equatable, Sendable {
    public var error: KafkaError
    public var protocolType: String?
    public var protocolName: String?
    public var assignment: [UInt8]

    static func failure(_ error: KafkaError) -> SyncResult { SyncResult(error: error, protocolType: nil, protocolName: nil, assignment: []) }
}

final class GroupMember {
    let memberID: String
    var groupInstanceID: String?
    var clientID: String
    var clientHost: String
    var sessionTimeoutMillis: Int64
    var rebalanceTimeoutMillis: Int64
    var protocolType: String
    /// (name, metadata) in the member's order of preference.
    var protocols: [(name: String, metadata: [UInt8])]
    var assignment: [UInt8] = []
    var lastHeardMillis: Int64
    var pendingJoin: (@Sendable (JoinResult) -> Void)?
    var pendingSync: (@Sendable (SyncResult) -> Void)?

    init(memberID: String, groupInstanceID: String?, clientID: String, clientHost: String, sessionTimeoutMillis: Int64,
         rebalanceTimeoutMillis: Int64, protocolType: String, protocols: [(name: String, metadata: [UInt8])], nowMillis: Int64) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.clientID = clientID
        self.clientHost = clientHost
        self.sessionTimeoutMillis = sessionTimeoutMillis
        self.rebalanceTimeoutMillis = rebalanceTimeoutMillis
        self.protocolType = protocolType
        self.protocols = protocols
        self.lastHeardMillis = nowMillis
    }

    func metadata(for name: String) -> [UInt8] { protocols.first { $0.name == name }?.metadata ?? [] }
}

final class ConsumerGroup {
    let groupID: String
    var state: GroupState = .empty
    var generationID: Int32 = 0
    var protocolType: String?
    var protocolName: String?
    var leaderID: String?
    /// Members by id, in join order (the leader falls to the first when it leaves).
    var members: [String: GroupMember] = [:]
    var joinOrder: [String] = []
    /// Dynamic members told MEMBER_ID_REQUIRED who have not come back yet, with when they are forgotten.
    var pendingMemberIDs: [String: Int64] = [:]
    var staticMembers: [String: String] = [:]
    /// When the current rebalance gives up waiting for members.
    var rebalanceDeadlineMillis: Int64 = 0
    /// When an initial join of an empty group may complete (`group.initial.rebalance.delay.ms`).
    var initialDelayUntilMillis: Int64 = 0
    /// When the group last became empty (offset expiry counts from here).
    var emptySinceMillis: Int64

    init(groupID: String, nowMillis: Int64) {
        self.groupID = groupID
        self.emptySinceMillis = nowMillis
    }

    var orderedMembers: [GroupMember] { joinOrder.compactMap { members[$0] } }

    func add(_ member: GroupMember) {
        if members[member.memberID] == nil { joinOrder.append(member.memberID) }
        members[member.memberID] = member
        if let instance = member.groupInstanceID { staticMembers[instance] = member.memberID }
        if leaderID == nil { leaderID = member.memberID }
    }

    func remove(_ memberID: String) {
        guard let member = members.removeValue(forKey: memberID) else { return }
        joinOrder.removeAll { $0 == memberID }
        if let instance = member.groupInstanceID, staticMembers[instance] == memberID { staticMembers[instance] = nil }
        if leaderID == memberID { leaderID = joinOrder.first }
    }

    /// Protocols every member supports, in the order of the first member's preference.
    func commonProtocols(with candidate: [(name: String, metadata: [UInt8])]? = nil) -> [String] {
        var lists = orderedMembers.map { $0.protocols.map(\.name) }
        if let candidate { lists.append(candidate.map(\.name)) }
        guard let first = lists.first else { return [] }
        return first.filter { name in lists.allSatisfy { $0.contains(name) } }
    }

    /// Each member votes for its most preferred common protocol; the most votes wins.
    func selectProtocol() -> String? {
        let candidates = commonProtocols()
        guard !candidates.isEmpty else { return nil }
        var votes: [String: Int] = [:]
        for member in orderedMembers {
            if let choice = member.protocols.map(\.name).first(where: candidates.contains) { votes[choice, default: 0] += 1 }
        }
        return candidates.max { (votes[$0] ?? 0) < (votes[$1] ?? 0) }
    }

    /// A request naming a static instance now held by another member id comes from a fenced
    /// (replaced) member.
    func isFenced(memberID: String, instance: String?) -> Bool {
        guard let instance, let current = staticMembers[instance] else { return false }
        return current != memberID
    }

    var maxRebalanceTimeoutMillis: Int64 { members.values.map(\.rebalanceTimeoutMillis).max() ?? 0 }
}
