import SluiceRaft
import SluiceTesting
import XCTest

/// Seeded simulation tier: a few hundred seeds per test run (the full sweep is `sluice-sim --seeds`).
final class SimulatorSeedsTests: XCTestCase {
    func testThreeAndFiveNodeSeedsKeepEveryInvariant() {
        for seed in UInt64(1)...600 {
            var options = SimulationOptions()
            options.nodeCount = seed % 2 == 0 ? 3 : 5
            let r = Simulation(seed: seed, options: options).run()
            XCTAssertNil(r.violation, "seed \(seed): replay with `sluice-sim --seed \(seed) --nodes \(options.nodeCount) --trace`")
            if r.violation != nil { return }
        }
    }
}

/// The same, with the cores driven as the broker's Raft host drives them: each Ready written and
/// advanced at once, fsynced later, its messages and applications held until then; a crash loses
/// what was not yet fsynced half the time. Groups of one included (a single broker's partitions).
final class PipelinedSimulatorSeedsTests: XCTestCase {
    func testPipelinedWritesKeepEveryInvariant() {
        for seed in UInt64(1)...450 {
            var options = SimulationOptions()
            options.nodeCount = [1, 3, 5][Int(seed % 3)]
            options.pipelinedWrites = true
            let r = Simulation(seed: seed, options: options).run()
            XCTAssertNil(r.violation, "seed \(seed): replay with `sluice-sim --seed \(seed) --nodes \(options.nodeCount) --pipelined --trace`")
            XCTAssertGreaterThan(r.acked, 0, "seed \(seed) acknowledged nothing")
            if r.violation != nil { return }
        }
    }
}

/// Liveness: once faults heal, a leader is elected and a proposal commits within a bound.
final class SimulatorLivenessTests: XCTestCase {
    func testLeaderElectedAndProposalCommittedSoonAfterHealing() {
        var longest = 0
        for seed in UInt64(10_001)...10_050 {
            var options = SimulationOptions()
            options.nodeCount = seed % 2 == 0 ? 3 : 5
            options.livenessTicksMax = 120
            let r = Simulation(seed: seed, options: options).run()
            XCTAssertNil(r.violation, "seed \(seed)")
            XCTAssertGreaterThan(r.ticksToCommitAfterHeal, 0, "seed \(seed)")
            longest = max(longest, r.ticksToElectAfterHeal)
        }
        // Election timeout is 10 ticks (randomized up to 20): a few rounds at most.
        XCTAssertLessThanOrEqual(longest, 100)
    }
}
