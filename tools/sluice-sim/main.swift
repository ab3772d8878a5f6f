// sluice-sim: runs the deterministic Raft simulator over seeds.
//
//   sluice-sim --seed N [--nodes 3|5] [--trace]     replay one seed exactly
//   sluice-sim --seeds K [--first-seed S] [--nodes 3|5]
//                                                   run seeds S...S+K-1; exit 1 on the first violation
//   sluice-sim --seed-file FILE                     run the first number of every line (# comments)
//   --pipelined                                     drive the cores as a pipelining host does: write
//                                                   and advance at once, fsync later, send and apply
//                                                   after it; a crash may lose what was not yet fsynced
//
// Without --nodes, even seeds run 3 nodes and odd seeds 5. A crash inside the core (a failed
// precondition) also prints the seed, from a signal handler.
import Foundation
import SluiceRaft
import SluiceTesting

nonisolated(unsafe) var currentSeed: UInt64 = 0
nonisolated(unsafe) var replayFlags = ""

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: sluice-sim (--seed N | --seeds K [--first-seed S] | --seed-file FILE) [--nodes 3|5] [--trace] [--fault-ticks T] [--pipelined]\n".utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var single: UInt64?
var count: UInt64 = 1
var first: UInt64 = 1
var nodes: Int?
var trace = false
var pipelined = false
var faultTicks: Int?
var listed: [UInt64]?

/// The seeds a regression file lists: the first word of each line that is not blank or a comment.
func seeds(inFile path: String) -> [UInt64] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("sluice-sim: cannot read \(path)\n".utf8))
        exit(2)
    }
    return text.split(separator: "\n").compactMap { line -> UInt64? in
        guard let word = line.split(separator: " ").first, !word.hasPrefix("#") else { return nil }
        guard let seed = UInt64(word) else { usage() }
        return seed
    }
}
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String {
        if args.isEmpty { usage() }
        return args.removeFirst()
    }
    switch a {
    case "--seed": guard let v = UInt64(value()) else { usage() }; single = v
    case "--seeds": guard let v = UInt64(value()) else { usage() }; count = v
    case "--first-seed": guard let v = UInt64(value()) else { usage() }; first = v
    case "--nodes": guard let v = Int(value()), v >= 1 else { usage() }; nodes = v
    case "--fault-ticks": guard let v = Int(value()), v >= 1 else { usage() }; faultTicks = v
    case "--seed-file": listed = seeds(inFile: value())
    case "--trace": trace = true
    case "--pipelined": pipelined = true
    default: usage()
    }
}
if let s = single { first = s; count = 1 }
let chosen: [UInt64] = listed ?? Array(first..<(first + count))
replayFlags = (nodes.map { " --nodes \($0)" } ?? "") + (pipelined ? " --pipelined" : "")

// A trap in the core kills the process; say which seed did it.
for sig in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV] {
    signal(sig) { sig in
        var text = "\nsluice-sim: crashed (signal \(sig)) in seed \(currentSeed); replay with: sluice-sim --seed \(currentSeed)\(replayFlags) --trace\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        _exit(3)
    }
}

let started = Date()
var longestElect = 0, longestCommit = 0
var totals = (events: 0, acked: 0, reads: 0, crashes: 0, torn: 0, partitions: 0, configs: 0, transfers: 0, snapshots: 0, elections: 0)
for seed in chosen {
    currentSeed = seed
    var options = SimulationOptions()
    options.nodeCount = nodes ?? (seed % 2 == 0 ? 3 : 5)
    options.trace = trace
    options.pipelinedWrites = pipelined
    options.streamTrace = trace && single != nil
    if options.streamTrace { options.trace = false }
    if let f = faultTicks { options.faultTicks = f }
    let r = Simulation(seed: seed, options: options).run()
    if trace || r.violation != nil {
        for line in r.trace { print(line) }
    }
    if let v = r.violation {
        print("sluice-sim: VIOLATION in seed \(seed) (\(r.nodeCount) nodes): \(v)")
        print("replay with: sluice-sim --seed \(seed) --nodes \(r.nodeCount)\(pipelined ? " --pipelined" : "") --trace")
        exit(1)
    }
    longestElect = max(longestElect, r.ticksToElectAfterHeal)
    longestCommit = max(longestCommit, r.ticksToCommitAfterHeal)
    totals.events += r.events; totals.acked += r.acked; totals.reads += r.readsChecked
    totals.crashes += r.crashes; totals.torn += r.tornWrites; totals.partitions += r.partitions
    totals.configs += r.configChanges; totals.transfers += r.transfers; totals.snapshots += r.snapshotsInstalled
    totals.elections += r.elections
    if single != nil {
        print("seed \(seed): ok, \(r.nodeCount) nodes, \(r.events) events, \(r.elections) leaders, \(r.acked) acked, \(r.readsChecked) reads, \(r.crashes) crashes (\(r.tornWrites) torn), \(r.partitions) partitions, \(r.configChanges) config changes, \(r.transfers) transfers, \(r.snapshotsInstalled) snapshots installed, \(r.compactions) compactions; elected \(r.ticksToElectAfterHeal) / committed \(r.ticksToCommitAfterHeal) ticks after heal")
    }
}
let seconds = Date().timeIntervalSince(started)
let range = (listed == nil ? "from \(first)" : "listed") + (pipelined ? ", pipelined writes" : "")
print("sluice-sim: \(chosen.count) seeds \(range) ok in \(String(format: "%.1f", seconds))s; \(totals.events) events, \(totals.elections) leaders, \(totals.acked) acked writes, \(totals.reads) reads checked, \(totals.crashes) crashes (\(totals.torn) torn writes), \(totals.partitions) partitions, \(totals.configs) membership changes, \(totals.transfers) transfers, \(totals.snapshots) snapshots installed; longest after heal: elect \(longestElect) ticks, commit \(longestCommit) ticks")
