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

/// The leader's knowledge of one member's log.
struct Progress {
    /// Highest index known to match the leader's log (an entry boundary of the leader's log).
    var match: LogIndex
    /// Where the next append starts (match < next; next - 1 is a boundary of the leader's log).
    var next: LogIndex
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

    mutating func becomeProbe() {
        // After a snapshot, the follower most likely holds it; probe right after it.
        if state == .snapshot {
            next = max(match + 1, pendingSnapshot + 1)
        } else {
            next = match + 1
        }
        state = .probe
        probeSent = false
        pendingSnapshot = .origin
        inflights.reset()
    }

    /// The follower reports it no longer holds what it acknowledged (its disk lost entries and it
    /// is rebuilding): forget the match above `held` and probe from there.
    mutating func forgetMatch(above held: LogIndex) {
        if match > held { match = held }
        becomeProbe()
        next = match + 1
    }

    mutating func becomeReplicate() {
        state = .replicate
        next = match + 1
        probeSent = false
        inflights.reset()
    }

    mutating func becomeSnapshot(_ index: LogIndex) {
        state = .snapshot
        pendingSnapshot = index
        snapshotElapsedTicks = 0
        inflights.reset()
    }

    /// Records a successful append up to `index`; false if it was stale.
    mutating func maybeUpdate(_ index: LogIndex) -> Bool {
        var updated = false
        if match < index {
            match = index
            updated = true
            probeSent = false
        }
        if next < index + 1 { next = index + 1 }
        return updated
    }

    /// Handles a rejection of the append whose previous index was `rejected`; `probeNext` is where
    /// the leader's log may agree with the follower's hint. False if the rejection is stale.
    mutating func maybeDecrease(rejected: LogIndex, probeNext: LogIndex) -> Bool {
        if state == .replicate {
            // Anything at or below match is known to agree: the rejection answers an old message.
            if rejected <= match { return false }
            next = match + 1
            return true
        }
        // In probe only the outstanding message counts.
        if next - 1 != rejected { return false }
        // probeNext - 1 is a boundary of the leader's log at or below the follower's hint, and
        // always below `rejected` (the hint's term is older than the leader's term there).
        precondition(probeNext <= rejected, "probe would not move back: \(probeNext) > \(rejected)")
        next = max(probeNext, match + 1)
        probeSent = false
        return true
    }
}
