import SluiceCore
import SluiceRaft

/// Knobs of one simulated run. Fault rates are drawn per seed within these bounds, so a batch of
/// seeds covers calm and hostile networks alike.
public struct SimulationOptions: Sendable {
    /// Initial voters (3 or 5 in the standard sweep).
    public var nodeCount = 3
    /// Ticks of faults before everything heals.
    public var faultTicks = 300
    /// After healing, a leader must be elected and a proposal committed within this many ticks.
    public var livenessTicksMax = 200
    /// Core options (election timeout etc.).
    public var raft: RaftOptions
    /// Upper bound of the per-seed message loss rate.
    public var lossRateMax = 0.2
    /// Upper bound of the per-seed duplication rate.
    public var duplicateRateMax = 0.1
    /// Allow crashes and restarts.
    public var crashes = true
    /// Allow partitions.
    public var partitions = true
    /// Allow membership changes.
    public var membershipChanges = true
    /// Drive the cores as a pipelining host does (see ``Ready``): write each Ready and advance at
    /// once, fsync later (a separate event), and hold the Ready's messages and applications until
    /// that fsync; a crash loses, half the time, everything written since the last fsync.
    public var pipelinedWrites = false
    /// Keep a trace of events (printed with a violation).
    public var trace = false
    /// Print every trace line as it happens (to follow a run that traps).
    public var streamTrace = false

    /// Defaults: 3 nodes, 300 fault ticks, election timeout 10 ticks, heartbeat every 2.
    public init() {
        raft = RaftOptions()
        raft.electionTimeoutTicks = 10
        raft.heartbeatIntervalTicks = 2
        raft.inflightAppendsMax = 8
        raft.inflightBytesMax = 4096
        raft.appendBytesMax = 512
    }
}

/// The outcome of one seed.
public struct SimulationReport: Sendable {
    /// The seed; `sluice-sim --seed` replays it.
    public var seed: UInt64
    /// Initial voters.
    public var nodeCount: Int
    /// The first invariant broken, if any.
    public var violation: String?
    /// Ticks from healing to the first stable leader.
    public var ticksToElectAfterHeal = 0
    /// Ticks from healing to a fresh proposal being applied.
    public var ticksToCommitAfterHeal = 0
    /// Events processed.
    public var events = 0
    /// Client proposals acknowledged.
    public var acked = 0
    /// Linearizable reads checked.
    public var readsChecked = 0
    /// Faults injected, by kind.
    public var crashes = 0, tornWrites = 0, partitions = 0, configChanges = 0, transfers = 0
    /// Snapshots installed from a leader, and log compactions.
    public var snapshotsInstalled = 0, compactions = 0
    /// Distinct leaders elected (terms with a leader).
    public var elections = 0
    /// The last events before the violation, when tracing.
    public var trace: [String] = []
}

/// A whole Raft group in one thread, driven by a seeded scheduler: message loss, duplication,
/// delay and reordering; symmetric, one-way and bridge partitions; crashes that lose what was not
/// yet persisted (sometimes a torn prefix of it); restarts; compaction and snapshots; membership
/// changes, leadership transfers and reads, all during faults. Invariants are checked after every
/// event; then everything heals and the group must elect a leader and commit within a bound.
public final class Simulation {
    /// Time unit: one tick is `tickUnits` units; messages take a few units.
    static let tickUnits = 10

    private enum Event {
        case tick(Int)
        case deliver(Message)
        case ready(Int, incarnation: Int)
        case sync(Int, incarnation: Int)
        case fault
        case client
        case restart(Int)
        case heal
    }

    private struct StateMachine {
        var index: LogIndex = .origin
        var chain: UInt64 = 0
        var configuration: Configuration

        var snapshotData: [UInt8] {
            var out: [UInt8] = []
            for v in [UInt64(bitPattern: index.rawValue), chain] {
                for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
            }
            return out
        }

        init(snapshot: Snapshot) {
            configuration = snapshot.metadata.configuration
            index = snapshot.metadata.index
            if snapshot.data.count == 16 {
                var words: [UInt64] = [0, 0]
                for w in 0..<2 { for b in 0..<8 { words[w] |= UInt64(snapshot.data[w * 8 + b]) << UInt64(8 * b) } }
                precondition(Int64(bitPattern: words[0]) == index.rawValue, "snapshot data does not match its metadata")
                chain = words[1]
            }
        }
    }

    private final class Node {
        let id: NodeID
        var storage: MemoryStorage
        var core: RaftNode<MemoryStorage>?
        var incarnation = 0
        var readyScheduled = false
        var sm: StateMachine
        var lastCommit: LogIndex = .origin
        /// Pipelined writes: what the last fsync made durable, and the Readies waiting for the next.
        var durable: MemoryStorage?
        var awaitingSync: [(ready: Ready, messages: [Message], term: Term)] = []
        var syncScheduled = false

        init(id: NodeID, storage: MemoryStorage) {
            self.id = id
            self.storage = storage
            sm = StateMachine(snapshot: storage.snapshot)
        }
    }

    private struct Proposal { var node: NodeID; var incarnation: Int; var index: LogIndex; var term: Term; var digest: UInt64 }
    private struct Acked { var index: LogIndex; var term: Term; var digest: UInt64; var seenTerm: Term }
    private struct Read { var requiredIndex: LogIndex }

    private let seed: UInt64
    private let options: SimulationOptions
    private var random: SeededRandom
    private var queue = EventQueue<Event>()
    private var now = 0
    private var nodes: [Node] = []
    private var nextSpare: Int32
    private let spareMax: Int32

    // Network model.
    private var lossRate = 0.0
    private var duplicateRate = 0.0
    private var delayUnitsMax = 8
    private var blocked: Set<Int64> = [] // (from << 32 | to)
    private var healed = false
    private var faultGapUnitsMin = 10
    private var raftOptions = RaftOptions()
    private var restartUnitsMax = 300

    // Oracles.
    private var leaderOfTerm: [Term: NodeID] = [:]
    private var appliedAt: [LogIndex: (term: Term, digest: UInt64, chain: UInt64, seenTerm: Term)] = [:]
    private var entryAt: [LogIndex: [(term: Term, digest: UInt64, first: LogIndex)]] = [:]
    private var pending: [Proposal] = []
    private var acked: [Acked] = []
    private var ackedIndexMax: LogIndex = .origin
    private var reads: [UInt64: Read] = [:]
    private var nextContext: UInt64 = 1
    private var nextPayload: UInt64 = 1
    private var wasLeader: [NodeID: Term] = [:]

    private var report: SimulationReport
    private var traceRing: [String] = []

    /// Prepares a run; nothing happens until ``run()``.
    public init(seed: UInt64, options: SimulationOptions = SimulationOptions()) {
        self.seed = seed
        self.options = options
        random = SeededRandom(seed: seed)
        report = SimulationReport(seed: seed, nodeCount: options.nodeCount)
        nextSpare = Int32(options.nodeCount + 1)
        spareMax = Int32(options.nodeCount + 3)
    }

    /// Runs the seed to completion or to the first violation.
    public func run() -> SimulationReport {
        lossRate = Double.random(in: 0...options.lossRateMax, using: &random)
        duplicateRate = Double.random(in: 0...options.duplicateRateMax, using: &random)
        delayUnitsMax = random.int(in: 2...Self.tickUnits * 2)
        faultGapUnitsMin = random.int(in: 3...15)
        // Small messages and windows make partial acknowledgements, pipelining stalls and
        // back-off common; large ones make long appends common.
        raftOptions = options.raft
        raftOptions.appendBytesMax = [60, 150, options.raft.appendBytesMax][random.int(in: 0...2)]
        raftOptions.inflightAppendsMax = random.int(in: 1...options.raft.inflightAppendsMax)
        // A quarter of the seeds run as the broker does, without a no-op over a fully committed
        // log (chosen from the seed, not the stream, so recorded seeds replay unchanged).
        if seed % 4 == 1 { raftOptions.noopOverCommittedLog = false }
        restartUnitsMax = random.int(in: 20...300)
        let voters = (1...options.nodeCount).map { NodeID(Int32($0)) }
        for v in voters {
            addNode(v, storage: MemoryStorage(snapshot: .bootstrap(Configuration(voters: voters))))
        }
        queue.schedule(at: random.int(in: 1...50), .fault)
        queue.schedule(at: 1, .client)
        queue.schedule(at: options.faultTicks * Self.tickUnits, .heal)
        let end = (options.faultTicks + options.livenessTicksMax) * Self.tickUnits
        while report.violation == nil, let (t, e) = queue.pop() {
            if t > end {
                fail("liveness: no leader committed a proposal within \(options.livenessTicksMax) ticks of healing")
                break
            }
            now = t
            report.events += 1
            handle(e)
            if report.violation == nil { checkLeaders() }
            if healed && livenessDone() { break }
        }
        if report.violation == nil { finalChecks() }
        report.trace = traceRing
        return report
    }

    // MARK: Events

    private func handle(_ e: Event) {
        switch e {
        case .tick(let i):
            let n = nodes[i]
            queue.schedule(at: now + Self.tickUnits, .tick(i))
            guard n.core != nil else { return }
            n.core!.tick()
            scheduleReady(n)
        case .deliver(let m):
            let key = Int64(m.from.rawValue) << 32 | Int64(m.to.rawValue)
            guard !blocked.contains(key), let n = node(m.to), n.core != nil else { return }
            trace("deliver \(m)")
            n.core!.step(m)
            // Every peer here is honest: a message the core refuses as invalid is a bug on one side.
            if let (reason, _) = n.core!.droppedMessages.first { fail("n\(n.id) dropped \(m) as \(reason)") }
            scheduleReady(n)
        case .ready(let i, let inc):
            let n = nodes[i]
            guard n.incarnation == inc, n.core != nil else { return }
            n.readyScheduled = false
            processReady(n)
        case .sync(let i, let inc):
            let n = nodes[i]
            guard n.incarnation == inc, n.core != nil else { return }
            n.syncScheduled = false
            finishSync(n)
        case .restart(let i):
            restart(nodes[i])
        case .fault:
            guard !healed else { return }
            injectFault()
            queue.schedule(at: now + random.int(in: faultGapUnitsMin...faultGapUnitsMin * 8), .fault)
        case .client:
            clientStep()
            queue.schedule(at: now + random.int(in: 3...25), .client)
        case .heal:
            heal()
        }
    }

    private func node(_ id: NodeID) -> Node? {
        let i = Int(id.rawValue) - 1
        return i >= 0 && i < nodes.count ? nodes[i] : nil
    }

    private func addNode(_ id: NodeID, storage: MemoryStorage) {
        precondition(Int(id.rawValue) == nodes.count + 1, "node ids are dense and never reused")
        let n = Node(id: id, storage: storage)
        nodes.append(n)
        start(n)
        queue.schedule(at: now + random.int(in: 1...Self.tickUnits), .tick(nodes.count - 1))
    }

    private func start(_ n: Node) {
        n.incarnation += 1
        let nodeSeed = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(n.id.rawValue) &* 1_000_003 &+ UInt64(n.incarnation)
        n.sm = StateMachine(snapshot: n.storage.snapshot)
        n.core = RaftNode(id: n.id, storage: n.storage, options: raftOptions, random: SeededRandom(seed: nodeSeed))
        n.lastCommit = n.core!.commitIndex
        n.readyScheduled = false
        n.durable = options.pipelinedWrites ? n.storage.copy() : nil
        n.awaitingSync = []
        n.syncScheduled = false
        scheduleReady(n)
    }

    private func scheduleReady(_ n: Node) {
        guard !n.readyScheduled, let core = n.core, core.hasReady else { return }
        n.readyScheduled = true
        // Persisting takes time; a crash before then loses whatever the core decided meanwhile.
        queue.schedule(at: now + random.int(in: 0...3), .ready(Int(n.id.rawValue) - 1, incarnation: n.incarnation))
    }

    private func processReady(_ n: Node) {
        guard var core = n.core else { return }
        n.core = nil // Take the core out so the struct is mutated in place, not copied.
        defer { n.core = core }
        var rounds = 0
        while core.hasReady && rounds < 4 && report.violation == nil {
            rounds += 1
            let r = core.ready()
            if let s = r.snapshot { report.snapshotsInstalled += 1; trace("n\(n.id) install snapshot \(s.metadata.index)") }
            persist(r, of: n, entryCount: r.entries.count)
            if options.pipelinedWrites {
                n.awaitingSync.append((r, r.messages(afterPersistingTo: n.storage), core.term))
                core.advance(r)
                scheduleSync(n)
            } else {
                for m in r.messages(afterPersistingTo: n.storage) { send(m) }
                takeEffect(r, on: n, term: core.term)
                core.advance(r)
                maybeCompact(n, applied: core.appliedIndex)
            }
            if core.commitIndex < n.lastCommit { fail("n\(n.id) commit went back from \(n.lastCommit) to \(core.commitIndex)") }
            n.lastCommit = core.commitIndex
        }
        if core.hasReady {
            n.core = core
            scheduleReady(n)
        }
    }

    /// What a Ready does besides writing: install, apply, answer reads.
    private func takeEffect(_ r: Ready, on n: Node, term: Term) {
        if let s = r.snapshot { installSnapshot(s, on: n) }
        for e in r.committedEntries { apply(e, on: n, term: term) }
        for rs in r.readStates { checkRead(rs, on: n) }
    }

    private func scheduleSync(_ n: Node) {
        guard !n.syncScheduled else { return }
        n.syncScheduled = true
        // An fsync takes a while, and the core goes on meanwhile.
        queue.schedule(at: now + random.int(in: 1...12), .sync(Int(n.id.rawValue) - 1, incarnation: n.incarnation))
    }

    /// Pipelined writes: everything written so far is durable; the Readies that waited for it
    /// send and apply, in order.
    private func finishSync(_ n: Node) {
        n.durable = n.storage.copy()
        let done = n.awaitingSync
        n.awaitingSync = []
        for (r, messages, term) in done {
            for e in r.entries { checkEntryUnique(e, on: n) }
            for m in messages { send(m) }
            takeEffect(r, on: n, term: term)
        }
        if let applied = n.core?.appliedIndex, n.sm.index == applied { maybeCompact(n, applied: applied) }
    }

    /// Writes a Ready (or, for a torn write, its snapshot and a prefix of its entries) to storage.
    private func persist(_ r: Ready, of n: Node, entryCount: Int, hardState: Bool = true) {
        if let s = r.snapshot { n.storage.applySnapshot(s) }
        let entries = Array(r.entries.prefix(entryCount))
        // Pipelined, an entry counts once durable: one lost in a crash before its fsync never
        // left the node (its term may be taken again after the restart).
        if !options.pipelinedWrites { for e in entries { checkEntryUnique(e, on: n) } }
        n.storage.append(entries)
        if hardState, let h = r.hardState { n.storage.setHardState(h) }
    }

    private func send(_ m: Message) {
        trace("send \(m)")
        if random.chance(lossRate) { return }
        let copies = random.chance(duplicateRate) ? 2 : 1
        for _ in 0..<copies {
            // Mostly short delays; sometimes a long one, which reorders messages.
            let delay = random.chance(0.05) ? random.int(in: 1...(Self.tickUnits * 6)) : random.int(in: 1...delayUnitsMax)
            queue.schedule(at: now + delay, .deliver(m))
        }
    }

    // MARK: State machine and oracles

    private static func digest(_ e: Entry) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) { h = (h ^ v) &* 0x100_0000_01b3 }
        mix(e.term.rawValue)
        mix(UInt64(bitPattern: e.lastIndex.rawValue))
        mix(UInt64(e.indexCount))
        switch e.kind {
        case .normal: mix(1)
        case .noop: mix(2)
        case .configuration(let c):
            mix(3)
            for v in c.voters { mix(UInt64(v.rawValue)) }
            mix(99)
            for l in c.learners { mix(UInt64(l.rawValue)) }
        }
        for b in e.data { mix(UInt64(b)) }
        return h
    }

    /// Log matching's premise: at most one entry ends at a given index in a given term, everywhere.
    private func checkEntryUnique(_ e: Entry, on n: Node) {
        let d = Self.digest(e)
        var list = entryAt[e.lastIndex] ?? []
        if let same = list.first(where: { $0.term == e.term }) {
            if same.digest != d || same.first != e.firstIndex {
                fail("log matching: n\(n.id) persisted \(e) but another entry ends at \(e.lastIndex) in term \(e.term)")
            }
        } else {
            list.append((e.term, d, e.firstIndex))
            entryAt[e.lastIndex] = list
        }
    }

    private func apply(_ e: Entry, on n: Node, term: Term) {
        if e.prevIndex != n.sm.index {
            fail("n\(n.id) applied \(e) after \(n.sm.index): gap or overlap")
            return
        }
        let d = Self.digest(e)
        n.sm.chain = (n.sm.chain ^ d) &* 0x100_0000_01b3 &+ 0x9E37
        n.sm.index = e.lastIndex
        if case .configuration(let c) = e.kind { n.sm.configuration = c }
        if let prior = appliedAt[e.lastIndex] {
            if prior.term != e.term || prior.digest != d || prior.chain != n.sm.chain {
                fail("state machine safety: n\(n.id) applied \(e) at \(e.lastIndex), but term \(prior.term) was applied there before (or histories differ)")
                return
            }
        } else {
            appliedAt[e.lastIndex] = (e.term, d, n.sm.chain, term)
        }
        // The client learns of success when the node it proposed to applies its entry; anything
        // else applied at or past that position means the proposal was lost.
        guard pending.contains(where: { $0.node == n.id && $0.index <= e.lastIndex }) else { return }
        for p in pending where p.node == n.id && p.index == e.lastIndex {
            if p.incarnation == n.incarnation && p.term == e.term && p.digest == d {
                acked.append(Acked(index: p.index, term: p.term, digest: d, seenTerm: term))
                ackedIndexMax = max(ackedIndexMax, p.index)
                report.acked += 1
                trace("ack \(e) at n\(n.id)")
            }
        }
        pending.removeAll { $0.node == n.id && $0.index <= e.lastIndex }
    }

    private func installSnapshot(_ s: Snapshot, on n: Node) {
        n.sm = StateMachine(snapshot: s)
        if let prior = appliedAt[s.metadata.index], prior.chain != n.sm.chain || prior.term != s.metadata.term {
            fail("snapshot at \(s.metadata.index) installed on n\(n.id) differs from what was applied there")
        }
    }

    private func maybeCompact(_ n: Node, applied: LogIndex) {
        guard applied == n.sm.index, applied.rawValue - n.storage.snapshot.metadata.index.rawValue > 12, random.chance(0.3) else { return }
        n.storage.compact(through: applied, data: n.sm.snapshotData, configuration: n.sm.configuration)
        report.compactions += 1
    }

    private func checkRead(_ rs: ReadState, on n: Node) {
        guard let r = reads.removeValue(forKey: rs.context) else { return }
        report.readsChecked += 1
        if rs.index < r.requiredIndex {
            fail("linearizability: read \(rs.context) at n\(n.id) got index \(rs.index), but \(r.requiredIndex) was acknowledged before it started")
        }
    }

    /// At most one leader per term, and every new leader holds every applied (so every acknowledged) entry.
    private func checkLeaders() {
        for n in nodes {
            guard let core = n.core, core.role == .leader else { continue }
            if let other = leaderOfTerm[core.term], other != n.id {
                fail("election safety: n\(other) and n\(n.id) both leaders in term \(core.term)")
                return
            }
            if leaderOfTerm[core.term] == nil {
                leaderOfTerm[core.term] = n.id
                report.elections += 1
                trace("n\(n.id) leader in term \(core.term)")
            }
            if wasLeader[n.id] != core.term {
                wasLeader[n.id] = core.term
                // Leader completeness: an entry committed in an earlier term is in this leader's
                // log. `seenTerm` bounds the commit's term from above, so the check never fires
                // for an entry committed later than this leader's term began.
                for index in appliedAt.keys.sorted() where index > core.snapshotIndex {
                    let applied = appliedAt[index]!
                    if applied.seenTerm < core.term && core.term(at: index) != applied.term {
                        fail("leader completeness: n\(n.id) leads term \(core.term) without committed entry \(index)@\(applied.term)")
                        return
                    }
                }
                for a in acked where a.index > core.snapshotIndex && a.seenTerm < core.term {
                    if core.term(at: a.index) != a.term {
                        fail("acknowledged write lost: n\(n.id) leads term \(core.term) without acked entry \(a.index)@\(a.term)")
                        return
                    }
                }
            }
        }
    }

    // MARK: Workload

    private func currentLeader() -> Node? {
        var best: Node?
        for n in nodes {
            guard let c = n.core, c.role == .leader else { continue }
            if best == nil || c.term > best!.core!.term { best = n }
        }
        return best
    }

    private func clientStep() {
        let roll = random.int(in: 0...99)
        if roll < 70 {
            guard let n = currentLeader() else { return }
            var payload: [UInt8] = []
            var v = nextPayload
            nextPayload += 1
            for _ in 0..<8 { payload.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
            let count = Int64(random.int(in: 1...4))
            if let (index, term) = try? n.core!.propose(payload, indexCount: count) {
                let e = Entry(term: term, lastIndex: index, indexCount: count, kind: .normal, data: payload)
                pending.append(Proposal(node: n.id, incarnation: n.incarnation, index: index, term: term, digest: Self.digest(e)))
                if pending.count > 500 { pending.removeFirst(pending.count - 500) }
                trace("propose \(e) at n\(n.id)")
                scheduleReady(n)
            }
        } else if roll < 85 {
            let up = nodes.filter { $0.core != nil }
            guard !up.isEmpty else { return }
            let n = up[random.int(in: 0...(up.count - 1))]
            let ctx = nextContext
            nextContext += 1
            if (try? n.core!.readIndex(context: ctx)) != nil {
                reads[ctx] = Read(requiredIndex: ackedIndexMax)
                scheduleReady(n)
            }
        }
    }

    // MARK: Faults

    private func injectFault() {
        let roll = random.int(in: 0...99)
        switch roll {
        case 0..<10 where options.crashes:
            let up = nodes.filter { $0.core != nil }
            guard up.count > 0 else { return }
            crash(up[random.int(in: 0...(up.count - 1))])
        case 10..<18 where options.crashes:
            // Leaders are where the interesting bugs are (Figure 8 needs several leader crashes).
            if let l = currentLeader() { crash(l) }
        case 18..<40 where options.partitions:
            partition()
        case 40..<55:
            blocked.removeAll()
            trace("partitions healed")
        case 55..<68 where options.membershipChanges:
            changeMembership()
        case 68..<75:
            guard let l = currentLeader() else { return }
            let voters = l.core!.configuration.voters.filter { $0 != l.id }
            guard !voters.isEmpty else { return }
            let target = voters[random.int(in: 0...(voters.count - 1))]
            if (try? l.core!.transferLeadership(to: target)) != nil {
                report.transfers += 1
                trace("transfer n\(l.id) -> n\(target)")
                scheduleReady(l)
            }
        case 75..<85:
            lossRate = Double.random(in: 0...options.lossRateMax, using: &random)
            duplicateRate = Double.random(in: 0...options.duplicateRateMax, using: &random)
        default:
            break
        }
    }

    private func crash(_ n: Node) {
        guard var core = n.core else { return }
        report.crashes += 1
        // Sometimes the crash tears the write in progress: part of the pending entries reach disk,
        // nothing else (no hard state, no message).
        if core.hasReady && random.chance(0.5) {
            let r = core.ready()
            if !r.entries.isEmpty || r.snapshot != nil {
                report.tornWrites += 1
                persist(r, of: n, entryCount: random.int(in: 0...r.entries.count), hardState: false)
            }
        }
        // Pipelined writes not yet fsynced: lost, or (the kernel wrote them back in time) kept.
        if let durable = n.durable, random.chance(0.5) {
            if !n.awaitingSync.isEmpty { report.tornWrites += 1 }
            n.storage = durable
        }
        n.core = nil
        n.incarnation += 1
        pending.removeAll { $0.node == n.id }
        trace("crash n\(n.id)")
        queue.schedule(at: now + random.int(in: 10...restartUnitsMax), .restart(Int(n.id.rawValue) - 1))
    }

    private func restart(_ n: Node) {
        guard n.core == nil else { return }
        trace("restart n\(n.id)")
        start(n)
    }

    private func partition() {
        let ids = nodes.map(\.id)
        blocked.removeAll()
        func cut(_ a: NodeID, _ b: NodeID) { blocked.insert(Int64(a.rawValue) << 32 | Int64(b.rawValue)) }
        report.partitions += 1
        switch random.int(in: 0...3) {
        case 0: // symmetric split
            let side = ids.map { _ in random.chance(0.5) }
            for (i, a) in ids.enumerated() { for (j, b) in ids.enumerated() where side[i] != side[j] { cut(a, b) } }
            trace("partition symmetric \(zip(ids, side).filter { $0.1 }.map { $0.0 })")
        case 1: // isolate one node
            let x = ids[random.int(in: 0...(ids.count - 1))]
            for b in ids where b != x { cut(x, b); cut(b, x) }
            trace("partition isolate n\(x)")
        case 2: // one-way links
            for _ in 0..<random.int(in: 1...3) {
                let a = ids[random.int(in: 0...(ids.count - 1))], b = ids[random.int(in: 0...(ids.count - 1))]
                if a != b { cut(a, b); trace("partition one-way n\(a) -/-> n\(b)") }
            }
        default: // bridge: two sides that only one node connects
            let bridge = ids[random.int(in: 0...(ids.count - 1))]
            let side = ids.map { _ in random.chance(0.5) }
            for (i, a) in ids.enumerated() where a != bridge {
                for (j, b) in ids.enumerated() where b != bridge && side[i] != side[j] { cut(a, b) }
            }
            trace("partition bridge via n\(bridge)")
        }
    }

    private func changeMembership() {
        guard let l = currentLeader(), let core = l.core else { return }
        let conf = core.configuration
        let floor = max(2, options.nodeCount - 1)
        var choices: [ConfigChange] = []
        if nextSpare <= spareMax { choices.append(.addLearner(NodeID(nextSpare))) }
        for x in conf.learners { choices.append(.promoteLearner(x)); choices.append(.remove(x)) }
        if conf.voters.count > floor { for v in conf.voters { choices.append(.remove(v)) } }
        guard !choices.isEmpty else { return }
        let change = choices[random.int(in: 0...(choices.count - 1))]
        do { _ = try l.core!.proposeConfigChange(change) } catch { return }
        report.configChanges += 1
        trace("config change \(change) at n\(l.id)")
        if case .addLearner(let id) = change {
            nextSpare += 1
            addNode(id, storage: MemoryStorage()) // Knows no group: waits for the leader.
        }
        scheduleReady(l)
    }

    private func heal() {
        healed = true
        blocked.removeAll()
        lossRate = 0
        duplicateRate = 0
        trace("heal")
        for n in nodes where n.core == nil { start(n) }
        healedAt = now
    }

    private var healedAt = 0
    private var electedAt: Int?
    private var marker: Proposal?
    /// A group of one commits in the instant it heals (0 ticks): the tick count cannot tell.
    private var markerCommitted = false

    /// After healing: a leader whose term no member exceeds, then one proposal applied through it.
    private func livenessDone() -> Bool {
        guard let l = currentLeader(), let core = l.core else { return false }
        let members = core.configuration.members.compactMap { node($0) }
        guard members.allSatisfy({ ($0.core?.term ?? .zero) <= core.term }) else { return false }
        if electedAt == nil {
            electedAt = now
            report.ticksToElectAfterHeal = (now - healedAt + Self.tickUnits - 1) / Self.tickUnits
        }
        if let m = marker {
            if acked.contains(where: { $0.index == m.index && $0.term == m.term }) {
                markerCommitted = true
                report.ticksToCommitAfterHeal = (now - healedAt + Self.tickUnits - 1) / Self.tickUnits
                return true
            }
            // Still in flight through the leader of the moment: wait. A marker proposed through an
            // earlier leader may never resolve (that leader can be cut out of the group for good),
            // so the current leader gets a marker of its own.
            let inFlight = pending.contains(where: { $0.index == m.index && $0.term == m.term && $0.node == m.node })
            if inFlight && m.node == l.id && m.term == core.term { return false }
        }
        guard let (index, term) = try? l.core!.propose(Array("marker".utf8)) else { return false }
        let e = Entry(term: term, lastIndex: index, kind: .normal, data: Array("marker".utf8))
        let p = Proposal(node: l.id, incarnation: l.incarnation, index: index, term: term, digest: Self.digest(e))
        pending.append(p)
        marker = p
        scheduleReady(l)
        return false
    }

    private func finalChecks() {
        if marker == nil || !markerCommitted {
            fail("liveness: nothing committed after healing")
        }
    }

    // MARK: Reporting

    private func fail(_ what: String) {
        guard report.violation == nil else { return }
        report.violation = "t=\(now / Self.tickUnits).\(now % Self.tickUnits): \(what)"
        trace("VIOLATION \(what)")
    }

    private func trace(_ line: @autoclosure () -> String) {
        guard options.trace || options.streamTrace else { return }
        let text = "\(now / Self.tickUnits).\(now % Self.tickUnits) \(line())"
        if options.streamTrace { print(text) }
        traceRing.append(text)
        if traceRing.count > 400 { traceRing.removeFirst(100) }
    }
}
