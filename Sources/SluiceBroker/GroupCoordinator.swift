import Foundation
import SluiceMeta
import Synchronization

/// The classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and
/// committed offsets. Group states and their moves are tabled on `GroupState`.
///
/// Time comes from `now` and `tick()`, so tests drive it by hand. Responses that wait (a
/// JoinGroup held until the rebalance completes, a SyncGroup waiting for the leader) are
/// callbacks, always called outside the lock. Offset changes go to the `OffsetWriter` (a Raft
/// entry of the group's `__consumer_offsets` partition) and are answered from its completion:
/// no thread waits for the commit.
public final class GroupCoordinator: Sendable {
    public struct Settings: Sendable {
        public var minSessionTimeoutMillis: Int32 = 6_000
        public var maxSessionTimeoutMillis: Int32 = 1_800_000
        public var initialRebalanceDelayMillis: Int64 = 3_000
        public var offsetsRetentionMillis: Int64 = 7 * 24 * 3_600_000
        /// `group.max.size`: members plus members told MEMBER_ID_REQUIRED who may still come back.
        public var maxGroupSize: Int = 1_000
        /// The protocol metadata one member may send (its subscription), summed over protocols.
        public var maxMemberMetadataBytes: Int = 1 << 20
        /// Group ids longer than this are refused with INVALID_GROUP_ID.
        public var maxGroupIDBytes: Int = 255
        public init() {}
    }

    private let settings: Settings
    private let offsets: OffsetStore
    private let now: @Sendable () -> Int64
    private let groups: Mutex<[String: ConsumerGroup]>

    private typealias Callbacks = [@Sendable () -> Void]

    /// Takes an offset change where it is made durable and applied to the store, then calls
    /// `done(true)`, or `done(false)` if it did not commit. Must not block.
    public typealias OffsetWriter = @Sendable (_ command: OffsetCommand, _ done: @escaping @Sendable (Bool) -> Void) -> Void
    /// The writer sits in a struct: a bare closure kept in a `Mutex` is wrapped in one more
    /// reabstraction thunk at every `withLock` (the inout write-back), so each commit would run
    /// through all the thunks of the commits before it.
    private struct Writer {
        let write: OffsetWriter
        /// Whether this node coordinates a group and has applied everything committed for it.
        let coordinates: @Sendable (String) -> Bool
    }
    private let offsetWriter = Mutex<Writer?>(nil)

    /// Routes offset changes through `writer` (set once the cluster node exists); `coordinates`
    /// says whether this node may expire a group's offsets (it leads the group's offsets
    /// partition and has applied all of it).
    public func replicateOffsets(through writer: @escaping OffsetWriter, coordinates: @escaping @Sendable (String) -> Bool = { _ in true }) {
        offsetWriter.withLock { $0 = Writer(write: writer, coordinates: coordinates) }
    }

    private func applyOffsets(_ command: OffsetCommand, done: @escaping @Sendable (Bool) -> Void) {
        guard let writer = offsetWriter.withLock({ $0 }) else { return done(false) }
        writer.write(command, done)
    }

    /// Forgets every group's members (this node stopped coordinating): members rejoin at the new
    /// coordinator; committed offsets stay, they live in the replicated store.
    public func forgetMembers(where affected: (String) -> Bool = { _ in true }) {
        let start = now()
        let known = (try? offsets.groups()) ?? []
        groups.withLock { groups in
            for id in Array(groups.keys) where affected(id) { groups[id] = nil }
            for (group, lastCommit) in known where affected(group) {
                groups[group] = Self.restored(group, lastCommit: lastCommit, now: start)
            }
        }
    }

    /// Takes in the groups of the store that `affected` names (this node now coordinates them):
    /// one it does not know comes back Empty (see `restored`); an Empty one it knows counts as
    /// empty from now as well; and an Empty one it knows that the store no longer has, untouched
    /// since `since` (when this node began coordinating them), is dropped. (This may run more
    /// than once in a term, which only moves the clocks on.) The map is built from the store at
    /// start, before the offsets partitions replay, and a node that becomes coordinator after
    /// another led knows only the groups it served itself; without this such a group would be
    /// missing from ListGroups and DeleteGroups, and one known too early would expire on a stale
    /// commit time.
    public func adoptStoredGroups(where affected: (String) -> Bool, coordinatingSince since: Int64) {
        guard let stored = try? offsets.groups() else { return }
        let start = now()
        groups.withLock { groups in
            // An Empty group of these partitions with no commits stored, untouched since this
            // node became their coordinator, is gone: deleted, or expired, while another node
            // coordinated it (Kafka drops such a group too). One touched since (a commit not yet
            // applied, a join waiting for its member id) stays.
            let storedGroups = Set(stored.map(\.group))
            for (group, known) in groups where known.state == .empty && known.members.isEmpty && known.pendingMemberIDs.isEmpty
                && known.emptySinceMillis < since && affected(group) && !storedGroups.contains(group) {
                groups[group] = nil
            }
            for (group, lastCommit) in stored where affected(group) {
                if let known = groups[group] {
                    // Known from before (the store at start, or a term that ended): its clock is
                    // as stale as a stranger's, so it restarts too.
                    if known.state == .empty { known.emptySinceMillis = max(known.emptySinceMillis, lastCommit, start) }
                } else {
                    groups[group] = Self.restored(group, lastCommit: lastCommit, now: start)
                }
            }
        }
    }

    public init(settings: Settings, offsets: OffsetStore, now: @escaping @Sendable () -> Int64) throws {
        self.settings = settings
        self.offsets = offsets
        self.now = now
        let start = now()
        var known: [String: ConsumerGroup] = [:]
        // Groups with commits come back as Empty groups after a restart.
        for (group, lastCommit) in try offsets.groups() {
            known[group] = Self.restored(group, lastCommit: lastCommit, now: start)
        }
        groups = Mutex(known)
    }

    /// A group known only by its stored commits (after a restart, or from another coordinator's
    /// term), as an Empty group. It counts as empty from `now`, not from its last commit: no
    /// record says when it emptied, and a live consumer of a quiet topic commits rarely (its last
    /// commit may be older than the retention while its members are about to rejoin). So a
    /// coordinator change restarts the expiry clock of groups that are not active, and offsets
    /// outlive it by at least `offsets.retention.minutes`.
    private static func restored(_ group: String, lastCommit: Int64, now: Int64) -> ConsumerGroup {
        let restored = ConsumerGroup(groupID: group, nowMillis: now)
        restored.emptySinceMillis = max(lastCommit, now)
        return restored
    }

    // MARK: JoinGroup

    public struct JoinRequest: Sendable {
        public var groupID: String
        public var sessionTimeoutMillis: Int32
        public var rebalanceTimeoutMillis: Int32
        public var memberID: String
        public var groupInstanceID: String?
        public var protocolType: String
        public var protocols: [(name: String, metadata: [UInt8])]
        public var clientID: String
        public var clientHost: String
        /// v4+ clients understand MEMBER_ID_REQUIRED.
        public var requiresKnownMemberID: Bool

        public init(groupID: String, sessionTimeoutMillis: Int32, rebalanceTimeoutMillis: Int32, memberID: String, groupInstanceID: String?,
                    protocolType: String, protocols: [(name: String, metadata: [UInt8])], clientID: String, clientHost: String, requiresKnownMemberID: Bool) {
            self.groupID = groupID
            self.sessionTimeoutMillis = sessionTimeoutMillis
            self.rebalanceTimeoutMillis = rebalanceTimeoutMillis
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
            self.protocolType = protocolType
            self.protocols = protocols
            self.clientID = clientID
            self.clientHost = clientHost
            self.requiresKnownMemberID = requiresKnownMemberID
        }
    }

    /// Handles a JoinGroup; `respond` is called once, possibly much later.
    public func join(_ request: JoinRequest, respond: @escaping @Sendable (JoinResult) -> Void) {
        let callbacks = groups.withLock { groups -> Callbacks in
            var callbacks: Callbacks = []
            let result = join(request, respond: respond, groups: &groups, callbacks: &callbacks)
            if let result { callbacks.append { respond(result) } }
            return callbacks
        }
        for callback in callbacks { callback() }
    }

    private func join(_ request: JoinRequest, respond: @escaping @Sendable (JoinResult) -> Void, groups: inout [String: ConsumerGroup],
                      callbacks: inout Callbacks) -> JoinResult? {
        if let error = invalidJoin(request) { return .failure(error, memberID: request.memberID) }
        let time = now()
        let group: ConsumerGroup
        if let existing = groups[request.groupID], existing.state != .dead {
            group = existing
        } else {
            guard request.memberID.isEmpty else { return .failure(.unknownMemberID, memberID: request.memberID) }
            group = ConsumerGroup(groupID: request.groupID, nowMillis: time)
            groups[request.groupID] = group
        }
        if !group.members.isEmpty {
            guard group.protocolType == nil || group.protocolType == request.protocolType,
                  !group.commonProtocols(with: request.protocols).isEmpty else {
                return .failure(.inconsistentGroupProtocol, memberID: request.memberID)
            }
        }
        let rebalanceTimeout = Int64(request.rebalanceTimeoutMillis > 0 ? request.rebalanceTimeoutMillis : request.sessionTimeoutMillis)
        let isNewcomer = request.memberID.isEmpty && !(request.groupInstanceID.map { group.staticMembers[$0] != nil } ?? false)
        if isNewcomer && group.members.count + group.pendingMemberIDs.count >= settings.maxGroupSize {
            return .failure(.groupMaxSizeReached, memberID: request.memberID)
        }
        if request.memberID.isEmpty {
            return joinWithoutMemberID(group, request, rebalanceTimeout: rebalanceTimeout, respond: respond, time: time, callbacks: &callbacks)
        }
        if group.pendingMemberIDs.removeValue(forKey: request.memberID) != nil {
            addJoiningMember(request.memberID, to: group, request, rebalanceTimeout: rebalanceTimeout, respond: respond, time: time, callbacks: &callbacks)
            return nil
        }
        if group.isFenced(memberID: request.memberID, instance: request.groupInstanceID) {
            return .failure(.fencedInstanceID, memberID: request.memberID)
        }
        guard let member = group.members[request.memberID] else { return .failure(.unknownMemberID, memberID: request.memberID) }
        return rejoin(member, of: group, request, rebalanceTimeout: rebalanceTimeout, respond: respond, time: time, callbacks: &callbacks)
    }

    /// The request-level checks of a JoinGroup, Kafka's error for the first that fails.
    private func invalidJoin(_ request: JoinRequest) -> KafkaError? {
        guard !request.groupID.isEmpty, request.groupID.utf8.count <= settings.maxGroupIDBytes else { return .invalidGroupID }
        guard request.protocols.reduce(0, { $0 + $1.metadata.count + $1.name.utf8.count }) <= settings.maxMemberMetadataBytes else {
            return .invalidRequest
        }
        guard request.sessionTimeoutMillis >= settings.minSessionTimeoutMillis, request.sessionTimeoutMillis <= settings.maxSessionTimeoutMillis else {
            return .invalidSessionTimeout
        }
        guard !request.protocols.isEmpty, !request.protocolType.isEmpty else { return .inconsistentGroupProtocol }
        return nil
    }

    /// A join with no member id: a static member coming back under a new id, a newcomer told to
    /// come back with the id it is given (MEMBER_ID_REQUIRED), or a newcomer added at once.
    private func joinWithoutMemberID(_ group: ConsumerGroup, _ request: JoinRequest, rebalanceTimeout: Int64,
                                     respond: @escaping @Sendable (JoinResult) -> Void, time: Int64, callbacks: inout Callbacks) -> JoinResult? {
        let newID = (request.clientID.isEmpty ? "member" : request.clientID) + "-" + UUID().uuidString.lowercased()
        if let instance = request.groupInstanceID {
            if let oldID = group.staticMembers[instance], let old = group.members[oldID] {
                return rejoinStatic(group, old: old, newID: newID, request: request, respond: respond, time: time, callbacks: &callbacks)
            }
        } else if request.requiresKnownMemberID {
            // Remembered only for the session timeout: a client that never comes back is forgotten.
            group.pendingMemberIDs[newID] = time + Int64(request.sessionTimeoutMillis)
            return .failure(.memberIDRequired, memberID: newID)
        }
        addJoiningMember(newID, to: group, request, rebalanceTimeout: rebalanceTimeout, respond: respond, time: time, callbacks: &callbacks)
        return nil
    }

    /// A known member joins again: answered at once if nothing changed for a follower, else it
    /// waits for the rebalance its join starts.
    private func rejoin(_ member: GroupMember, of group: ConsumerGroup, _ request: JoinRequest, rebalanceTimeout: Int64,
                        respond: @escaping @Sendable (JoinResult) -> Void, time: Int64, callbacks: inout Callbacks) -> JoinResult? {
        let sameMetadata = member.protocols.elementsEqual(request.protocols) { $0.name == $1.name && $0.metadata == $1.metadata }
        member.protocols = request.protocols
        member.sessionTimeoutMillis = Int64(request.sessionTimeoutMillis)
        member.rebalanceTimeoutMillis = rebalanceTimeout
        member.lastHeardMillis = time
        if let previous = member.pendingJoin {
            // A duplicate join while one is parked: the older one gets nothing better than this.
            callbacks.append { previous(.failure(.unknownMemberID, memberID: request.memberID)) }
        }
        switch group.state {
        case .stable where sameMetadata && member.memberID != group.leaderID,
             .completingRebalance where sameMetadata:
            // Nothing changed for a follower: answer with the current generation, no rebalance.
            return currentJoinResult(group, for: member, includeMembers: member.memberID == group.leaderID)
        default:
            member.pendingJoin = respond
            prepareRebalance(group, time: time, callbacks: &callbacks)
            tryCompleteJoin(group, time: time, callbacks: &callbacks)
            return nil
        }
    }

    /// Adds a member whose JoinGroup is parked until the rebalance it starts (or joins) completes.
    private func addJoiningMember(_ memberID: String, to group: ConsumerGroup, _ request: JoinRequest, rebalanceTimeout: Int64,
                                  respond: @escaping @Sendable (JoinResult) -> Void, time: Int64, callbacks: inout Callbacks) {
        let member = GroupMember(memberID: memberID, groupInstanceID: request.groupInstanceID, clientID: request.clientID, clientHost: request.clientHost,
                                 sessionTimeoutMillis: Int64(request.sessionTimeoutMillis), rebalanceTimeoutMillis: rebalanceTimeout,
                                 protocolType: request.protocolType, protocols: request.protocols, nowMillis: time)
        group.add(member)
        member.pendingJoin = respond
        prepareRebalance(group, time: time, callbacks: &callbacks)
        tryCompleteJoin(group, time: time, callbacks: &callbacks)
    }

    /// A static member coming back with an empty member id: it takes over its old identity.
    /// With unchanged metadata in a stable group there is no rebalance (KIP-345).
    private func rejoinStatic(_ group: ConsumerGroup, old: GroupMember, newID: String, request: JoinRequest, respond: @escaping @Sendable (JoinResult) -> Void,
                              time: Int64, callbacks: inout Callbacks) -> JoinResult? {
        let sameMetadata = old.protocols.elementsEqual(request.protocols) { $0.name == $1.name && $0.metadata == $1.metadata }
        let wasLeader = group.leaderID == old.memberID
        let oldID = old.memberID
        if let previousJoin = old.pendingJoin { callbacks.append { previousJoin(.failure(.fencedInstanceID, memberID: oldID)) } }
        if let previousSync = old.pendingSync { callbacks.append { previousSync(.failure(.fencedInstanceID)) } }
        let replacement = GroupMember(memberID: newID, groupInstanceID: request.groupInstanceID, clientID: request.clientID, clientHost: request.clientHost,
                                      sessionTimeoutMillis: Int64(request.sessionTimeoutMillis),
                                      rebalanceTimeoutMillis: Int64(request.rebalanceTimeoutMillis > 0 ? request.rebalanceTimeoutMillis : request.sessionTimeoutMillis),
                                      protocolType: request.protocolType, protocols: request.protocols, nowMillis: time)
        replacement.assignment = old.assignment
        // Keep its place in join order and leadership.
        if let index = group.joinOrder.firstIndex(of: old.memberID) { group.joinOrder[index] = newID }
        group.members[old.memberID] = nil
        group.members[newID] = replacement
        if let instance = request.groupInstanceID { group.staticMembers[instance] = newID }
        if wasLeader { group.leaderID = newID }
        if group.state == .stable && sameMetadata {
            var result = currentJoinResult(group, for: replacement, includeMembers: wasLeader)
            result.skipAssignment = wasLeader
            return result
        }
        replacement.pendingJoin = respond
        prepareRebalance(group, time: time, callbacks: &callbacks)
        tryCompleteJoin(group, time: time, callbacks: &callbacks)
        return nil
    }

    private func currentJoinResult(_ group: ConsumerGroup, for member: GroupMember, includeMembers: Bool) -> JoinResult {
        let name = group.protocolName ?? ""
        return JoinResult(error: .none, generationID: group.generationID, protocolType: group.protocolType, protocolName: group.protocolName,
                          leaderID: group.leaderID ?? "", memberID: member.memberID,
                          members: includeMembers ? group.orderedMembers.map { .init(memberID: $0.memberID, groupInstanceID: $0.groupInstanceID, metadata: $0.metadata(for: name)) } : [],
                          skipAssignment: false)
    }

    /// Moves the group into PreparingRebalance (if it is not already), failing parked syncs.
    private func prepareRebalance(_ group: ConsumerGroup, time: Int64, callbacks: inout Callbacks) {
        guard group.state != .preparingRebalance else { return }
        if group.state == .completingRebalance {
            for member in group.members.values {
                if let sync = member.pendingSync {
                    member.pendingSync = nil
                    callbacks.append { sync(.failure(.rebalanceInProgress)) }
                }
            }
        }
        let wasEmpty = group.state == .empty
        group.state = .preparingRebalance
        group.rebalanceDeadlineMillis = time + max(group.maxRebalanceTimeoutMillis, 1)
        group.initialDelayUntilMillis = wasEmpty ? time + settings.initialRebalanceDelayMillis : 0
    }

    /// Completes the join phase when every known member has joined (and the initial delay of a
    /// new group has passed), or `force` at the rebalance deadline, dropping who did not join.
    private func tryCompleteJoin(_ group: ConsumerGroup, time: Int64, force: Bool = false, callbacks: inout Callbacks) {
        guard group.state == .preparingRebalance else { return }
        let everyoneJoined = group.members.values.allSatisfy { $0.pendingJoin != nil } && group.pendingMemberIDs.isEmpty
        if !force {
            guard everyoneJoined, time >= group.initialDelayUntilMillis else { return }
        }
        for member in group.orderedMembers where member.pendingJoin == nil {
            group.remove(member.memberID)
        }
        group.pendingMemberIDs.removeAll()
        group.generationID += 1
        if group.members.isEmpty {
            group.state = .empty
            group.protocolName = nil
            group.protocolType = nil
            group.emptySinceMillis = time
            return
        }
        group.protocolType = group.orderedMembers.first?.protocolType
        group.protocolName = group.selectProtocol()
        if group.leaderID.map({ group.members[$0] == nil }) ?? true { group.leaderID = group.joinOrder.first }
        group.state = .completingRebalance
        for member in group.orderedMembers {
            guard let respond = member.pendingJoin else { continue }
            member.pendingJoin = nil
            member.lastHeardMillis = time
            let result = currentJoinResult(group, for: member, includeMembers: member.memberID == group.leaderID)
            callbacks.append { respond(result) }
        }
    }

    // MARK: SyncGroup

    public func sync(groupID: String, generationID: Int32, memberID: String, groupInstanceID: String?, assignments: [String: [UInt8]],
                     respond: @escaping @Sendable (SyncResult) -> Void) {
        let callbacks = groups.withLock { groups -> Callbacks in
            var callbacks: Callbacks = []
            let immediate: SyncResult? = {
                guard let group = groups[groupID], group.state != .dead else { return .failure(.unknownMemberID) }
                if group.isFenced(memberID: memberID, instance: groupInstanceID) { return .failure(.fencedInstanceID) }
                guard let member = group.members[memberID] else { return .failure(.unknownMemberID) }
                guard generationID == group.generationID else { return .failure(.illegalGeneration) }
                member.lastHeardMillis = now()
                switch group.state {
                case .empty, .dead: return .failure(.unknownMemberID)
                case .preparingRebalance: return .failure(.rebalanceInProgress)
                case .stable:
                    return SyncResult(error: .none, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment)
                case .completingRebalance:
                    if let previous = member.pendingSync { callbacks.append { previous(.failure(.rebalanceInProgress)) } }
                    member.pendingSync = respond
                    if memberID == group.leaderID {
                        for other in group.members.values { other.assignment = assignments[other.memberID] ?? [] }
                        group.state = .stable
                        for other in group.members.values {
                            guard let waiting = other.pendingSync else { continue }
                            other.pendingSync = nil
                            let result = SyncResult(error: .none, protocolType: group.protocolType, protocolName: group.protocolName, assignment: other.assignment)
                            callbacks.append { waiting(result) }
                        }
                    }
                    return nil
                }
            }()
            if let immediate { callbacks.append { respond(immediate) } }
            return callbacks
        }
        for callback in callbacks { callback() }
    }

    // MARK: Heartbeat and LeaveGroup

    public func heartbeat(groupID: String, generationID: Int32, memberID: String, groupInstanceID: String?) -> KafkaError {
        groups.withLock { groups in
            guard let group = groups[groupID], group.state != .dead else { return .unknownMemberID }
            if group.isFenced(memberID: memberID, instance: groupInstanceID) { return .fencedInstanceID }
            guard let member = group.members[memberID] else { return .unknownMemberID }
            member.lastHeardMillis = now()
            switch group.state {
            case .empty, .dead: return .unknownMemberID
            case .preparingRebalance: return .rebalanceInProgress
            case .completingRebalance, .stable: return generationID == group.generationID ? .none : .illegalGeneration
            }
        }
    }

    /// Removes members; returns an error per (memberID, instanceID) in order.
    public func leave(groupID: String, members: [(memberID: String, groupInstanceID: String?)]) -> (KafkaError, [KafkaError]) {
        let (result, callbacks) = groups.withLock { groups -> ((KafkaError, [KafkaError]), Callbacks) in
            var callbacks: Callbacks = []
            guard let group = groups[groupID], group.state != .dead else { return ((.unknownMemberID, members.map { _ in .unknownMemberID }), []) }
            var errors: [KafkaError] = []
            var removedAny = false
            for (memberID, instance) in members {
                var id = memberID
                if let instance {
                    guard let known = group.staticMembers[instance] else { errors.append(.unknownMemberID); continue }
                    if !memberID.isEmpty && memberID != known { errors.append(.fencedInstanceID); continue }
                    id = known
                }
                guard let member = group.members[id] else { errors.append(.unknownMemberID); continue }
                let leaving = id
                if let join = member.pendingJoin { callbacks.append { join(.failure(.unknownMemberID, memberID: leaving)) } }
                if let sync = member.pendingSync { callbacks.append { sync(.failure(.unknownMemberID)) } }
                group.remove(id)
                removedAny = true
                errors.append(.none)
            }
            if removedAny { membershipChanged(group, time: now(), callbacks: &callbacks) }
            return ((.none, errors), callbacks)
        }
        for callback in callbacks { callback() }
        return result
    }

    private func membershipChanged(_ group: ConsumerGroup, time: Int64, callbacks: inout Callbacks) {
        switch group.state {
        case .stable, .completingRebalance:
            if group.members.isEmpty {
                group.state = .empty
                group.generationID += 1
                group.emptySinceMillis = time
                group.protocolName = nil
            } else {
                prepareRebalance(group, time: time, callbacks: &callbacks)
            }
        case .preparingRebalance:
            tryCompleteJoin(group, time: time, callbacks: &callbacks)
        case .empty, .dead:
            break
        }
    }

    // MARK: Time

    /// Expires members whose session ran out, completes rebalances whose time is up, and drops
    /// offsets of groups empty for longer than the retention. Call often (every ~100 ms).
    public func tick() {
        let time = now()
        var expiredGroups: [String] = []
        let callbacks = groups.withLock { groups -> Callbacks in
            var callbacks: Callbacks = []
            for group in groups.values {
                for (pending, expiry) in group.pendingMemberIDs where time > expiry {
                    group.pendingMemberIDs[pending] = nil
                }
                var lost = false
                for member in group.orderedMembers where member.pendingJoin == nil || group.state != .preparingRebalance {
                    if time - member.lastHeardMillis > member.sessionTimeoutMillis {
                        if let sync = member.pendingSync { callbacks.append { sync(.failure(.unknownMemberID)) } }
                        let expiredID = member.memberID
                        if let join = member.pendingJoin { callbacks.append { join(.failure(.unknownMemberID, memberID: expiredID)) } }
                        group.remove(member.memberID)
                        lost = true
                    }
                }
                if lost { membershipChanged(group, time: time, callbacks: &callbacks) }
                if group.state == .preparingRebalance {
                    let force = time >= group.rebalanceDeadlineMillis
                    tryCompleteJoin(group, time: time, force: force, callbacks: &callbacks)
                }
                if group.state == .empty && time - group.emptySinceMillis > settings.offsetsRetentionMillis {
                    expiredGroups.append(group.groupID)
                }
            }
            return callbacks
        }
        for callback in callbacks { callback() }
        expire(expiredGroups, time: time)
    }

    /// Deletes the offsets of groups that look expired, once the store agrees: this node must
    /// coordinate the group with its offsets partition applied, and the group's newest commit in
    /// the store must be older than the retention (the map's commit time can be older than a
    /// commit replayed after a restart, or made while another node coordinated).
    private func expire(_ candidates: [String], time: Int64) {
        guard !candidates.isEmpty, let writer = offsetWriter.withLock({ $0 }) else { return }
        for id in candidates where writer.coordinates(id) {
            guard let stored = try? offsets.offsets(group: id) else { continue }
            let newest = stored.map(\.commitMillis).max() ?? Int64.min
            groups.withLock { groups in
                guard let group = groups[id], group.state == .empty else { return }
                group.emptySinceMillis = max(group.emptySinceMillis, newest)
                guard time - group.emptySinceMillis > settings.offsetsRetentionMillis else { return }
                groups[id] = nil
                // Proposed under the lock (it does not wait): a commit that finds the group gone
                // creates it again and is proposed after this, so the log deletes, then commits.
                if !stored.isEmpty { writer.write(.deleteGroup(group: id)) { _ in } }
            }
        }
    }

    // MARK: Offsets

    /// Validates and stores one OffsetCommit. Returns the error for every partition (one code).
    public func commit(groupID: String, generationID: Int32, memberID: String, groupInstanceID: String?, offsets entries: [CommittedOffset],
                       done: @escaping @Sendable (KafkaError) -> Void) {
        let verdict = groups.withLock { groups -> KafkaError in
            guard !groupID.isEmpty else { return .invalidGroupID }
            let group: ConsumerGroup
            if let existing = groups[groupID], existing.state != .dead {
                group = existing
            } else {
                guard generationID < 0 else { return .illegalGeneration }
                group = ConsumerGroup(groupID: groupID, nowMillis: now())
                groups[groupID] = group
            }
            if generationID < 0 && group.state == .empty {
                // The expiry clock restarts now, not once the commit applies: an expiry that
                // read the store before then must not delete the group behind this commit.
                group.emptySinceMillis = now()
                return .none
            }
            if group.isFenced(memberID: memberID, instance: groupInstanceID) { return .fencedInstanceID }
            guard let member = group.members[memberID] else { return .unknownMemberID }
            guard generationID == group.generationID else { return .illegalGeneration }
            if group.state == .completingRebalance { return .rebalanceInProgress }
            member.lastHeardMillis = now()
            return .none
        }
        // Nothing to commit (every partition refused, or none sent): nothing is appended.
        guard verdict == .none, !entries.isEmpty else { return done(verdict) }
        applyOffsets(.commit(group: groupID, offsets: entries)) { [self] committed in
            guard committed else { return done(.notCoordinator) }
            groups.withLock { groups in
                if let group = groups[groupID], group.state == .empty { group.emptySinceMillis = now() }
            }
            done(.none)
        }
    }

    /// Every group that has committed offsets, with them (for lag metrics).
    public func allCommitted() throws -> [(group: String, offsets: [CommittedOffset])] {
        try offsets.groups().map { ($0.group, try offsets.offsets(group: $0.group)) }
    }

    /// Committed offsets of a group (nil topics: all).
    public func committed(groupID: String, topics: Set<String>?) throws -> [CommittedOffset] {
        try offsets.offsets(group: groupID, topics: topics)
    }

    // MARK: Admin

    public struct GroupSummary: Equatable, Sendable {
        public var groupID: String
        public var protocolType: String
        public var state: GroupState
    }

    public func list() -> [GroupSummary] {
        groups.withLock { groups in
            groups.values.filter { $0.state != .dead }.sorted { $0.groupID < $1.groupID }
                .map { GroupSummary(groupID: $0.groupID, protocolType: $0.protocolType ?? "consumer", state: $0.state) }
        }
    }

    public struct MemberDescription: Equatable, Sendable {
        public var memberID: String
        public var groupInstanceID: String?
        public var clientID: String
        public var clientHost: String
        public var metadata: [UInt8]
        public var assignment: [UInt8]
    }

    public struct GroupDescription: Equatable, Sendable {
        public var groupID: String
        public var state: GroupState
        public var protocolType: String
        public var protocolName: String
        public var members: [MemberDescription]
    }

    /// Nil if the group is unknown.
    public func describe(groupID: String) -> GroupDescription? {
        groups.withLock { groups in
            guard let group = groups[groupID], group.state != .dead else { return nil }
            let name = group.protocolName ?? ""
            return GroupDescription(groupID: groupID, state: group.state, protocolType: group.protocolType ?? "", protocolName: name,
                                    members: group.orderedMembers.map {
                                        MemberDescription(memberID: $0.memberID, groupInstanceID: $0.groupInstanceID, clientID: $0.clientID,
                                                          clientHost: $0.clientHost, metadata: $0.metadata(for: name), assignment: $0.assignment)
                                    })
        }
    }

    /// Deletes an empty group and its offsets.
    public func delete(groupID: String, done: @escaping @Sendable (KafkaError) -> Void) {
        let verdict = groups.withLock { groups -> KafkaError in
            guard let group = groups[groupID], group.state != .dead else { return .groupIDNotFound }
            guard group.state == .empty else { return .nonEmptyGroup }
            group.state = .dead
            groups[groupID] = nil
            return .none
        }
        guard verdict == .none else { return done(verdict) }
        applyOffsets(.deleteGroup(group: groupID)) { committed in done(committed ? .none : .notCoordinator) }
    }

    /// OffsetDelete: refuses partitions of topics the live group subscribes to.
    public func deleteOffsets(groupID: String, partitions: [(topic: String, partition: Int32)], subscribedTopics: (GroupDescription) -> Set<String>,
                              done: @escaping @Sendable (KafkaError, [KafkaError]) -> Void) {
        guard let description = describe(groupID: groupID) else { return done(.groupIDNotFound, []) }
        let subscribed = description.state == .empty ? [] : subscribedTopics(description)
        let deletable = partitions.filter { !subscribed.contains($0.topic) }
        let perPartition = partitions.map { subscribed.contains($0.topic) ? KafkaError.groupSubscribedToTopic : .none }
        applyOffsets(.delete(group: groupID, partitions: deletable)) { committed in
            committed ? done(.none, perPartition) : done(.notCoordinator, [])
        }
    }
}
