import SluiceCore
import SluiceRaft
import SluiceTesting
import XCTest

// One test per rule of the Raft paper (https://raft.github.io/raft.pdf) or thesis, named after it
// and quoting the sentence it checks, like etcd's raft_paper_test.go.

private let n1 = NodeID(1), n2 = NodeID(2), n3 = NodeID(3), n4 = NodeID(4), n5 = NodeID(5)

private func single(_ id: NodeID = n1, voters: [NodeID] = [n1, n2, n3], preVote: Bool = false, entries: [Entry] = [],
                    hardState: HardState = HardState()) -> (RaftNode<MemoryStorage>, MemoryStorage) {
    let s = MemoryStorage(snapshot: .bootstrap(Configuration(voters: voters)))
    s.append(entries)
    s.setHardState(hardState)
    var o = RaftOptions()
    o.preVote = preVote
    return (RaftNode(id: id, storage: s, options: o, random: SeededRandom(seed: 7)), s)
}

/// Persists a Ready and returns its messages.
private func drain(_ n: inout RaftNode<MemoryStorage>, _ s: MemoryStorage) -> [Message] {
    var out: [Message] = []
    while n.hasReady {
        let r = n.ready()
        s.persist(r)
        out += r.messages(afterPersistingTo: s)
        n.advance(r)
    }
    return out
}

private func e(_ last: Int64, _ term: UInt64, count: Int64 = 1) -> Entry {
    Entry(term: Term(term), lastIndex: LogIndex(last), indexCount: count, kind: .normal, data: [UInt8(truncatingIfNeeded: last)])
}

final class RaftPaperTests: XCTestCase {

    // §5.2 "If a follower receives no communication over a period of time called the election
    // timeout, then it assumes there is no viable leader and begins an election to choose a new
    // leader. To begin an election, a follower increments its current term and transitions to
    // candidate state. It then votes for itself and issues RequestVote RPCs in parallel."
    func testFollowerStartsElectionAfterElectionTimeout() {
        var (n, s) = single()
        for _ in 0..<(2 * n.options.electionTimeoutTicks) { n.tick() }
        XCTAssertEqual(n.role, .candidate)
        XCTAssertEqual(n.term, Term(1))
        XCTAssertEqual(n.vote, n1)
        let msgs = drain(&n, s)
        XCTAssertEqual(msgs.filter { $0.kind == .vote }.map(\.to), [n2, n3])
        // Persist before send: the vote for itself is durable once the messages are released.
        XCTAssertEqual(s.hardState.vote, n1)
        XCTAssertEqual(s.hardState.term, Term(1))
    }

    // §5.2 "Each server will vote for at most one candidate in a given term, on a
    // first-come-first-served basis."
    func testVoterGrantsAtMostOneVotePerTerm() {
        var (n, s) = single(n3)
        n.step(Message(kind: .vote, from: n1, to: n3, term: Term(1)))
        n.step(Message(kind: .vote, from: n2, to: n3, term: Term(1)))
        let msgs = drain(&n, s)
        XCTAssertEqual(msgs.map(\.reject), [false, true])
        XCTAssertEqual(s.hardState.vote, n1, "the vote is persisted before the grant is sent")
    }

    // §5.4.1 "the voter denies its vote if its own log is more up-to-date than that of the candidate."
    func testVoterDeniesCandidateWithOlderLog() {
        var (n, s) = single(n3, entries: [e(0, 1), e(1, 2)], hardState: HardState(term: Term(2)))
        n.step(Message(kind: .vote, from: n1, to: n3, term: Term(3), logTerm: Term(1), index: LogIndex(5)))
        n.step(Message(kind: .vote, from: n2, to: n3, term: Term(3), logTerm: Term(2), index: LogIndex(1)))
        XCTAssertEqual(drain(&n, s).map(\.reject), [true, false])
    }

    // §5.2 "A candidate wins an election if it receives votes from a majority of the servers in
    // the full cluster for the same term." Figure 2: a new leader's first act is its no-op.
    func testCandidateWithMajorityBecomesLeaderAndAppendsNoop() {
        var c = LocalCluster(count: 3, preVote: false)
        c.elect(n1)
        XCTAssertEqual(c.leader, n1)
        XCTAssertEqual(c.nodes[n1]!.term, Term(1))
        // The no-op commits and is applied everywhere.
        for id in c.ids { XCTAssertEqual(c.applied[id]!.map(\.kind), [.noop]) }
    }

    // The no-op lets a leader commit entries of earlier terms; when every entry it holds is known
    // committed there are none. With `noopOverCommittedLog` off, the first proposal is the first
    // entry (a fresh partition's first record keeps offset 0), reads are served at once, and a
    // membership change first gets the no-op it needs (the single-server change rule holds).
    func testLeaderOverCommittedLogSkipsNoopUntilAMembershipChange() throws {
        var c = LocalCluster(count: 3, noopOverCommittedLog: false)
        c.elect(n1)
        XCTAssertEqual(c.leader, n1)
        XCTAssertTrue(c.nodes[n1]!.leaderCommitIsCurrent)
        for id in c.ids { XCTAssertEqual(c.applied[id]!.count, 0) }
        var d = c
        let (index, _) = try c.nodes[n1]!.propose([42])
        XCTAssertEqual(index, LogIndex(0), "the first entry sits at the first position")
        c.stabilize()
        for id in c.ids { XCTAssertEqual(c.applied[id]!.map(\.kind), [.normal]) }
        // The same leader, asked for a membership change first: the no-op comes, then the change.
        XCTAssertThrowsError(try d.nodes[n1]!.proposeConfigChange(.addLearner(n4))) {
            XCTAssertEqual($0 as? RaftError, .leaderNotReady)
        }
        d.stabilize()
        for id in d.ids { XCTAssertEqual(d.applied[id]!.map(\.kind), [.noop]) }
        XCTAssertNoThrow(try d.nodes[n1]!.proposeConfigChange(.addLearner(n4)))
    }

    // ...but a leader holding entries not known committed appends its no-op, as always.
    func testLeaderOverUncommittedEntriesStillAppendsNoop() {
        let s = MemoryStorage(snapshot: .bootstrap(Configuration(voters: [n1])))
        s.append([e(0, 1), e(1, 1)])
        s.setHardState(HardState(term: Term(1), vote: n1, commit: LogIndex(0)))
        var o = RaftOptions()
        o.noopOverCommittedLog = false
        var n = RaftNode(id: n1, storage: s, options: o, random: SeededRandom(seed: 7))
        n.campaign()
        XCTAssertEqual(n.role, .leader)
        _ = drain(&n, s)
        XCTAssertEqual(s.lastIndex, LogIndex(2), "the no-op follows the entry of unknown status")
        XCTAssertEqual(s.entries(after: LogIndex(1), through: LogIndex(2), bytesMax: 1 << 20).map(\.kind), [.noop])
        XCTAssertEqual(n.commitIndex, LogIndex(2))
        XCTAssertTrue(n.leaderCommitIsCurrent)
    }

    // Thesis §9.6 "the Pre-Vote algorithm ... a candidate first asks other servers whether its log
    // is up-to-date enough to get their vote. Only if the candidate believes it can get votes from
    // a majority of the cluster does it increment its term and start a normal election."
    func testPreVoteKeepsPartitionedNodeFromDisruptingLeader() {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        let term = c.nodes[n1]!.term
        c.isolate(n3)
        c.tick(n3, 100)
        c.stabilize()
        XCTAssertEqual(c.nodes[n3]!.term, term, "pre-votes never raise the term")
        c.heal()
        c.tick(n1, 2) // Heartbeats reach n3 again.
        c.stabilize()
        XCTAssertEqual(c.leader, n1)
        XCTAssertEqual(c.nodes[n1]!.term, term)
        XCTAssertEqual(c.nodes[n3]!.leader, n1)
    }

    // Thesis §6.2 "if a leader is unable to communicate with a majority of the cluster for a whole
    // election timeout, it steps down" (CheckQuorum).
    func testCheckQuorumLeaderStepsDownWithoutMajority() {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        c.isolate(n1)
        c.tick(n1, 2 * c.options.electionTimeoutTicks + 1)
        XCTAssertEqual(c.nodes[n1]!.role, .follower)
    }

    // Thesis §4.2.3 "if a server receives a RequestVote request within the minimum election timeout
    // of hearing from a current leader, it does not update its term or grant its vote."
    func testCheckQuorumVotersIgnoreCampaignsWhileLeaderIsAlive() {
        var c = LocalCluster(count: 3, preVote: false)
        c.elect(n1)
        let term = c.nodes[n1]!.term
        c.nodes[n3]!.campaign()   // Without PreVote n3 raises its term...
        c.stabilize()
        XCTAssertEqual(c.nodes[n2]!.term, term, "...but n2 ignores it inside the lease")
        XCTAssertEqual(c.leader, n1)
    }

    // §5.4.2 / Figure 8 "Raft never commits log entries from previous terms by counting replicas.
    // Only log entries from the leader's current term are committed by counting replicas."
    func testLeaderCommitsOnlyCurrentTermEntriesByCounting() {
        // n1 holds an entry of term 1 that no one else has; it becomes leader of term 3.
        var (n, s) = single(n1, entries: [e(0, 1), e(1, 1)], hardState: HardState(term: Term(2)))
        n.campaign()
        n.step(Message(kind: .voteResponse, from: n2, to: n1, term: Term(3)))
        XCTAssertEqual(n.role, .leader)
        let noop = n.lastIndex
        XCTAssertEqual(n.term(at: noop), Term(3))
        _ = drain(&n, s)
        // A majority (n1, n2) now holds index 1 of term 1: counting must not commit it.
        n.step(Message(kind: .appendResponse, from: n2, to: n1, term: Term(3), index: LogIndex(1)))
        XCTAssertEqual(n.commitIndex, .origin)
        // Once the leader's own no-op is on a majority, it and everything before it commit.
        n.step(Message(kind: .appendResponse, from: n2, to: n1, term: Term(3), index: noop))
        XCTAssertEqual(n.commitIndex, noop)
    }

    // §5.3 "If an existing entry conflicts with a new one (same index but different terms), delete
    // the existing entry and all that follow it" — and nothing else: a stale append whose entries
    // are already present truncates nothing.
    func testFollowerTruncatesOnlyOnRealConflict() {
        var (n, s) = single(n2, entries: [e(0, 1), e(1, 1), e(2, 1)], hardState: HardState(term: Term(1)))
        n.step(Message(kind: .append, from: n1, to: n2, term: Term(1), logTerm: .zero, index: .origin, entries: [e(0, 1)]))
        _ = drain(&n, s)
        XCTAssertEqual(n.lastIndex, LogIndex(2), "a stale append must not cut the tail")
        n.step(Message(kind: .append, from: n3, to: n2, term: Term(2), logTerm: Term(1), index: LogIndex(0), entries: [e(1, 2)]))
        _ = drain(&n, s)
        XCTAssertEqual(n.lastIndex, LogIndex(1))
        XCTAssertEqual(s.entries.map(\.term), [Term(1), Term(2)])
    }

    // §5.3 Figure 2 "If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of
    // last new entry)" — the entries verified by this message, not the whole local log.
    func testFollowerCommitsOnlyEntriesVerifiedByTheMessage() {
        var (n, s) = single(n2, entries: [e(0, 1), e(1, 1), e(2, 1)], hardState: HardState(term: Term(1)))
        n.step(Message(kind: .append, from: n1, to: n2, term: Term(2), logTerm: .zero, index: .origin, entries: [e(0, 1)], commit: LogIndex(2)))
        XCTAssertEqual(n.commitIndex, LogIndex(0))
        _ = drain(&n, s)
    }

    // §5.3 "After a rejection, the leader decrements nextIndex and retries" — optimized as in §5.3's
    // last paragraphs: the follower names the term boundary so the leader skips a term per round.
    func testFollowerRejectionHintSkipsConflictingTerm() {
        var (n, s) = single(n2, entries: [e(0, 1), e(1, 3), e(2, 3), e(3, 3)], hardState: HardState(term: Term(3)))
        n.step(Message(kind: .append, from: n1, to: n2, term: Term(4), logTerm: Term(2), index: LogIndex(3)))
        let r = drain(&n, s).first { $0.kind == .appendResponse }!
        XCTAssertTrue(r.reject)
        XCTAssertEqual(r.rejectHint, LogIndex(0), "entries of term 3 cannot be in a log whose index 3 has term 2; skip them")
        XCTAssertEqual(r.logTerm, Term(1))
    }

    /// n1 leads, n3 is cut off while n1 commits 5 entries, then n1 compacts them into a snapshot
    /// holding [42].
    private func clusterWithACompactedLeaderAndAnIsolatedFollower() -> LocalCluster {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        c.isolate(n3)
        for i in 0..<5 { _ = try! c.nodes[n1]!.propose([UInt8(i)]); c.stabilize() }
        c.storages[n1]!.compact(through: c.nodes[n1]!.appliedIndex, data: [42], configuration: c.nodes[n1]!.configuration)
        return c
    }

    // §7 "the leader must occasionally send snapshots to followers that lag behind ... when the
    // leader has already discarded the next log entry that it needs to send to a follower."
    func testLaggingFollowerInstallsSnapshot() {
        var c = clusterWithACompactedLeaderAndAnIsolatedFollower()
        let s1 = c.storages[n1]!
        XCTAssertGreaterThan(s1.snapshot.metadata.index, .origin)
        c.heal()
        c.tick(n1, 2)
        c.stabilize()
        XCTAssertEqual(c.storages[n3]!.snapshot.metadata.index, s1.snapshot.metadata.index)
        XCTAssertEqual(c.storages[n3]!.snapshot.data, [42])
        XCTAssertEqual(c.nodes[n3]!.commitIndex, c.nodes[n1]!.commitIndex)
    }

    // §7, with a host that restores a snapshot's state before the follower answers (it drops the
    // Ready that carried the answer and reopens the node over the installed snapshot): the
    // follower's commit in its next heartbeat response tells the leader to go on, so it catches
    // up at the next heartbeat, not an election timeout later.
    func testAFollowerWhoseSnapshotAnswerWasLostCatchesUpAtTheNextHeartbeat() {
        var c = clusterWithACompactedLeaderAndAnIsolatedFollower()
        for i in 5..<7 { _ = try! c.nodes[n1]!.propose([UInt8(i)]); c.stabilize() }
        c.heal()
        c.tick(n1)
        var installed = false
        for _ in 0..<20 where !installed {
            c.process(n1); c.process(n2); c.process(n3)
            let batch = c.inFlight
            c.inFlight = []
            for m in batch {
                guard m.kind == .snapshot, m.to == n3, let snapshot = m.snapshot else { c.deliver(m); continue }
                c.storages[n3]!.applySnapshot(snapshot)
                c.storages[n3]!.setHardState(HardState(term: m.term, vote: c.storages[n3]!.hardState.vote, commit: snapshot.metadata.index))
                c.add(n3, storage: c.storages[n3]!, seed: 3)
                installed = true
            }
        }
        XCTAssertTrue(installed)
        XCTAssertLessThan(c.nodes[n3]!.lastIndex, c.nodes[n1]!.lastIndex)
        c.tick(n1)
        c.stabilize()
        XCTAssertEqual(c.nodes[n3]!.lastIndex, c.nodes[n1]!.lastIndex, "caught up one heartbeat after the install")
        XCTAssertEqual(c.nodes[n3]!.commitIndex, c.nodes[n1]!.commitIndex)
    }

    // Thesis §4.1 single-server changes: "the new configuration takes effect on each server as soon
    // as it is added to that server's log"; one change at a time; a leader first commits an entry
    // of its own term.
    func testMembershipAddLearnerPromoteAndRemove() throws {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        c.add(n4, storage: MemoryStorage())
        try c.nodes[n1]!.proposeConfigChange(.addLearner(n4))
        XCTAssertThrowsError(try c.nodes[n1]!.proposeConfigChange(.remove(n3))) {
            XCTAssertEqual($0 as? RaftError, .configChangePending)
        }
        XCTAssertEqual(c.nodes[n1]!.configuration.learners, [n4], "in force as soon as appended")
        c.stabilize()
        c.tick(n1, 2)
        c.stabilize()
        XCTAssertEqual(c.nodes[n4]!.configuration.learners, [n4])
        XCTAssertEqual(c.nodes[n4]!.commitIndex, c.nodes[n1]!.commitIndex, "learner caught up")
        try c.nodes[n1]!.proposeConfigChange(.promoteLearner(n4))
        c.stabilize()
        XCTAssertEqual(c.nodes[n3]!.configuration.voters, [n1, n2, n3, n4])
        try c.nodes[n1]!.proposeConfigChange(.remove(n1)) // The leader removes itself...
        c.stabilize()
        XCTAssertEqual(c.nodes[n1]!.role, .follower, "...and steps down once that is committed")
        XCTAssertEqual(c.nodes[n2]!.configuration.voters, [n2, n3, n4])
        for _ in 0..<(3 * c.options.electionTimeoutTicks) where c.leader == nil {
            for id in c.ids { c.tick(id) }
            c.stabilize()
        }
        XCTAssertNotNil(c.leader)
        XCTAssertNotEqual(c.leader, n1)
    }

    func testMembershipChangeWaitsForLeadersFirstCommit() {
        var c = LocalCluster(count: 3)
        c.nodes[n1]!.campaign()
        // Deliver only up to the election; the no-op is not yet committed.
        c.ignoring = ["appendResponse"]
        c.stabilize()
        XCTAssertEqual(c.leader, n1)
        XCTAssertThrowsError(try c.nodes[n1]!.proposeConfigChange(.addLearner(n4))) {
            XCTAssertEqual($0 as? RaftError, .leaderNotReady)
        }
    }

    // Thesis §3.10 leadership transfer: "the prior leader sends a TimeoutNow request to the target
    // server ... causes the target server to start a new election".
    func testLeadershipTransfer() throws {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        try c.nodes[n1]!.transferLeadership(to: n3)
        XCTAssertThrowsError(try c.nodes[n1]!.propose([1])) {
            XCTAssertEqual($0 as? RaftError, .leadershipTransferInProgress)
        }
        c.stabilize()
        XCTAssertEqual(c.leader, n3)
        XCTAssertEqual(c.nodes[n1]!.role, .follower)
    }

    // Thesis §6.4 read index: "the leader records its current commit index ... sends heartbeats and
    // waits for a majority to acknowledge ... then the read index is safe to serve."
    func testReadIndexNeedsQuorumHeartbeat() throws {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        _ = try c.nodes[n1]!.propose([9])
        c.stabilize()
        let commit = c.nodes[n1]!.commitIndex
        c.isolate(n1)
        try c.nodes[n1]!.readIndex(context: 1)
        c.stabilize()
        XCTAssertEqual(c.readStates[n1]!, [], "no answer without a quorum")
        c.heal()
        try c.nodes[n2]!.readIndex(context: 2) // Through a follower.
        c.stabilize()
        XCTAssertEqual(c.readStates[n2]!, [ReadState(index: commit, context: 2)])
        XCTAssertEqual(c.readStates[n1]!, [ReadState(index: commit, context: 1)], "earlier request answered with the later quorum")
    }

    // Entries are positions: one entry of N records covers N indexes, and log matching uses the
    // entry's (last index, term).
    func testMultiIndexEntriesAdvanceByTheirRecordCount() throws {
        var c = LocalCluster(count: 3)
        c.elect(n1)
        let noop = c.nodes[n1]!.lastIndex
        let (index, term) = try c.nodes[n1]!.propose(Array(repeating: 7, count: 10), indexCount: 10)
        XCTAssertEqual(index, noop + 10)
        c.stabilize()
        for id in c.ids {
            XCTAssertEqual(c.applied[id]!.last?.lastIndex, index)
            XCTAssertEqual(c.applied[id]!.last?.firstIndex, noop + 1)
            XCTAssertEqual(c.nodes[id]!.term(at: index), term)
            XCTAssertNil(c.nodes[id]!.term(at: index - 3), "a position inside an entry is not a boundary")
        }
    }

    func testAppendWhosePreviousIndexIsInsideAnEntryIsRejected() {
        var (n, s) = single(n2, entries: [e(0, 1), e(5, 1, count: 5)], hardState: HardState(term: Term(1)))
        n.step(Message(kind: .append, from: n1, to: n2, term: Term(2), logTerm: Term(1), index: LogIndex(3), entries: [e(6, 2, count: 3)]))
        let r = drain(&n, s).first { $0.kind == .appendResponse }!
        XCTAssertTrue(r.reject)
        XCTAssertEqual(r.rejectHint, LogIndex(0), "the last boundary at or before 3")
        XCTAssertEqual(n.lastIndex, LogIndex(5))
    }

    // Figure 2 "Updated on stable storage before responding to RPCs": the Ready carries the hard
    // state, and its messages are released only once storage holds it.
    func testHardStateIsInTheSameReadyAsTheVoteItJustifies() {
        var (n, s) = single(n3)
        n.step(Message(kind: .vote, from: n1, to: n3, term: Term(4)))
        let r = n.ready()
        XCTAssertEqual(r.hardState?.vote, n1)
        XCTAssertEqual(r.hardState?.term, Term(4))
        s.persist(r)
        XCTAssertEqual(r.messages(afterPersistingTo: s).map(\.kind), [.voteResponse])
        n.advance(r)
    }

    func testRestartedNodeKeepsItsVote() {
        var (n, s) = single(n3)
        n.step(Message(kind: .vote, from: n1, to: n3, term: Term(4)))
        _ = drain(&n, s)
        var restarted = RaftNode(id: n3, storage: s, random: SeededRandom(seed: 9))
        var o = RaftOptions(); o.preVote = false
        restarted.step(Message(kind: .vote, from: n2, to: n3, term: Term(4)))
        XCTAssertEqual(drain(&restarted, s).map(\.reject), [true])
        _ = o
    }

    // A node that gave its log up (its host found its state unusable) votes as if it still held
    // its old last entry: against a candidate less up to date than that, for one at least as up
    // to date; an earlier end never replaces a later one; it campaigns again once its log holds
    // the old end's index.
    func testANodeThatGaveItsLogUpVotesAsIfItHeldItsOldEnd() {
        var (n, s) = single(n3)
        let start = n.lastIndex
        n.rememberDiscardedLog(lastIndex: start + 8, lastTerm: Term(3))
        n.rememberDiscardedLog(lastIndex: start + 20, lastTerm: Term(2))
        XCTAssertEqual(n.discardedLogEnd?.index, start + 8)
        XCTAssertFalse(n.isPromotable)
        n.step(Message(kind: .vote, from: n1, to: n3, term: Term(4), logTerm: Term(2), index: start + 20))
        XCTAssertEqual(drain(&n, s).filter { $0.kind == .voteResponse }.map(\.reject), [true], "its old log is more up to date")
        n.step(Message(kind: .vote, from: n2, to: n3, term: Term(5), logTerm: Term(3), index: start + 8))
        XCTAssertEqual(drain(&n, s).filter { $0.kind == .voteResponse }.map(\.reject), [false], "as up to date as its old log")
        n.step(Message(kind: .append, from: n2, to: n3, term: Term(5), logTerm: .zero, index: start,
                       entries: [Entry(term: Term(5), lastIndex: start + 8, indexCount: 8, data: Array("batch".utf8))], commit: start))
        _ = drain(&n, s)
        XCTAssertTrue(n.isPromotable, "its log holds the old end's index again")
    }

    // A leader that still counts the node's old match tells it to commit past its empty log: the
    // node answers that its log is lost, but keeps voting by its remembered end rather than
    // withholding every vote (a group of two would have no one to elect).
    func testALeadersCommitWithinAGivenUpLogDoesNotWithholdVotes() {
        var (n, s) = single(n3)
        let start = n.lastIndex
        n.rememberDiscardedLog(lastIndex: start + 8, lastTerm: Term(3))
        n.step(Message(kind: .heartbeat, from: n1, to: n3, term: Term(3), commit: start + 6))
        XCTAssertEqual(drain(&n, s).filter { $0.kind == .heartbeatResponse }.map(\.logLost), [true])
        XCTAssertNil(n.votesWithheldUntil)
        for _ in 0..<20 { n.tick() }  // the leader's lease lapses (and it does not campaign)
        _ = drain(&n, s)
        XCTAssertEqual(n.term, Term(3))
        n.step(Message(kind: .vote, from: n2, to: n3, term: Term(5), logTerm: Term(3), index: start + 8))
        XCTAssertEqual(drain(&n, s).filter { $0.kind == .voteResponse }.map(\.reject), [false])
    }
}
