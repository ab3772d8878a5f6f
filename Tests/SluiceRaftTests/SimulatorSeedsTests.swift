import SluiceRaft
import SluiceTesting
import XCTest

/// Seeded simulation tier: a few hundred seeds per test run (the full sweep is `sluice-sim --seeds`).
final class SimulatorSeedsTests: XCTestCase {
    func testThreeAndFiveNodeSeedsKeepEveryInvariant() {
        for seed in UInt64(1)...300 {
            var options = SimulationOptions()
            options.nodeCount = seed % 2 == 0 ? 3 : 5
            let r = Simulation(seed: seed, options: options).run()
            XCTAssertNil(r.violation, "seed \(seed): replay with `sluice-sim --seed \(seed) --nodes \(options.nodeCount) --trace`")
            if r.violation != nil { return }
        }
    }
}
