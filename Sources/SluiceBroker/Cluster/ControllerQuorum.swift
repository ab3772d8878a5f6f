import SluiceCore
import SluiceIO
import SluiceRaft

/// An operator's change of the controller quorum's voters (Kafka's AddRaftVoter and
/// RemoveRaftVoter, KIP-853). How a cluster of one grows to three: the new nodes start with the
/// quorum's `controller.quorum.voters` line and the same `cluster.id`, follow the controller log as
/// learners once registered, and each is then promoted here, one at a time.
enum VoterChange: Sendable, Equatable, CustomStringConvertible {
    case add(NodeID)
    case remove(NodeID)

    var description: String {
        switch self {
        case .add(let id): return "add voter \(id)"
        case .remove(let id): return "remove voter \(id)"
        }
    }
}

/// How a voter change ended, for the handler's answer.
enum VoterChangeOutcome: Sendable, Equatable {
    case done
    /// This node does not lead the quorum (any more): the forwarder sends it to the one that does.
    case notController
    case refused(KafkaError, String)
}

/// A voter change accepted by the leader, waiting until it can be proposed: the node to add has
/// caught up with the controller log, and no other membership change is uncommitted.
struct PendingVoterChange {
    let change: VoterChange
    /// When this leader took it: who is up is judged only after `RaftHost.livenessSettleNanos`
    /// (a leader just elected has not heard from every live node yet, and a node that just
    /// restarted is reached only once its peers' connections to it are back).
    let acceptedNanos: UInt64
    let deadlineNanos: UInt64
    let done: @Sendable (VoterChangeOutcome) -> Void
}

/// The controller quorum as its leader sees it, for DescribeQuorum.
struct QuorumDescription: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var id: Int32
        /// The last index the leader knows the member holds, -1 when unknown.
        var logEnd: Int64
        /// Wall-clock ms the leader last heard from it (now for the leader), -1 when never.
        var lastHeardMillis: Int64
        /// Wall-clock ms it last held everything committed, as far as the leader knows, -1 when unknown.
        var caughtUpMillis: Int64
    }
    var leader: Int32
    var term: Int64
    var committed: Int64
    var voters: [Member]
    var learners: [Member]
}

extension RaftHost {
    /// Raft thread: accepts `change` if it makes sense now, then proposes it as soon as it can;
    /// `done` is called once, when the new voter set is committed or the change is refused or
    /// times out.
    func requestVoterChange(_ change: VoterChange, timeoutMillis: Int64, done: @escaping @Sendable (VoterChangeOutcome) -> Void) {
        guard let node = controller, node.role == .leader else { return done(.notController) }
        let configuration = node.configuration
        switch change {
        case .add(let id):
            if configuration.isVoter(id) { return done(.refused(.duplicateVoter, "node \(id) is already a voter of the controller quorum \(configuration)")) }
        case .remove(let id):
            if !configuration.isVoter(id) { return done(.refused(.voterNotFound, "node \(id) is not a voter of the controller quorum \(configuration)")) }
            if configuration.voters == [id] { return done(.refused(.invalidRequest, "node \(id) is the quorum's only voter; add another voter first")) }
        }
        let now = monotonicNanos()
        let deadline = now + UInt64(max(0, timeoutMillis)) * 1_000_000
        voterChanges.append(PendingVoterChange(change: change, acceptedNanos: now, deadlineNanos: deadline, done: done))
        driveVoterChanges()
    }

    /// Each tick (and at once when one arrives): proposes each waiting voter change that can go,
    /// ends the ones past their deadline or left without leadership.
    func driveVoterChanges() {
        guard !voterChanges.isEmpty else { return }
        let now = monotonicNanos()
        voterChanges = voterChanges.filter { pending in
            let settled = nanosElapsed(since: pending.acceptedNanos, now: now) >= max(Self.livenessSettleNanos, electionWindowNanos)
            switch attempt(pending.change, expired: now >= pending.deadlineNanos, settled: settled, done: pending.done) {
            case .waiting: return true
            case .proposed: return false
            case .ended(let outcome):
                pending.done(outcome)
                return false
            }
        }
    }

    /// Stopping: waiting voter changes end here; the forwarder tries the next leader.
    func abandonVoterChanges() {
        let waiting = voterChanges
        voterChanges = []
        for pending in waiting { pending.done(.notController) }
    }

    /// Where one try at a voter change left it.
    private enum VoterChangeStep {
        /// Not proposable yet; try again next tick.
        case waiting
        /// Proposed: the controller waiter calls `done` when the entry commits or is lost.
        case proposed
        case ended(VoterChangeOutcome)
    }

    /// One try at `change`.
    /// `settled`: the change has waited long enough here that a peer not heard from is down.
    private func attempt(_ change: VoterChange, expired: Bool, settled: Bool, done: @escaping @Sendable (VoterChangeOutcome) -> Void) -> VoterChangeStep {
        guard let node = controller, node.role == .leader else { return .ended(.notController) }
        let proposal: ConfigChange
        switch change {
        case .add(let id):
            if node.configuration.isVoter(id) { return .ended(.done) }
            if let blocker = additionBlocker(id, node) {
                return expired ? .ended(.refused(.requestTimedOut, blocker)) : .waiting
            }
            proposal = .promoteLearner(id)
        case .remove(let id):
            guard node.configuration.isVoter(id) else { return .ended(.done) }
            if let refusal = removalRefusal(id, node) { return settled ? .ended(.refused(.invalidRequest, refusal)) : .waiting }
            if id == nodeID { return handOverLeadership(node) }
            proposal = .remove(id)
        }
        do {
            guard let index = try controller?.proposeConfigChange(proposal) else { return .ended(.notController) }
            Diagnostics.info("controller quorum: proposed \(change) at index \(index)")
            controllerWaiters[index] = (node.term, { committed in
                done(committed ? .done : .refused(.requestTimedOut, "controller leadership moved before \(change) committed; `sluice quorum describe` shows whether it did"))
            })
            return .proposed
        } catch .notLeader {
            return .ended(.notController)
        } catch {
            // Another membership change is not committed yet, or the leader's own entry is not.
            return expired ? .ended(.refused(.requestTimedOut, "timed out waiting for the quorum's previous change to commit (\(error))")) : .waiting
        }
    }

    /// Why `id` cannot be promoted yet, or nil: it must follow the log as a learner, hold all of
    /// it that is committed, have been heard from lately, and the new voters' majority be up
    /// (else the quorum stops the moment it counts a voter that is not there).
    private func additionBlocker(_ id: NodeID, _ node: RaftNode<ControllerLogStore>) -> String? {
        let configuration = node.configuration
        guard configuration.learners.contains(id) else {
            return "node \(id) does not follow the controller log: start it with this cluster's cluster.id and controller.quorum.voters, and wait until it is registered"
        }
        let match = node.matchIndex(of: id) ?? .origin
        guard match >= node.commitIndex else { return "node \(id) holds the controller log up to \(match) of \(node.commitIndex) and has not caught up" }
        guard isLive(id, now: monotonicNanos()) else { return "node \(id) has not been heard from within an election timeout" }
        return livenessProblem(of: configuration.voters + [id])
    }

    /// Why voting out `id` must be refused, or nil: the voters left must have a majority up.
    private func removalRefusal(_ id: NodeID, _ node: RaftNode<ControllerLogStore>) -> String? {
        livenessProblem(of: node.configuration.voters.filter { $0 != id }).map { "removing node \(id): \($0)" }
    }

    /// A leader does not vote itself out: it hands leadership to the live voter most caught up,
    /// and the forwarder brings the request to that one. A hand-over already under way is waited
    /// for; one started lately that left this node leading (in this term or, after an election
    /// the successor lost, a later one) failed, and the request is refused rather than started
    /// again: proposals stop while a hand-over runs.
    private func handOverLeadership(_ node: RaftNode<ControllerLogStore>) -> VoterChangeStep {
        if node.transferTarget != nil { return .ended(.notController) }
        let now = monotonicNanos()
        if let last = voterHandOver, nanosElapsed(since: last.startedNanos, now: now) < 3 * electionWindowNanos {
            voterHandOver = nil
            return .ended(.refused(.requestTimedOut, "node \(last.target) did not take over the quorum's leadership; retry once the voters reach each other"))
        }
        let candidates = node.configuration.voters.filter { $0 != nodeID && isLive($0, now: now) }
        guard let successor = candidates.max(by: { (node.matchIndex(of: $0) ?? .origin) < (node.matchIndex(of: $1) ?? .origin) }) else {
            return .ended(.refused(.invalidRequest, "no other voter has been heard from within an election timeout to take over the quorum's leadership"))
        }
        do {
            try controller?.transferLeadership(to: successor)
        } catch {
            return .ended(.refused(.requestTimedOut, "could not hand the quorum's leadership to node \(successor): \(error)"))
        }
        voterHandOver = (successor, now)
        return .ended(.notController)
    }

    /// nil when a majority of `voters` is up (this node, and every peer heard from within an
    /// election timeout), else what is missing.
    private func livenessProblem(of voters: [NodeID]) -> String? {
        let now = monotonicNanos()
        let live = voters.filter { isLive($0, now: now) }
        let needed = Configuration(voters: voters).quorum
        guard live.count < needed else { return nil }
        return "only \(live.count) of the voters \(voters.map(\.description).joined(separator: ",")) are up and \(needed) are needed; bring them up first"
    }

    /// How long a voter change waits for peers to be heard from before refusing for want of a
    /// live majority: several times the peers' reconnect backoff (at most 1 s), so a node that
    /// just restarted counts as up once it is.
    static let livenessSettleNanos: UInt64 = 5_000_000_000

    /// Raft thread: the quorum as this node sees it; the match indexes only on the leader.
    func describeQuorum() -> QuorumDescription? {
        guard let node = controller else { return nil }
        let now = monotonicNanos()
        let wallNow = currentTimeMillis()
        let configuration = node.configuration
        func member(_ id: NodeID) -> QuorumDescription.Member {
            let match = node.matchIndex(of: id)
            let heard: Int64 = id == nodeID ? wallNow
                : lastHeardNanos[id].map { wallNow - Int64(nanosElapsed(since: $0, now: now) / 1_000_000) } ?? -1
            let caughtUp = match.map { $0 >= node.commitIndex } == true ? heard : -1
            return .init(id: id.rawValue, logEnd: match.map { Int64($0.rawValue) } ?? -1, lastHeardMillis: heard, caughtUpMillis: caughtUp)
        }
        return QuorumDescription(leader: node.leader?.rawValue ?? -1, term: Int64(node.term.rawValue), committed: Int64(node.commitIndex.rawValue),
                                 voters: configuration.voters.map(member), learners: configuration.learners.map(member))
    }
}
