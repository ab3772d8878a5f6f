import SluiceCore

/// One member of a Raft group: a pure, tick-driven state machine (modelled on etcd-io/raft).
///
/// Inputs are ``tick()``, ``step(_:)``, ``propose(_:indexCount:)``, ``proposeConfigChange(_:)``,
/// ``transferLeadership(to:)``, ``readIndex(context:)`` and ``campaign()``. Output is a ``Ready``
/// describing what to persist, send and apply; the caller does it and calls ``advance(_:)``. The
/// core performs no I/O, reads no clock, starts no threads: time is a tick count and randomness
/// comes from the injected generator, so equal state and equal inputs give equal outputs.
///
/// Roles (thesis §3.4, §9.6; etcd raft.go):
///
/// | From          | Event                                              | To            |
/// |---------------|----------------------------------------------------|---------------|
/// | follower      | election timeout, voter, PreVote on                | pre-candidate |
/// | follower      | election timeout, voter, PreVote off; TimeoutNow   | candidate     |
/// | pre-candidate | pre-votes from a majority                          | candidate     |
/// | pre-candidate | majority refuse; append/heartbeat of its term      | follower      |
/// | candidate     | votes from a majority                              | leader        |
/// | candidate     | majority refuse; append/heartbeat of its term      | follower      |
/// | candidate     | election timeout                                   | pre-candidate / candidate (retry) |
/// | leader        | no quorum heard within an election timeout (CheckQuorum) | follower |
/// | leader        | its own removal committed                          | follower      |
/// | any           | message with a higher term (except pre-votes)      | follower      |
///
/// The generic parameter is the log storage (STYLE habit 2): the same core runs on
/// ``MemoryStorage`` in tests and the simulator and on the disk log in production.
///
/// Calls between ``ready()`` and ``advance(_:)`` other than reads trap: the Ready describes a
/// snapshot of the core's state that must be persisted as a whole.
public struct RaftNode<Storage: RaftStorage> {
    /// This node.
    public let id: NodeID
    /// Timeouts, switches and flow-control bounds.
    public let options: RaftOptions
    /// Draws randomized election timeouts; injected so runs replay from a seed.
    private var random: SeededRandom
    var log: RaftLog<Storage>

    /// The latest term seen. Never decreases.
    public private(set) var term: Term
    /// The vote cast in `term`; at most one per term, persisted before the vote is sent.
    public private(set) var vote: NodeID?
    /// This node's role.
    public private(set) var role: Role = .follower
    /// The leader of `term`, if known.
    public private(set) var leader: NodeID?

    /// Configurations in the log, oldest first; the first is at or below the commit index, later
    /// ones are uncommitted. The last is in force: a membership change takes effect as soon as it
    /// is appended (thesis §4.1), and is undone if a conflicting leader truncates it.
    private var configs: [(index: LogIndex, configuration: Configuration)]

    /// Leader only: replication state of every other member.
    private var progress: [NodeID: Progress] = [:]
    /// Candidate only: answers received in this election (true = granted).
    private var votes: [NodeID: Bool] = [:]

    /// Ticks since the last heartbeat from a leader (followers) or the last CheckQuorum round (leaders).
    private var electionElapsedTicks = 0
    private var heartbeatElapsedTicks = 0
    /// In [electionTimeoutTicks, 2 × electionTimeoutTicks); redrawn at each term change.
    private var randomizedElectionTimeoutTicks = 0

    /// Leader only: the voter leadership is being handed to.
    public private(set) var transferTarget: NodeID?

    /// Leader only: read requests waiting for the first commit in this term.
    /// Set when this node became leader with every entry known committed (it appended no no-op).
    private var startedFullyCommitted = false
    private var pendingReads: [(context: UInt64, from: NodeID)] = []
    /// Leader only: read requests waiting for a quorum of heartbeat acknowledgements, in order.
    private var readQueue: [ReadRequest] = []

    private var readStates: [ReadState] = []
    private var messages: [Message] = []
    /// What the application last persisted, to tell when the hard state must be written again.
    private var persistedHardState: HardState
    private var reportedSoftState: SoftState
    /// Set between ready() and advance().
    private var readyOutstanding = false
    /// Messages dropped as invalid, by reason; see ``InvalidMessage``.
    public private(set) var droppedMessages: [InvalidMessage: Int] = [:]

    private struct ReadRequest {
        var context: UInt64
        var from: NodeID
        var index: LogIndex
        var acks: Set<NodeID>
    }

    private enum CampaignKind { case preElection, election, transfer }

    /// Builds the node from what `storage` holds (a fresh group, or a restart after a crash).
    /// - Parameters:
    ///   - applied: the index the application's state machine already reflects (defaults to the
    ///     snapshot index: the state machine was rebuilt from the snapshot).
    ///   - random: the generator for election timeouts; seed it per node for determinism.
    public init(id: NodeID, storage: Storage, options: RaftOptions = RaftOptions(), random: SeededRandom, applied: LogIndex? = nil) {
        precondition(options.heartbeatIntervalTicks >= 1 && options.heartbeatIntervalTicks < options.electionTimeoutTicks,
                     "heartbeat interval must be below the election timeout")
        self.id = id
        self.options = options
        self.random = random
        log = RaftLog(storage: storage, applied: applied)
        let hs = storage.hardState
        term = hs.term
        vote = hs.vote
        persistedHardState = hs
        let meta = storage.snapshot.metadata
        configs = [(meta.index, meta.configuration)]
        for c in storage.configurations(after: meta.index) {
            precondition(c.index > meta.index && c.index <= storage.lastIndex && c.index > configs[configs.count - 1].index,
                         "configuration at \(c.index) outside (\(meta.index), \(storage.lastIndex)] or out of order")
            configs.append(c)
        }
        reportedSoftState = SoftState(role: .follower, leader: nil)
        becomeFollower(term, leader: nil)
        pruneConfigs()
    }

    // MARK: Observation

    /// The membership in force (the latest in the log, committed or not).
    public var configuration: Configuration { configs[configs.count - 1].configuration }
    /// The highest index known committed.
    public var commitIndex: LogIndex { log.committed }
    /// The highest index handed to the application to apply.
    public var appliedIndex: LogIndex { log.applied }
    /// The last index in the log (persisted or not).
    public var lastIndex: LogIndex { log.lastIndex }
    /// The compaction point.
    public var snapshotIndex: LogIndex { log.baseIndex }
    /// The term of the entry ending at `index`, if the log holds one.
    public func term(at index: LogIndex) -> Term? { log.term(at: index) }
    /// Role and leader.
    public var softState: SoftState { SoftState(role: role, leader: leader) }
    /// Term, vote, commit.
    public var hardState: HardState { HardState(term: term, vote: vote, commit: log.committed) }
    /// Whether this node may campaign: it votes in its configuration, has no snapshot pending and
    /// is not rebuilding a damaged or discarded log.
    public var isPromotable: Bool { configuration.isVoter(id) && log.unstableSnapshot == nil && !isWithholdingVotes && !isRebuildingDiscardedLog }

    /// Set while a node rebuilds a log it gave up whole (its host found its state unusable and
    /// starts it over as a new replica): the last entry it held. Until its log reaches that index
    /// again it votes as if it still held that entry (and a leader's commit within it does not
    /// make it withhold its votes, see `handleHeartbeat`), so it never helps elect a leader
    /// missing what it may have acknowledged, yet never blocks an election its old log would
    /// have allowed; and it does not campaign.
    public private(set) var discardedLogEnd: (index: LogIndex, term: Term)?

    /// See ``discardedLogEnd``. A later or equal end replaces an earlier one, never the reverse.
    public mutating func rememberDiscardedLog(lastIndex: LogIndex, lastTerm: Term) {
        if let kept = discardedLogEnd, kept.term > lastTerm || (kept.term == lastTerm && kept.index >= lastIndex) { return }
        discardedLogEnd = (lastIndex, lastTerm)
    }

    private var isRebuildingDiscardedLog: Bool {
        guard let end = discardedLogEnd else { return false }
        return log.lastIndex < end.index
    }

    /// Whether a candidate's last entry is at least as up to date as this log, and as the end of
    /// a discarded log still being rebuilt.
    private func isUpToDate(candidateIndex: LogIndex, candidateTerm: Term) -> Bool {
        guard log.isUpToDate(lastIndex: candidateIndex, term: candidateTerm) else { return false }
        guard isRebuildingDiscardedLog, let end = discardedLogEnd else { return true }
        return candidateTerm > end.term || (candidateTerm == end.term && candidateIndex >= end.index)
    }

    /// Set while a node rebuilds entries it once held committed (its disk lost them): until its log
    /// reaches this index again it neither votes nor campaigns, or it could help elect a leader
    /// missing an entry it had counted toward a commit.
    public private(set) var votesWithheldUntil: LogIndex?

    /// See ``votesWithheldUntil``.
    public mutating func withholdVotes(until index: LogIndex) {
        votesWithheldUntil = index
    }

    private var isWithholdingVotes: Bool {
        guard let until = votesWithheldUntil else { return false }
        return log.lastIndex < until
    }
    /// Leader only: the highest index known to match on `member`.
    public func matchIndex(of member: NodeID) -> LogIndex? {
        member == id ? (role == .leader ? log.lastIndex : nil) : progress[member]?.match
    }

    // MARK: Inputs

    /// Advances logical time by one tick.
    public mutating func tick() {
        precondition(!readyOutstanding, "tick() between ready() and advance()")
        if role == .leader { tickLeader() } else { tickElection() }
    }

    /// Starts an election now (as if the election timeout had elapsed).
    public mutating func campaign() {
        precondition(!readyOutstanding, "campaign() between ready() and advance()")
        guard role != .leader else { return }
        campaign(options.preVote ? .preElection : .election)
    }

    /// Proposes client data covering `indexCount` positions (a batch of that many records).
    /// - Returns: the position and term the entry got; it is acknowledged once an entry with that
    ///   last index *and* term is applied (a different term there means it was lost).
    public mutating func propose(_ data: [UInt8], indexCount: Int64 = 1) throws(RaftError) -> (index: LogIndex, term: Term) {
        precondition(!readyOutstanding, "propose() between ready() and advance()")
        try checkLeaderAcceptsProposals()
        let e = Entry(term: term, lastIndex: log.lastIndex + indexCount, indexCount: indexCount, kind: .normal, data: data)
        appendAsLeader([e])
        return (e.lastIndex, e.term)
    }

    /// Proposes a single-server membership change. Refused while another change is uncommitted, and
    /// before the leader has committed an entry of its own term: otherwise a change proposed by a
    /// new leader could be decided against a membership whose change an earlier leader was still
    /// committing, and two disjoint majorities could exist (raft-dev, "bug in single-server changes").
    /// - Returns: the index of the configuration entry.
    @discardableResult
    public mutating func proposeConfigChange(_ change: ConfigChange) throws(RaftError) -> LogIndex {
        precondition(!readyOutstanding, "proposeConfigChange() between ready() and advance()")
        try checkLeaderAcceptsProposals()
        guard log.term(at: log.committed) == term else {
            // A leader elected over a fully committed log skipped its no-op; it needs one now.
            if log.lastTerm < term { appendNoop() }
            throw .leaderNotReady
        }
        guard configs[configs.count - 1].index <= log.committed else { throw .configChangePending }
        let next = try configuration.applying(change)
        let e = Entry(term: term, lastIndex: log.lastIndex + 1, kind: .configuration(next))
        appendAsLeader([e])
        return e.lastIndex
    }

    /// Hands leadership to the voter `target`: proposals stop, the target is brought up to date and
    /// told to campaign at once. Abandoned after an election timeout.
    public mutating func transferLeadership(to target: NodeID) throws(RaftError) {
        precondition(!readyOutstanding, "transferLeadership() between ready() and advance()")
        guard role == .leader else { throw .notLeader(leader: leader) }
        guard target != id else { return }
        guard configuration.isVoter(target), progress[target] != nil else {
            throw .invalidConfigChange("\(target) is not a voter")
        }
        if transferTarget == target { return }
        transferTarget = target
        // The transfer gets one election timeout to complete.
        electionElapsedTicks = 0
        if progress[target]!.match == log.lastIndex {
            send(Message(kind: .timeoutNow, from: id, to: target, term: term))
        } else {
            _ = sendAppend(to: target, sendIfEmpty: true)
        }
    }

    /// Requests a linearizable read point. The answer comes back as a ``ReadState`` with the same
    /// `context` (non-zero, unique per request) in a later Ready, possibly never if leadership is lost.
    public mutating func readIndex(context: UInt64) throws(RaftError) {
        precondition(!readyOutstanding, "readIndex() between ready() and advance()")
        precondition(context != 0, "read context 0 is reserved for 'no read'")
        if role == .leader {
            handleReadIndexRequest(from: id, context: context)
        } else if let l = leader {
            send(Message(kind: .readIndex, from: id, to: l, term: term, context: context))
        } else {
            throw .notLeader(leader: nil)
        }
    }

    /// Processes a message from another member. A message that breaks ``RaftBounds`` or the
    /// shape an honest peer sends is dropped and counted in ``droppedMessages``; nothing in it is
    /// adopted, not even its term.
    public mutating func step(_ m: Message) {
        precondition(!readyOutstanding, "step() between ready() and advance()")
        if let invalid = m.boundsViolation { return drop(invalid) }
        if m.exceedsAcceptedTerm(at: term) { return drop(.termOutOfRange) }
        guard m.to == id else { return drop(.wrongRecipient) }
        guard m.from != id else { return }
        if m.term > term {
            if m.kind == .vote || m.kind == .preVote {
                // Leader lease (CheckQuorum): while we hear from a leader, a campaign is most
                // likely from a node that is partitioned or removed, so ignore it — unless the
                // leader itself asked for it by a transfer.
                let inLease = options.checkQuorum && leader != nil && electionElapsedTicks < options.electionTimeoutTicks
                if inLease && !m.leadershipTransfer { return }
            }
            switch m.kind {
            case .preVote:
                break // A pre-vote changes no term: that is its point.
            case .preVoteResponse where !m.reject:
                break // Our term rises only when the real election starts.
            case .append, .heartbeat, .snapshot:
                becomeFollower(m.term, leader: m.from)
            default:
                becomeFollower(m.term, leader: nil)
            }
        } else if m.term < term {
            if (options.checkQuorum || options.preVote) && (m.kind == .append || m.kind == .heartbeat) {
                // A stale leader cut off by PreVote/CheckQuorum may never see our higher term
                // otherwise (etcd #8243): tell it so it steps down.
                send(Message(kind: .appendResponse, from: id, to: m.from, term: term))
            } else if m.kind == .preVote {
                // Refuse explicitly so the pre-candidate learns our term (etcd #8501).
                send(Message(kind: .preVoteResponse, from: id, to: m.from, term: term, reject: true))
            }
            return
        }

        if m.kind == .vote || m.kind == .preVote {
            handleVoteRequest(m)
            return
        }
        switch role {
        case .leader: stepLeader(m)
        case .candidate, .preCandidate: stepCandidate(m)
        case .follower: stepFollower(m)
        }
    }

    // MARK: Ready / advance

    /// Whether there is anything to persist, send, apply or report.
    public var hasReady: Bool {
        softState != reportedSoftState || hardState != persistedHardState || log.unstableSnapshot != nil
            || !log.unstable.isEmpty || !messages.isEmpty || !readStates.isEmpty || log.hasEntriesToApply
    }

    /// Collects what the application must do; call ``advance(_:)`` once done.
    public mutating func ready() -> Ready {
        precondition(!readyOutstanding, "ready() twice without advance()")
        checkInvariants()
        let hs = hardState
        let soft = softState
        let r = Ready(
            softState: soft != reportedSoftState ? soft : nil,
            hardState: hs != persistedHardState ? hs : nil,
            snapshot: log.unstableSnapshot,
            entries: log.unstable,
            committedEntries: log.entriesToApply(bytesMax: options.applyBytesMax),
            readStates: readStates,
            outgoing: messages)
        messages = []
        readStates = []
        reportedSoftState = soft
        readyOutstanding = true
        return r
    }

    /// Acknowledges that `ready` was persisted, sent and applied.
    public mutating func advance(_ ready: Ready) {
        precondition(readyOutstanding, "advance() without ready()")
        ready.assertPersisted(in: log.storage)
        if let h = ready.hardState { persistedHardState = h }
        if let s = ready.snapshot {
            precondition(log.unstableSnapshot == s, "advance() with a foreign Ready")
            log.unstableSnapshot = nil
            log.applied = s.metadata.index
        }
        precondition(log.storage.lastIndex == log.lastIndex, "storage ends at \(log.storage.lastIndex), log at \(log.lastIndex): Ready not persisted")
        log.unstableAfter = log.lastIndex
        log.unstable = []
        if let last = ready.committedEntries.last { log.applied = last.lastIndex }
        readyOutstanding = false
        checkInvariants()
    }

    private func checkInvariants() {
        precondition(log.applied <= log.committed, "applied \(log.applied) > committed \(log.committed)")
        precondition(log.committed <= log.lastIndex, "committed \(log.committed) > last \(log.lastIndex)")
        precondition(persistedHardState.term <= term, "term went back")
        precondition(role != .leader || leader == id)
    }

    // MARK: Roles

    private mutating func reset(_ newTerm: Term) {
        precondition(newTerm >= term, "term going back from \(term) to \(newTerm)")
        if newTerm != term {
            term = newTerm
            vote = nil
        }
        leader = nil
        electionElapsedTicks = 0
        heartbeatElapsedTicks = 0
        let t = options.electionTimeoutTicks
        randomizedElectionTimeoutTicks = t + random.int(in: 0...(t - 1))
        transferTarget = nil
        votes = [:]
        progress = [:]
        pendingReads = []
        readQueue = []
    }

    private mutating func becomeFollower(_ newTerm: Term, leader newLeader: NodeID?) {
        reset(newTerm)
        role = .follower
        leader = newLeader
    }

    private mutating func becomePreCandidate() {
        precondition(role != .leader, "leader cannot pre-campaign")
        // Term and vote stay: a pre-vote must not disturb anything if it fails.
        votes = [:]
        leader = nil
        role = .preCandidate
    }

    private mutating func becomeCandidate() {
        precondition(role != .leader, "leader cannot campaign")
        reset(Term(term.rawValue + 1))
        vote = id
        role = .candidate
    }

    private mutating func becomeLeader() {
        precondition(role == .candidate, "only a candidate becomes leader")
        reset(term)
        role = .leader
        leader = id
        for m in configuration.members where m != id { progress[m] = newProgress() }
        // A leader commits nothing from earlier terms by counting (Figure 8); this no-op of its own
        // term lets it commit them, and readiness for reads starts there. When every entry it
        // holds is known committed (an empty log, a clean restart) there is nothing to commit and,
        // by Leader Completeness, nothing committed beyond its log, so its commit index is already
        // the true one: unless `noopOverCommittedLog` it appends none (a new partition's first
        // record keeps offset 0). Membership changes still wait for an entry of this term
        // (`proposeConfigChange` appends the no-op then).
        startedFullyCommitted = !options.noopOverCommittedLog && log.committed == log.lastIndex
        if !startedFullyCommitted { appendNoop() }
    }

    private mutating func appendNoop() {
        appendAsLeader([Entry(term: term, lastIndex: log.lastIndex + 1, kind: .noop)])
    }

    /// Leader only: its commit index is the true one — it committed an entry of its own term, or
    /// it was elected with every entry of its log known committed.
    public var leaderCommitIsCurrent: Bool {
        role == .leader && (startedFullyCommitted || log.term(at: log.committed) == term)
    }

    private func newProgress() -> Progress {
        Progress(next: log.lastIndex + 1, countMax: options.inflightAppendsMax, bytesMax: options.inflightBytesMax)
    }

    private mutating func campaign(_ kind: CampaignKind) {
        // A group at the last term stays as it is rather than overflow; 2^31 - 1 elections are
        // out of reach, and messages cannot carry a term beyond it (nor, in one step, beyond
        // RaftBounds.termAcceptedMax: campaigns run from there up to termMax).
        guard isPromotable, term < RaftBounds.termMax else { return }
        let voteTerm: Term
        if kind == .preElection {
            becomePreCandidate()
            voteTerm = Term(term.rawValue + 1)
        } else {
            becomeCandidate()
            voteTerm = term
        }
        votes[id] = true
        if tally() == .won {
            if kind == .preElection { campaign(.election) } else { becomeLeader() }
            return
        }
        let kindOut: MessageKind = kind == .preElection ? .preVote : .vote
        for v in configuration.voters where v != id {
            send(Message(kind: kindOut, from: id, to: v, term: voteTerm, logTerm: log.lastTerm, index: log.lastIndex,
                         leadershipTransfer: kind == .transfer))
        }
    }

    private enum Tally { case won, lost, pending }

    private func tally() -> Tally {
        let voters = configuration.voters
        var granted = 0, refused = 0
        for v in voters {
            switch votes[v] {
            case true?: granted += 1
            case false?: refused += 1
            case nil: break
            }
        }
        if granted >= configuration.quorum { return .won }
        if refused > voters.count - configuration.quorum { return .lost }
        return .pending
    }

    // MARK: Ticks

    private mutating func tickElection() {
        electionElapsedTicks += 1
        if isPromotable && electionElapsedTicks >= randomizedElectionTimeoutTicks {
            electionElapsedTicks = 0
            campaign(options.preVote ? .preElection : .election)
        }
    }

    private mutating func tickLeader() {
        heartbeatElapsedTicks += 1
        electionElapsedTicks += 1
        if electionElapsedTicks >= options.electionTimeoutTicks {
            electionElapsedTicks = 0
            if options.checkQuorum {
                if !quorumActive() {
                    becomeFollower(term, leader: nil)
                    return
                }
                for m in configuration.members where m != id { progress[m]?.recentActive = false }
            }
            transferTarget = nil // A transfer that took a whole election timeout has failed.
        }
        for m in configuration.members where m != id {
            guard var pr = progress[m], pr.state == .snapshot else { continue }
            pr.snapshotElapsedTicks += 1
            // The snapshot or its acknowledgement was probably lost: probe again.
            if pr.snapshotElapsedTicks >= options.electionTimeoutTicks { pr.becomeProbe(on: log) }
            progress[m] = pr
        }
        if heartbeatElapsedTicks >= options.heartbeatIntervalTicks {
            heartbeatElapsedTicks = 0
            broadcastHeartbeat(context: readQueue.last?.context ?? 0)
        }
    }

    private func quorumActive() -> Bool {
        var active = 0
        for v in configuration.voters where v == id || progress[v]?.recentActive == true { active += 1 }
        return active >= configuration.quorum
    }

    // MARK: Votes

    private mutating func handleVoteRequest(_ m: Message) {
        let respKind: MessageKind = m.kind == .vote ? .voteResponse : .preVoteResponse
        // One vote per term; a pre-vote for a later term promises nothing, so it may be granted
        // whatever we voted for in ours.
        let canVote = vote == m.from || (vote == nil && leader == nil) || (m.kind == .preVote && m.term > term)
        if canVote && !isWithholdingVotes && isUpToDate(candidateIndex: m.index, candidateTerm: m.logTerm) {
            send(Message(kind: respKind, from: id, to: m.from, term: m.term))
            if m.kind == .vote {
                electionElapsedTicks = 0
                vote = m.from
            }
        } else {
            send(Message(kind: respKind, from: id, to: m.from, term: term, reject: true))
        }
    }

    // MARK: Per-role message handling

    private mutating func stepFollower(_ m: Message) {
        switch m.kind {
        case .append:
            electionElapsedTicks = 0
            leader = m.from
            handleAppend(m)
        case .heartbeat:
            electionElapsedTicks = 0
            leader = m.from
            handleHeartbeat(m)
        case .snapshot:
            electionElapsedTicks = 0
            leader = m.from
            handleSnapshot(m)
        case .timeoutNow:
            // Only this term's leader sends it. After a restart we may not know the leader yet
            // (then it is taken); a sender other than the leader we know is forged.
            guard leader == nil || m.from == leader else { return drop(.timeoutNowFromNonLeader) }
            campaign(.transfer)
        case .readIndexResponse:
            readStates.append(ReadState(index: m.index, context: m.context))
        default:
            break
        }
    }

    private mutating func stepCandidate(_ m: Message) {
        switch m.kind {
        case .append:
            becomeFollower(term, leader: m.from)
            handleAppend(m)
        case .heartbeat:
            becomeFollower(term, leader: m.from)
            handleHeartbeat(m)
        case .snapshot:
            becomeFollower(term, leader: m.from)
            handleSnapshot(m)
        case .preVoteResponse where role == .preCandidate, .voteResponse where role == .candidate:
            // A granted pre-vote names the term we asked for; one from an older round does not count.
            if m.kind == .preVoteResponse && !m.reject && m.term.rawValue != term.rawValue + 1 { return }
            if votes[m.from] == nil { votes[m.from] = !m.reject }
            switch tally() {
            case .won:
                if role == .preCandidate { campaign(.election) } else { becomeLeader() }
            case .lost:
                becomeFollower(term, leader: nil)
            case .pending:
                break
            }
        default:
            break
        }
    }

    private mutating func stepLeader(_ m: Message) {
        switch m.kind {
        case .appendResponse: handleAppendResponse(m)
        case .heartbeatResponse: handleHeartbeatResponse(m)
        case .readIndex:
            guard configuration.isMember(m.from) else { return }
            handleReadIndexRequest(from: m.from, context: m.context)
        default: break
        }
    }

    // MARK: Follower side of replication

    private mutating func drop(_ reason: InvalidMessage) {
        droppedMessages[reason, default: 0] += 1
    }

    private mutating func handleAppend(_ m: Message) {
        if m.index < log.committed {
            // Stale: everything up to our commit already matches the leader.
            send(Message(kind: .appendResponse, from: id, to: m.from, term: term, index: log.committed))
            return
        }
        guard log.matchTerm(m.index, m.logTerm) else {
            // Fast back-off: point the leader at the last place our logs can agree.
            let hintFrom = min(m.index, log.lastIndex)
            let hint = log.findConflictByTerm(hintFrom, m.logTerm) ?? (log.baseIndex, log.snapshotMetadata.term)
            send(Message(kind: .appendResponse, from: id, to: m.from, term: term, logTerm: hint.term,
                         index: m.index, reject: true, rejectHint: hint.index, logLost: isWithholdingVotes))
            return
        }
        // The entries chain from m.index (checked in step), so the last one ends what was verified.
        let lastNew = m.entries.last?.lastIndex ?? m.index
        // Only a real conflict truncates: entries we already hold (same last index and term) are
        // skipped, so a stale or duplicated append never removes anything.
        if let c = log.findConflict(m.entries) {
            let tail = Array(m.entries[c...])
            // Only a broken or forged leader replaces committed entries; refuse it, keep the log.
            guard tail[0].prevIndex >= log.committed else { return drop(.conflictBelowCommit) }
            log.append(tail)
            noteAppended(tail)
        }
        // Commit only what this message verified, never beyond (copycat #265, scylladb #9965),
        // and only up to one of our entry boundaries.
        commit(to: log.boundary(atOrBelow: min(m.commit, lastNew)))
        send(Message(kind: .appendResponse, from: id, to: m.from, term: term, index: lastNew))
    }

    private mutating func handleHeartbeat(_ m: Message) {
        if m.commit > log.lastIndex {
            // The leader caps the commit at what we acknowledged, so we acknowledged entries our
            // log no longer holds: the disk lost them (a torn tail cut at recovery, a damaged
            // segment). Rebuild from the leader, and vote for no one until we hold them again,
            // unless they lie within a log we gave up whole: its remembered end already guards
            // them, and withholding every vote could leave a group with no leader.
            let guarded = discardedLogEnd.map { $0.index >= m.commit } ?? false
            if !guarded, votesWithheldUntil.map({ $0 < m.commit }) ?? true { votesWithheldUntil = m.commit }
            commit(to: log.lastIndex)
            send(Message(kind: .heartbeatResponse, from: id, to: m.from, term: term, index: log.lastIndex, commit: log.committed,
                         context: m.context, logLost: true))
            return
        }
        // The leader caps the commit at our match index, which we hold durably; a commit inside one
        // of our entries commits only the entries before it.
        commit(to: log.boundary(atOrBelow: m.commit))
        // Our commit tells a leader waiting on a snapshot we installed that it may go on (see
        // handleHeartbeatResponse).
        send(Message(kind: .heartbeatResponse, from: id, to: m.from, term: term, commit: log.committed, context: m.context))
    }

    private mutating func handleSnapshot(_ m: Message) {
        guard let s = m.snapshot else { return }
        let meta = s.metadata
        if meta.index <= log.committed {
            send(Message(kind: .appendResponse, from: id, to: m.from, term: term, index: log.committed))
        } else if log.matchTerm(meta.index, meta.term) {
            // We already hold the entries the snapshot covers: just catch up the commit index.
            commit(to: meta.index)
            send(Message(kind: .appendResponse, from: id, to: m.from, term: term, index: log.committed))
        } else {
            log.restore(s)
            configs = [(meta.index, meta.configuration)]
            send(Message(kind: .appendResponse, from: id, to: m.from, term: term, index: log.lastIndex))
        }
    }

    private mutating func commit(to index: LogIndex) {
        guard index > log.committed else { return }
        log.commit(to: index)
        committedAdvanced()
    }

    // MARK: Leader side of replication

    private func checkLeaderAcceptsProposals() throws(RaftError) {
        guard role == .leader else { throw .notLeader(leader: leader) }
        guard transferTarget == nil else { throw .leadershipTransferInProgress }
        // A leader that is committing its own removal stops taking new work.
        guard configuration.isVoter(id) else { throw .notLeader(leader: nil) }
    }

    private mutating func appendAsLeader(_ entries: [Entry]) {
        log.append(entries)
        noteAppended(entries)
        guard role == .leader else { return }
        _ = maybeCommit()
        if role == .leader { broadcastAppend() }
    }

    /// Tracks configuration entries just appended after `entries[0].prevIndex`, dropping any that a
    /// truncation removed.
    private mutating func noteAppended(_ entries: [Entry]) {
        guard let first = entries.first else { return }
        let before = configuration
        while configs.count > 1 && configs[configs.count - 1].index > first.prevIndex { configs.removeLast() }
        for e in entries {
            if case .configuration(let c) = e.kind { configs.append((e.lastIndex, c)) }
        }
        if configuration != before { configurationChanged() }
    }

    private mutating func configurationChanged() {
        guard role == .leader else { return }
        let conf = configuration
        for m in conf.members where m != id && progress[m] == nil { progress[m] = newProgress() }
        for m in progress.keys.sorted() where !conf.isMember(m) { progress[m] = nil }
        if let t = transferTarget, !conf.isVoter(t) { transferTarget = nil }
    }

    /// Commits the highest index a quorum of voters holds, if it is of the current term (Figure 8:
    /// counting replicas never commits an earlier term's entry directly).
    private mutating func maybeCommit() -> Bool {
        let conf = configuration
        guard !conf.voters.isEmpty else { return false }
        var matches: [LogIndex] = conf.voters.map { v in v == id ? log.lastIndex : (progress[v]?.match ?? .origin) }
        matches.sort(by: >)
        let candidate = matches[conf.quorum - 1]
        guard candidate > log.committed, log.term(at: candidate) == term else { return false }
        commit(to: candidate)
        return true
    }

    private mutating func committedAdvanced() {
        pruneConfigs()
        guard role == .leader else { return }
        if !pendingReads.isEmpty && leaderCommitIsCurrent {
            let waiting = pendingReads
            pendingReads = []
            for r in waiting { handleReadIndexRequest(from: r.from, context: r.context) }
        }
        if !configuration.isVoter(id) && log.committed >= configs[configs.count - 1].index {
            // Our removal is committed: the new configuration elects its own leader. Tell the
            // others the commit first so the removal is known to them.
            broadcastAppend()
            becomeFollower(term, leader: nil)
        }
    }

    /// Keeps only the newest configuration at or below the commit index, plus uncommitted ones.
    private mutating func pruneConfigs() {
        while configs.count > 1 && configs[1].index <= log.committed { configs.removeFirst() }
    }

    private mutating func broadcastAppend() {
        for m in configuration.members where m != id { _ = sendAppend(to: m, sendIfEmpty: true) }
    }

    private mutating func broadcastHeartbeat(context: UInt64) {
        for m in configuration.members where m != id {
            guard let pr = progress[m] else { continue }
            // Never tell a follower to commit beyond what it is known to hold.
            let commit = min(pr.match, log.committed)
            progress[m]!.sentCommit = max(pr.sentCommit, commit)
            send(Message(kind: .heartbeat, from: id, to: m, term: term, commit: commit, context: context))
        }
    }

    /// Sends the next append (or a snapshot) to `to` if flow control allows; true if something went.
    private mutating func sendAppend(to: NodeID, sendIfEmpty: Bool) -> Bool {
        guard var pr = progress[to], !pr.isPaused else { return false }
        let prev = pr.next - 1
        guard let prevTerm = log.term(at: prev) else {
            // Local invariant, not a message's doing: Progress.settle puts `next - 1` on a boundary
            // of this log or below its compaction point, and a leader never truncates its own log.
            precondition(prev < log.baseIndex, "next \(pr.next) for \(to) does not follow an entry boundary")
            return sendSnapshot(to: to)
        }
        let entries = pr.next <= log.lastIndex ? log.entries(after: prev, bytesMax: options.appendBytesMax) : []
        if entries.isEmpty && !sendIfEmpty { return false }
        let m = Message(kind: .append, from: id, to: to, term: term, logTerm: prevTerm, index: prev, entries: entries, commit: log.committed)
        switch pr.state {
        case .replicate:
            if let last = entries.last {
                // Pipelining: assume success and move on; a rejection brings us back to probing.
                pr.optimisticallySent(through: last.lastIndex, on: log)
                pr.inflights.add(last.lastIndex, bytes: m.byteCount)
            }
        case .probe:
            pr.probeSent = true
        case .snapshot:
            preconditionFailure("append while a snapshot is pending")
        }
        pr.sentCommit = max(pr.sentCommit, m.commit)
        progress[to] = pr
        send(m)
        return true
    }

    private mutating func sendSnapshot(to: NodeID) -> Bool {
        precondition(log.unstableSnapshot == nil, "a leader has no pending snapshot")
        let snap = log.storage.snapshot
        progress[to]!.becomeSnapshot(snap.metadata.index)
        send(Message(kind: .snapshot, from: id, to: to, term: term, snapshot: snap))
        return true
    }

    private mutating func handleAppendResponse(_ m: Message) {
        guard var pr = progress[m.from] else { return }
        // In one term a leader's log only grows: no honest follower acknowledges past its end.
        if !m.reject && m.index > log.lastIndex { return drop(.acknowledgementBeyondLog) }
        pr.recentActive = true
        // A rejection of exactly what we recorded as matched, with a hint below it, means the
        // follower lost entries it acknowledged (or is a stale echo of an earlier probe). Forgetting
        // the match is safe either way: it only makes this leader count the follower later.
        let lostAcknowledged = m.reject && pr.state == .replicate && m.index == pr.match && m.rejectHint < pr.match
        if m.reject && (m.logLost || lostAcknowledged) {
            pr.forgetMatch(above: min(m.rejectHint, m.index), on: log)
            progress[m.from] = pr
            _ = sendAppend(to: m.from, sendIfEmpty: true)
            return
        }
        if m.reject {
            // Jump back by the follower's hint: past every entry of a term it cannot hold.
            let probeNext: LogIndex
            if let b = log.findConflictByTerm(min(m.rejectHint, m.index), m.logTerm) {
                probeNext = b.index + 1
            } else {
                probeNext = min(log.baseIndex, m.index) // Below our snapshot: it will need the snapshot.
            }
            if pr.maybeDecrease(rejected: m.index, probeNext: probeNext, on: log) {
                if pr.state == .replicate { pr.becomeProbe(on: log) }
                progress[m.from] = pr
                _ = sendAppend(to: m.from, sendIfEmpty: true)
            } else {
                progress[m.from] = pr
            }
            return
        }
        let updated = pr.maybeUpdate(m.index, on: log)
        if updated {
            switch pr.state {
            case .probe:
                pr.becomeReplicate(on: log)
            case .snapshot:
                if pr.match + 1 >= log.firstIndex {
                    pr.becomeProbe(on: log)
                    pr.becomeReplicate(on: log)
                }
            case .replicate:
                pr.inflights.free(through: m.index)
            }
        }
        progress[m.from] = pr
        guard updated else { return }
        if maybeCommit() {
            if role == .leader { broadcastAppend() }
        } else {
            // Fill the pipeline; bounded by the in-flight window. If there is nothing to send but
            // the follower has not heard of the commit index, tell it now rather than at the next
            // heartbeat.
            var sent = false
            while sendAppend(to: m.from, sendIfEmpty: false) { sent = true }
            if !sent, let p = progress[m.from], p.sentCommit < log.committed { _ = sendAppend(to: m.from, sendIfEmpty: true) }
        }
        if role == .leader, transferTarget == m.from, progress[m.from]?.match == log.lastIndex {
            send(Message(kind: .timeoutNow, from: id, to: m.from, term: term))
        }
    }

    private mutating func handleHeartbeatResponse(_ m: Message) {
        guard var pr = progress[m.from] else { return }
        pr.recentActive = true
        pr.probeSent = false
        if m.logLost {
            pr.forgetMatch(above: m.index, on: log)
        } else if pr.state == .snapshot && m.commit >= pr.pendingSnapshot {
            // The follower installed the snapshot: what it knows committed is in this leader's log
            // up to there. Its answer to the snapshot may be lost (a host drops it with the Ready
            // while the snapshot's state is restored): probe now, not an election timeout later.
            pr.becomeProbe(on: log)
        }
        // The follower is alive; if appends were lost, free one slot so we can make progress.
        if pr.state == .replicate && pr.inflights.isFull { pr.inflights.freeFirst() }
        progress[m.from] = pr
        if pr.match < log.lastIndex { _ = sendAppend(to: m.from, sendIfEmpty: true) }
        if m.context != 0 { acknowledgeRead(from: m.from, context: m.context) }
    }

    // MARK: Read index (thesis §6.4)

    private mutating func handleReadIndexRequest(from: NodeID, context: UInt64) {
        if configuration.voters == [id] {
            answerRead(to: from, index: log.committed, context: context)
            return
        }
        // Until the no-op of this term commits, our commit index may lag the true one.
        guard leaderCommitIsCurrent else {
            pendingReads.append((context, from))
            return
        }
        var acks: Set<NodeID> = []
        if configuration.isVoter(id) { acks.insert(id) }
        readQueue.append(ReadRequest(context: context, from: from, index: log.committed, acks: acks))
        broadcastHeartbeat(context: context)
    }

    private mutating func acknowledgeRead(from: NodeID, context: UInt64) {
        guard let k = readQueue.firstIndex(where: { $0.context == context }) else { return }
        readQueue[k].acks.insert(from)
        let conf = configuration
        guard conf.voters.filter({ readQueue[k].acks.contains($0) }).count >= conf.quorum else { return }
        // A quorum acknowledged a heartbeat sent after every earlier request too.
        let done = readQueue[...k]
        readQueue.removeFirst(k + 1)
        for r in done { answerRead(to: r.from, index: r.index, context: r.context) }
    }

    private mutating func answerRead(to: NodeID, index: LogIndex, context: UInt64) {
        if to == id {
            readStates.append(ReadState(index: index, context: context))
        } else {
            send(Message(kind: .readIndexResponse, from: id, to: to, term: term, index: index, context: context))
        }
    }

    private mutating func send(_ m: Message) {
        precondition(m.from == id && m.to != id)
        messages.append(m)
    }
}
