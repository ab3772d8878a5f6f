import SluiceCore
import SluiceRaft

/// Runs scripted Raft interactions and describes, as stable text, everything that happened: the
/// engine behind the golden-output transcript tests (in the style of etcd-io/raft's datadriven
/// `testdata/*.txt` files driven by `rafttest.InteractionEnv`).
///
/// The runner drives ``RaftNode``s over ``MemoryStorage`` directly, one command at a time. Nothing
/// happens unless a command says so: ticks, Ready handling and message delivery are all explicit
/// (`stabilize` does the last two until the group is quiet). Everything is deterministic: node ids
/// are iterated in order, messages are delivered in send order (grouped by recipient), and each
/// node's election-timeout generator is seeded from `seed + id`.
///
/// Commands (arguments in brackets are optional; `X`, `Y` are node ids):
///
/// | Command | Effect |
/// |---------|--------|
/// | `add-nodes N [voters=(1,2,3)] [learners=(4)] [prevote=true] [checkquorum=true] [election=10] [heartbeat=1] [inflight=64] [append-bytes=262144] [seed=1]` | adds N nodes with the next ids; with no voters/learners they start empty (to be added by a membership change) |
/// | `campaign X` | X starts an election now |
/// | `tick X [n]` | ticks X n times (default 1) |
/// | `tick-election X` | a leader: ticks one election timeout; otherwise ticks until X campaigns (at most 2 × timeout) |
/// | `propose X <data> [count=N]` | proposes an entry covering N indexes (default 1) |
/// | `propose-conf-change X add-learner\|add-voter\|promote\|remove Y` | single-server membership change |
/// | `transfer-leadership from=X to=Y` | leadership transfer |
/// | `read-index X [ctx=N]` | linearizable read request (contexts count from 1 unless given) |
/// | `process-ready X [Y ...]` | persists, sends and applies each node's Ready |
/// | `deliver-msgs [from=X] [to=Y] [type=T] [drop]` | delivers (or drops) the matching in-flight messages |
/// | `inject from=X to=Y type=T term=N [log-term=N] [index=N] [commit=N] [reject=true] [hint=N] [ctx=N] [lost=true] [entries=(last@term/count ...)]` | puts a message no core sent in flight: a stale, forged or malformed one |
/// | `stabilize [X ...] [quiet]` | Ready handling and delivery until nothing moves (among the given nodes); `quiet` prints only `ok` |
/// | `partition 1 \| 2 3` / `isolate X` / `heal` | cuts links between groups (unlisted nodes are alone); restores all |
/// | `crash X` / `restart X` | drops X's core (unpersisted state is lost) and in-flight messages to it; rebuilds it from storage |
/// | `status X` / `raft-log X` | describes X's state / persisted log |
/// | `compact X <index>` | compacts X's storage through an applied entry boundary |
public struct TranscriptRunner {
    private struct Node {
        var raft: RaftNode<MemoryStorage>?
        let storage: MemoryStorage
        let options: RaftOptions
        let seed: UInt64
        /// Configurations the state machine has applied: (index, configuration), oldest first.
        var appliedConfigs: [(index: LogIndex, configuration: Configuration)]
        var restarts: UInt64 = 0
    }

    private var nodes: [NodeID: Node] = [:]
    /// Messages sent and not yet delivered, in send order.
    private var inFlight: [Message] = []
    /// Directed links that drop everything: (from, to).
    private var cut: Set<[NodeID]> = []
    private var nextReadContext: UInt64 = 1
    private var out: [String] = []

    /// An empty environment.
    public init() {}

    /// Runs one command line and returns its output (without a trailing newline); errors in the
    /// command itself are reported in the output as `error: ...`.
    public mutating func run(_ line: String) -> String {
        out = []
        do {
            try execute(Command(parsing: line))
        } catch {
            out.append("error: \(error.message)")
        }
        if out.isEmpty { out.append("ok") }
        return out.joined(separator: "\n")
    }

    // MARK: Commands

    private struct Command {
        var name: String
        var positional: [String] = []
        var keyed: [String: String] = [:]

        init(parsing line: String) throws(TranscriptError) {
            // Tokens separated by spaces; `(...)` groups keep their spaces (voters=(1, 2, 3)).
            var tokens: [String] = []
            var current = ""
            var depth = 0
            for ch in line {
                if ch == "(" { depth += 1 }
                if ch == ")" { depth -= 1 }
                if ch == " " && depth == 0 {
                    if !current.isEmpty { tokens.append(current) }
                    current = ""
                } else {
                    current.append(ch)
                }
            }
            if !current.isEmpty { tokens.append(current) }
            guard let first = tokens.first else { throw TranscriptError("empty command") }
            name = first
            for t in tokens.dropFirst() {
                if let eq = t.firstIndex(of: "=") {
                    keyed[String(t[..<eq])] = String(t[t.index(after: eq)...])
                } else {
                    positional.append(t)
                }
            }
        }

        func node(_ i: Int) throws(TranscriptError) -> NodeID {
            guard i < positional.count else { throw TranscriptError("\(name): missing node id") }
            return try parseNode(positional[i])
        }

        func nodeArg(_ key: String) throws(TranscriptError) -> NodeID? {
            guard let v = keyed[key] else { return nil }
            return try parseNode(v)
        }

        func int(_ key: String, default d: Int64) throws(TranscriptError) -> Int64 {
            guard let v = keyed[key] else { return d }
            guard let n = Int64(v) else { throw TranscriptError("\(key)=\(v) is not a number") }
            return n
        }

        func bool(_ key: String, default d: Bool) throws(TranscriptError) -> Bool {
            guard let v = keyed[key] else { return d }
            switch v {
            case "true": return true
            case "false": return false
            default: throw TranscriptError("\(key)=\(v) is not true/false")
            }
        }

        func nodeList(_ key: String) throws(TranscriptError) -> [NodeID] {
            guard var v = keyed[key] else { return [] }
            if v.hasPrefix("(") && v.hasSuffix(")") { v = String(v.dropFirst().dropLast()) }
            var ids: [NodeID] = []
            for part in v.split(whereSeparator: { $0 == "," || $0 == " " }) { ids.append(try parseNode(String(part))) }
            return ids
        }
    }

    private static func parseNode(_ s: String) throws(TranscriptError) -> NodeID {
        guard let n = Int32(s), n > 0 else { throw TranscriptError("\(s) is not a node id") }
        return NodeID(n)
    }

    private var ids: [NodeID] { nodes.keys.sorted() }

    private func live(_ id: NodeID) throws(TranscriptError) -> RaftNode<MemoryStorage> {
        guard let n = nodes[id] else { throw TranscriptError("no node \(id)") }
        guard let r = n.raft else { throw TranscriptError("node \(id) is down") }
        return r
    }

    private mutating func execute(_ c: Command) throws(TranscriptError) {
        switch c.name {
        case "add-nodes": try addNodes(c)
        case "campaign":
            let id = try c.node(0)
            var r = try live(id)
            r.campaign()
            nodes[id]!.raft = r
        case "tick":
            let id = try c.node(0)
            let n = c.positional.count > 1 ? Int(c.positional[1]) ?? 0 : 1
            guard n > 0 else { throw TranscriptError("tick: bad count") }
            try tick(id, times: n, untilCampaign: false)
        case "tick-election":
            try tick(try c.node(0), times: 0, untilCampaign: true)
        case "propose": try propose(c)
        case "propose-conf-change": try proposeConfChange(c)
        case "transfer-leadership":
            guard let from = try c.nodeArg("from"), let to = try c.nodeArg("to") else {
                throw TranscriptError("transfer-leadership needs from= and to=")
            }
            var r = try live(from)
            do {
                try r.transferLeadership(to: to)
                out.append("\(from) transferring leadership to \(to)")
            } catch {
                out.append("rejected: \(Self.describe(error))")
            }
            nodes[from]!.raft = r
        case "read-index":
            let id = try c.node(0)
            var r = try live(id)
            let ctx: UInt64
            if let v = c.keyed["ctx"] {
                guard let n = UInt64(v), n > 0 else { throw TranscriptError("ctx=\(v) must be a positive number") }
                ctx = n
            } else {
                ctx = nextReadContext
            }
            nextReadContext = max(nextReadContext, ctx + 1)
            do {
                try r.readIndex(context: ctx)
                out.append("\(id) read-index requested ctx=\(ctx)")
            } catch {
                out.append("rejected: \(Self.describe(error))")
            }
            nodes[id]!.raft = r
        case "process-ready":
            guard !c.positional.isEmpty else { throw TranscriptError("process-ready needs node ids") }
            for i in 0..<c.positional.count { try processReady(try c.node(i)) }
        case "deliver-msgs":
            let from = try c.nodeArg("from"), to = try c.nodeArg("to")
            let type = c.keyed["type"]
            let drop = c.positional.contains("drop")
            let picked = pick { m in
                (from == nil || m.from == from) && (to == nil || m.to == to) && (type == nil || Self.kindName(m.kind) == type)
            }
            if picked.isEmpty { out.append("no messages") }
            deliver(picked, drop: drop)
        case "inject":
            let m = try injected(c)
            inFlight.append(m)
            out.append("in flight: \(Self.describe(m))")
        case "stabilize":
            var only: Set<NodeID>? = nil
            let quiet = c.positional.contains("quiet")
            let args = c.positional.filter { $0 != "quiet" }
            if !args.isEmpty {
                var s = Set<NodeID>()
                for a in args { s.insert(try Self.parseNode(a)) }
                only = s
            }
            try stabilize(only: only)
            if quiet { out = [] }
        case "partition": try partition(c)
        case "isolate":
            let id = try c.node(0)
            setPartition([[id], ids.filter { $0 != id }])
        case "heal":
            cut.removeAll()
            out.append("all links restored")
        case "crash":
            let id = try c.node(0)
            _ = try live(id)
            nodes[id]!.raft = nil
            let before = inFlight.count
            inFlight.removeAll { $0.to == id }
            out.append("\(id) crashed; \(before - inFlight.count) in-flight message(s) to it dropped")
        case "restart":
            let id = try c.node(0)
            guard let n = nodes[id] else { throw TranscriptError("no node \(id)") }
            guard n.raft == nil else { throw TranscriptError("node \(id) is running") }
            nodes[id]!.restarts += 1
            // The state machine is rebuilt from the snapshot; committed entries are applied again.
            let snap = n.storage.snapshot.metadata
            nodes[id]!.appliedConfigs = [(snap.index, snap.configuration)]
            nodes[id]!.raft = RaftNode(id: id, storage: n.storage, options: n.options,
                                       random: SeededRandom(seed: n.seed &+ UInt64(id.rawValue) &+ 1000 &* nodes[id]!.restarts))
            out.append("\(id) restarted: \(Self.describe(n.storage.hardState)) last=\(n.storage.lastIndex) snapshot=\(snap.index)")
        case "status": try status(try c.node(0))
        case "raft-log": try raftLog(try c.node(0))
        case "compact": try compact(c)
        default:
            throw TranscriptError("unknown command \(c.name)")
        }
    }

    private mutating func addNodes(_ c: Command) throws(TranscriptError) {
        guard let s = c.positional.first, let count = Int(s), count > 0 else { throw TranscriptError("add-nodes N") }
        var o = RaftOptions()
        o.preVote = try c.bool("prevote", default: true)
        o.checkQuorum = try c.bool("checkquorum", default: true)
        o.electionTimeoutTicks = Int(try c.int("election", default: 10))
        o.heartbeatIntervalTicks = Int(try c.int("heartbeat", default: 1))
        o.inflightAppendsMax = Int(try c.int("inflight", default: Int64(o.inflightAppendsMax)))
        o.appendBytesMax = Int(try c.int("append-bytes", default: Int64(o.appendBytesMax)))
        guard o.inflightAppendsMax >= 1 && o.appendBytesMax >= 1 else { throw TranscriptError("need inflight >= 1 and append-bytes >= 1") }
        guard o.heartbeatIntervalTicks >= 1 && o.heartbeatIntervalTicks < o.electionTimeoutTicks else {
            throw TranscriptError("need 1 <= heartbeat < election")
        }
        let seed = UInt64(try c.int("seed", default: 1))
        let conf = Configuration(voters: try c.nodeList("voters"), learners: try c.nodeList("learners"))
        let firstID = (ids.last?.rawValue ?? 0) + 1
        for k in 0..<Int32(count) {
            let id = NodeID(firstID + k)
            let storage = MemoryStorage(snapshot: .bootstrap(conf))
            let raft = RaftNode(id: id, storage: storage, options: o, random: SeededRandom(seed: seed &+ UInt64(id.rawValue)))
            nodes[id] = Node(raft: raft, storage: storage, options: o, seed: seed, appliedConfigs: [(.origin, conf)])
            out.append("\(id): \(Self.roleLine(raft)) config=\(conf) prevote=\(o.preVote) checkquorum=\(o.checkQuorum) election=\(o.electionTimeoutTicks) heartbeat=\(o.heartbeatIntervalTicks)")
        }
    }

    private mutating func tick(_ id: NodeID, times: Int, untilCampaign: Bool) throws(TranscriptError) {
        var r = try live(id)
        let before = (role: r.role, term: r.term)
        var n = times
        var stopEarly = false
        if untilCampaign {
            if r.role == .leader {
                n = r.options.electionTimeoutTicks
            } else {
                n = 2 * r.options.electionTimeoutTicks
                stopEarly = true
            }
        }
        var ticked = 0
        var campaigned = false
        let hadReady = r.hasReady
        while ticked < n {
            r.tick()
            ticked += 1
            // A retried pre-vote round changes neither role nor term, only sends messages.
            campaigned = r.role != before.role || r.term != before.term || (r.role != .leader && r.hasReady && !hadReady)
            if stopEarly && campaigned { break }
        }
        nodes[id]!.raft = r
        var line = "\(id) ticked \(ticked) time\(ticked == 1 ? "" : "s")"
        if r.role != before.role || r.term != before.term {
            line += ": \(before.role) term=\(before.term) -> \(r.role) term=\(r.term)"
        } else if stopEarly {
            line += campaigned ? ": campaigned again (\(r.role) term=\(r.term))" : ": no election (\(r.role) term=\(r.term))"
        }
        out.append(line)
    }

    private mutating func propose(_ c: Command) throws(TranscriptError) {
        let id = try c.node(0)
        guard c.positional.count > 1 else { throw TranscriptError("propose X <data>") }
        let count = try c.int("count", default: 1)
        guard count >= 1 else { throw TranscriptError("count must be at least 1") }
        var r = try live(id)
        do {
            let p = try r.propose(Array(c.positional[1].utf8), indexCount: count)
            let first = p.index - (count - 1)
            out.append("\(id) proposed \(Self.span(first, p.index))@\(p.term)")
        } catch {
            out.append("rejected: \(Self.describe(error))")
        }
        nodes[id]!.raft = r
    }

    private mutating func proposeConfChange(_ c: Command) throws(TranscriptError) {
        let id = try c.node(0)
        guard c.positional.count > 2 else { throw TranscriptError("propose-conf-change X <op> Y") }
        let target = try c.node(2)
        let change: ConfigChange
        switch c.positional[1] {
        case "add-learner": change = .addLearner(target)
        case "add-voter": change = .addVoter(target)
        case "promote": change = .promoteLearner(target)
        case "remove": change = .remove(target)
        default: throw TranscriptError("unknown change \(c.positional[1])")
        }
        var r = try live(id)
        do {
            let index = try r.proposeConfigChange(change)
            out.append("\(id) proposed conf change \(c.positional[1]) \(target) at \(index): \(r.configuration)")
        } catch {
            out.append("rejected: \(Self.describe(error))")
        }
        nodes[id]!.raft = r
    }

    private mutating func partition(_ c: Command) throws(TranscriptError) {
        var groups: [[NodeID]] = [[]]
        for p in c.positional {
            if p == "|" { groups.append([]); continue }
            groups[groups.count - 1].append(try Self.parseNode(p))
        }
        groups = groups.filter { !$0.isEmpty }
        let listed = Set(groups.joined())
        for id in ids where !listed.contains(id) { groups.append([id]) }
        setPartition(groups)
    }

    private mutating func setPartition(_ groups: [[NodeID]]) {
        cut.removeAll()
        var group: [NodeID: Int] = [:]
        for (g, members) in groups.enumerated() { for m in members { group[m] = g } }
        for a in ids { for b in ids where a != b && group[a] != group[b] { cut.insert([a, b]) } }
        out.append("partitioned: " + groups.map { $0.sorted().map(\.description).joined(separator: " ") }.joined(separator: " | "))
    }

    // MARK: Ready and delivery

    /// Handles every pending Ready of `id` in the contract's order; returns whether there was one.
    @discardableResult
    private mutating func processReady(_ id: NodeID) throws(TranscriptError) -> Bool {
        var r = try live(id)
        let storage = nodes[id]!.storage
        var any = false
        while r.hasReady {
            any = true
            let rd = r.ready()
            out.append("> \(id) handling Ready")
            if let s = rd.softState {
                out.append("  State: \(s.role)" + (s.leader.map { " (leader=\($0))" } ?? " (no leader)"))
            }
            if let h = rd.hardState { out.append("  HardState: \(Self.describe(h))") }
            if let s = rd.snapshot {
                out.append("  Snapshot: index=\(s.metadata.index) term=\(s.metadata.term) config=\(s.metadata.configuration)")
            }
            if !rd.entries.isEmpty {
                out.append("  Entries:")
                for e in rd.entries { out.append("  - \(Self.describe(e))") }
            }
            if !rd.committedEntries.isEmpty {
                out.append("  Applied:")
                for e in rd.committedEntries { out.append("  - \(Self.describe(e))") }
            }
            for rs in rd.readStates { out.append("  ReadState: index=\(rs.index) ctx=\(rs.context)") }
            storage.persist(rd)
            let msgs = rd.messages(afterPersistingTo: storage)
            if !msgs.isEmpty {
                out.append("  Messages:")
                for m in msgs { out.append("  - \(Self.describe(m))") }
            }
            inFlight.append(contentsOf: msgs)
            if let s = rd.snapshot { nodes[id]!.appliedConfigs = [(s.metadata.index, s.metadata.configuration)] }
            for e in rd.committedEntries {
                if case .configuration(let conf) = e.kind { nodes[id]!.appliedConfigs.append((e.lastIndex, conf)) }
            }
            r.advance(rd)
        }
        nodes[id]!.raft = r
        return any
    }

    /// Removes and returns the in-flight messages matching `filter`, keeping the rest in order.
    private mutating func pick(_ filter: (Message) -> Bool) -> [Message] {
        var picked: [Message] = []
        var kept: [Message] = []
        for m in inFlight { if filter(m) { picked.append(m) } else { kept.append(m) } }
        inFlight = kept
        return picked
    }

    /// Steps `msgs` into their recipients, grouped by recipient in id order, each group in send order.
    private mutating func deliver(_ msgs: [Message], drop: Bool) {
        let recipients = Set(msgs.map(\.to)).sorted()
        for to in recipients {
            out.append("> \(to) receiving messages")
            for m in msgs where m.to == to {
                var line = "  - \(Self.describe(m))"
                if drop {
                    line += "  DROPPED"
                } else if cut.contains([m.from, m.to]) {
                    line += "  DROPPED (partition)"
                } else if nodes[to]?.raft == nil {
                    line += "  DROPPED (node down)"
                } else {
                    let droppedBefore = nodes[to]!.raft!.droppedMessages
                    nodes[to]!.raft!.step(m)
                    for (reason, n) in nodes[to]!.raft!.droppedMessages.sorted(by: { $0.key.rawValue < $1.key.rawValue })
                    where n != droppedBefore[reason, default: 0] {
                        line += "  INVALID (\(reason))"
                    }
                }
                out.append(line)
            }
        }
    }

    /// The message an `inject` command describes; unnamed fields keep their defaults.
    private func injected(_ c: Command) throws(TranscriptError) -> Message {
        guard let from = try c.nodeArg("from"), let to = try c.nodeArg("to") else { throw TranscriptError("inject needs from= and to=") }
        let kinds: [MessageKind] = [.append, .appendResponse, .vote, .voteResponse, .preVote, .preVoteResponse, .heartbeat,
                                    .heartbeatResponse, .snapshot, .timeoutNow, .readIndex, .readIndexResponse]
        guard let type = c.keyed["type"], let kind = kinds.first(where: { Self.kindName($0) == type }) else {
            throw TranscriptError("inject needs type= one of \(kinds.map(Self.kindName).joined(separator: ", "))")
        }
        func term(_ key: String) throws(TranscriptError) -> Term {
            guard let v = c.keyed[key] else { return .zero }
            guard let t = UInt64(v) else { throw TranscriptError("\(key)=\(v) is not a term") }
            return Term(t)
        }
        var m = Message(kind: kind, from: from, to: to, term: try term("term"), logTerm: try term("log-term"),
                        index: LogIndex(try c.int("index", default: -1)), commit: LogIndex(try c.int("commit", default: -1)),
                        reject: try c.bool("reject", default: false), rejectHint: LogIndex(try c.int("hint", default: -1)),
                        context: UInt64(try c.int("ctx", default: 0)), logLost: try c.bool("lost", default: false))
        m.entries = try injectedEntries(c.keyed["entries"])
        return m
    }

    /// `(9@2/8 10@2/1)`: entries ending at 9 in term 2 covering 8 indexes, then one ending at 10.
    private func injectedEntries(_ text: String?) throws(TranscriptError) -> [Entry] {
        guard var v = text else { return [] }
        if v.hasPrefix("(") && v.hasSuffix(")") { v = String(v.dropFirst().dropLast()) }
        var entries: [Entry] = []
        for part in v.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let fields = part.split(whereSeparator: { $0 == "@" || $0 == "/" })
            guard fields.count == 3, let last = Int64(fields[0]), let t = UInt64(fields[1]), let n = Int64(fields[2]), n >= 1 else {
                throw TranscriptError("entry \(part) is not last@term/count")
            }
            entries.append(Entry(term: Term(t), lastIndex: LogIndex(last), indexCount: n, data: Array("forged".utf8)))
        }
        return entries
    }

    private mutating func stabilize(only: Set<NodeID>?) throws(TranscriptError) {
        let among = ids.filter { (only?.contains($0) ?? true) && nodes[$0]?.raft != nil }
        for _ in 0..<1000 {
            var moved = false
            for id in among where nodes[id]?.raft?.hasReady == true {
                try processReady(id)
                moved = true
            }
            // Without a node list, messages to crashed nodes are taken too (and dropped).
            let msgs = pick { m in only == nil || (among.contains(m.to) && among.contains(m.from)) }
            if !msgs.isEmpty {
                deliver(msgs, drop: false)
                moved = true
            }
            if !moved { return }
        }
        throw TranscriptError("stabilize: still moving after 1000 rounds")
    }

    // MARK: Inspection

    private mutating func status(_ id: NodeID) throws(TranscriptError) {
        let r = try live(id)
        out.append("\(id): \(Self.roleLine(r)) vote=\(r.vote.map(\.description) ?? "-") commit=\(r.commitIndex) applied=\(r.appliedIndex) last=\(r.lastIndex) snapshot=\(r.snapshotIndex)")
        out.append("config: \(r.configuration)")
        if !r.droppedMessages.isEmpty {
            let counts = r.droppedMessages.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
            out.append("dropped: " + counts.joined(separator: " "))
        }
        if r.role == .leader {
            for m in r.configuration.members {
                out.append("  \(m): match=\(r.matchIndex(of: m).map(\.description) ?? "?")")
            }
        }
    }

    private mutating func raftLog(_ id: NodeID) throws(TranscriptError) {
        guard let n = nodes[id] else { throw TranscriptError("no node \(id)") }
        let s = n.storage
        let meta = s.snapshot.metadata
        out.append("\(id) log: snapshot=\(meta.index)@\(meta.term) \(meta.configuration) \(Self.describe(s.hardState))")
        if s.entries.isEmpty { out.append("  (no entries)") }
        for e in s.entries { out.append("  \(Self.describe(e))") }
    }

    private mutating func compact(_ c: Command) throws(TranscriptError) {
        let id = try c.node(0)
        guard c.positional.count > 1, let raw = Int64(c.positional[1]) else { throw TranscriptError("compact X <index>") }
        let index = LogIndex(raw)
        let r = try live(id)
        guard let n = nodes[id] else { throw TranscriptError("no node \(id)") }
        guard index <= r.appliedIndex else { throw TranscriptError("\(index) is not applied yet (applied \(r.appliedIndex))") }
        guard index > n.storage.snapshot.metadata.index else { throw TranscriptError("\(index) is already compacted") }
        guard n.storage.term(at: index) != nil else { throw TranscriptError("\(index) is not an entry boundary") }
        let conf = n.appliedConfigs.last { $0.index <= index }!.configuration
        n.storage.compact(through: index, data: Array("state@\(index)".utf8), configuration: conf)
        out.append("\(id) compacted through \(index); log now starts after \(index)@\(n.storage.snapshot.metadata.term) config=\(conf)")
    }

    // MARK: Formatting

    private static func roleLine(_ r: RaftNode<MemoryStorage>) -> String {
        "\(r.role) term=\(r.term) leader=\(r.leader.map(\.description) ?? "-")"
    }

    private static func span(_ first: LogIndex, _ last: LogIndex) -> String {
        first == last ? "\(last)" : "\(first)..\(last)"
    }

    /// `3@2 noop`, `4..13@2 "batch"`, `14@2 conf{v:1,2,3 l:4}`.
    static func describe(_ e: Entry) -> String {
        let what: String
        switch e.kind {
        case .normal: what = "\"" + String(decoding: e.data, as: UTF8.self) + "\""
        case .noop: what = "noop"
        case .configuration(let c): what = "conf\(c)"
        }
        return "\(span(e.firstIndex, e.lastIndex))@\(e.term) \(what)"
    }

    static func describe(_ h: HardState) -> String {
        "term=\(h.term) vote=\(h.vote.map(\.description) ?? "-") commit=\(h.commit)"
    }

    static func kindName(_ k: MessageKind) -> String {
        switch k {
        case .append: "app"
        case .appendResponse: "app-resp"
        case .vote: "vote"
        case .voteResponse: "vote-resp"
        case .preVote: "prevote"
        case .preVoteResponse: "prevote-resp"
        case .heartbeat: "heartbeat"
        case .heartbeatResponse: "heartbeat-resp"
        case .snapshot: "snapshot"
        case .timeoutNow: "timeout-now"
        case .readIndex: "read-index"
        case .readIndexResponse: "read-index-resp"
        }
    }

    /// One line per message; fields a kind does not use are left out.
    static func describe(_ m: Message) -> String {
        var s = "\(m.from)->\(m.to) \(kindName(m.kind)) term=\(m.term)"
        switch m.kind {
        case .append:
            s += " prev=\(m.index)@\(m.logTerm) commit=\(m.commit)"
            if !m.entries.isEmpty { s += " entries=[" + m.entries.map(describe).joined(separator: ", ") + "]" }
        case .appendResponse:
            s += m.reject ? " REJECT index=\(m.index) hint=\(m.rejectHint)@\(m.logTerm)" : " index=\(m.index)"
        case .vote, .preVote:
            s += " last=\(m.index)@\(m.logTerm)" + (m.leadershipTransfer ? " transfer" : "")
        case .voteResponse, .preVoteResponse:
            s += m.reject ? " REJECT" : " GRANT"
        case .heartbeat:
            s += " commit=\(m.commit)" + (m.context != 0 ? " ctx=\(m.context)" : "")
        case .heartbeatResponse:
            s += m.context != 0 ? " ctx=\(m.context)" : ""
        case .readIndex:
            s += " ctx=\(m.context)"
        case .readIndexResponse:
            s += " index=\(m.index) ctx=\(m.context)"
        case .snapshot:
            if let meta = m.snapshot?.metadata { s += " snapshot=\(meta.index)@\(meta.term) config=\(meta.configuration)" }
        case .timeoutNow:
            break
        }
        return s
    }

    static func describe(_ e: RaftError) -> String {
        switch e {
        case .notLeader(let l): "not leader (leader=\(l.map(\.description) ?? "unknown"))"
        case .leadershipTransferInProgress: "leadership transfer in progress"
        case .configChangePending: "a configuration change is pending"
        case .leaderNotReady: "leader has not committed an entry of its term yet"
        case .invalidConfigChange(let why): "invalid configuration change: \(why)"
        }
    }
}

/// A malformed transcript command.
public struct TranscriptError: Error, Sendable {
    /// What was wrong.
    public var message: String
    init(_ message: String) { self.message = message }
}
