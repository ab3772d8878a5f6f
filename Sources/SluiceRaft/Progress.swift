import SluiceCore

/// The leader's window of append messages sent to one follower and not yet acknowledged, bounded
/// both in count and in bytes (flow control: a slow or partitioned follower costs bounded memory
/// and bandwidth). Entries are freed when an acknowledgement covers them.
struct Inflights {
    let countMax: Int
    let bytesMax: Int
    /// (last index sent, bytes) per message, oldest first; indexes strictly increase.
    private(set) var window: [(index: LogIndex, bytes: Int)] = []
    private(set) var bytes = 0

    init(countMax: Int, bytesMax: Int) {
        precondition(countMax >= 1 && bytesMax >= 1)
        self.countMax = countMax
        self.bytesMax = bytesMax
    }

    var isFull: Bool { window.count >= countMax || bytes >= bytesMax }
    var count: Int { window.count }

    mutating func add(_ index: LogIndex, bytes b: Int) {
        precondition(!isFull, "adding to a full in-flight window")
        if let last = window.last { precondition(index > last.index, "in-flight indexes must increase") }
        window.append((index, b))
        bytes += b
    }

    /// Frees every message whose last index is <= `index`.
    mutating func free(through index: LogIndex) {
        var n = 0
        while n < window.count, window[n].index <= index { bytes -= window[n].bytes; n += 1 }
        window.removeFirst(n)
    }

    /// Frees the oldest message: a heartbeat response proves the follower is alive, so one more
    /// append may go out even if earlier ones were lost.
    mutating func freeFirst() {
        guard let f = window.first else { return }
        free(through: f.index)
    }

    mutating func reset() {
        window.removeAll()
        bytes = 0
    }
}

/// How the leader replicates to one follower (etcd's tracker states).
///
/// | State     | Sends                                        | Leaves when                          |
/// |-----------|----------------------------------------------|--------------------------------------|
/// | probe     | one append per heartbeat interval, waits     | an append succeeds → replicate       |
/// | replicate | appends back to back, up to the window       | a rejection → probe                  |
/// | snapshot  | nothing (a snapshot is on its way)           | acked / timed out → probe            |
enum ProgressState: Sendable, Equatable {
    case probe
    case replicate
    case snapshot
}

/// The leader's log as a follower's progress needs it: where its entries end.
///
/// One entry may cover many indexes (a Kafka batch), so a position a follower names (a rejection
/// hint, a match it reports lost, its last index) can fall inside one of the leader's entries. The
/// leader can only send appends that attach at one of its own boundaries.
protocol EntryBoundaries {
    /// The compaction point: positions below it are only in the snapshot.
    var baseIndex: LogIndex { get }
    /// The last index of the log.
    var lastIndex: LogIndex { get }
    /// The last entry boundary at or before `index`; nil below the compaction point.
    func boundary(atOrBefore index: LogIndex) -> (index: LogIndex, term: Term)?
}

extension EntryBoundaries {
    /// The last boundary at or below `index`, capped at the last index. Positions below the
    /// compaction point stay as they are: whatever rests there is served by a snapshot.
    func boundary(atOrBelow index: LogIndex) -> LogIndex {
        let capped = min(index, lastIndex)
        if capped < baseIndex { return capped }
        return boundary(atOrBefore: capped)?.index ?? baseIndex
    }
}

/// The leader's knowledge of one member's log.
///
/// `match` and `next` change only through ``settle(match:next:on:)``, which puts both on the
/// leader's entry boundaries whatever position a caller (or a follower's message) proposes.
struct Progress {
    /// Highest index known to match the leader's log: an entry boundary of the leader's log, or a
    /// position below its compaction point.
    private(set) var match: LogIndex
    /// Where the next append starts: `match < next`, and `next - 1` is a boundary of the leader's
    /// log or lies below its compaction point (then the next thing sent is the snapshot).
    private(set) var next: LogIndex
    var state: ProgressState = .probe
    /// In probe: an append is out and we wait for its answer or a heartbeat response.
    var probeSent = false
    /// In snapshot: the index of the snapshot sent.
    var pendingSnapshot: LogIndex = .origin
    /// Ticks spent in snapshot state, to resend a lost snapshot.
    var snapshotElapsedTicks = 0
    /// The highest commit index sent to the follower, to tell when it must hear of a newer one.
    var sentCommit: LogIndex = .origin
    /// Heard from since the last CheckQuorum round.
    var recentActive = false
    var inflights: Inflights

    init(next: LogIndex, countMax: Int, bytesMax: Int) {
        match = .origin
        self.next = next
        inflights = Inflights(countMax: countMax, bytesMax: bytesMax)
    }

    var isPaused: Bool {
        switch state {
        case .probe: return probeSent
        case .replicate: return inflights.isFull
        case .snapshot: return true
        }
    }

    /// The one place `match` and `next` move. `match` lands on the leader's last boundary at or
    /// below `wantedMatch`, `next - 1` on its last boundary at or below `wantedNext - 1` but never
    /// below `match`. Rounding down is always safe: a lower match only delays counting the
    /// follower toward a commit, and a lower next only resends entries the follower may hold.
    private mutating func settle(match wantedMatch: LogIndex, next wantedNext: LogIndex, on log: some EntryBoundaries) {
        match = log.boundary(atOrBelow: wantedMatch)
        next = log.boundary(atOrBelow: max(wantedNext - 1, match)) + 1
    }

    mutating func becomeProbe(on log: some EntryBoundaries) {
        // After a snapshot, the follower most likely holds it; probe right after it.
        let resume = state == .snapshot ? max(match + 1, pendingSnapshot + 1) : match + 1
        settle(match: match, next: resume, on: log)
        state = .probe
        probeSent = false
        pendingSnapshot = .origin
        inflights.reset()
    }

    /// The follower reports it no longer holds what it acknowledged (its disk lost entries and it
    /// is rebuilding): forget the match above `held` and probe from there.
    mutating func forgetMatch(above held: LogIndex, on log: some EntryBoundaries) {
        settle(match: min(match, held), next: next, on: log)
        becomeProbe(on: log)
    }

    mutating func becomeReplicate(on log: some EntryBoundaries) {
        state = .replicate
        settle(match: match, next: match + 1, on: log)
        probeSent = false
        inflights.reset()
    }

    mutating func becomeSnapshot(_ index: LogIndex) {
        state = .snapshot
        pendingSnapshot = index
        snapshotElapsedTicks = 0
        inflights.reset()
    }

    /// In replicate: an append ending at `lastSent` went out; assume it succeeds (pipelining).
    mutating func optimisticallySent(through lastSent: LogIndex, on log: some EntryBoundaries) {
        settle(match: match, next: lastSent + 1, on: log)
    }

    /// Records a successful append up to `index`; false if it was stale.
    mutating func maybeUpdate(_ index: LogIndex, on log: some EntryBoundaries) -> Bool {
        var updated = false
        var wantedMatch = match
        if match < index {
            wantedMatch = index
            updated = true
            probeSent = false
        }
        settle(match: wantedMatch, next: max(next, index + 1), on: log)
        return updated
    }

    /// Handles a rejection of the append whose previous index was `rejected`; `probeNext` is where
    /// the leader's log may agree with the follower's hint. False if the rejection is stale.
    mutating func maybeDecrease(rejected: LogIndex, probeNext: LogIndex, on log: some EntryBoundaries) -> Bool {
        if state == .replicate {
            // Anything at or below match is known to agree: the rejection answers an old message.
            if rejected <= match { return false }
            settle(match: match, next: match + 1, on: log)
            return true
        }
        // In probe only the outstanding message counts.
        if next - 1 != rejected { return false }
        // Always move back: the rejected position itself cannot be where the logs agree, whatever
        // the hint says.
        settle(match: match, next: max(min(probeNext, rejected), match + 1), on: log)
        probeSent = false
        return true
    }
}
