import Foundation
@testable import SluiceBroker
import Synchronization
import XCTest

final class TimersAndGatherTests: XCTestCase {
    /// Periodic tasks run at about their period, each on its own schedule, and none after stop.
    func testTasksRunPeriodicallyAndStopForGood() throws {
        let timers = Timers()
        let fast = Atomic<Int>(0)
        let slow = Atomic<Int>(0)
        timers.every(millis: 10) { fast.add(1, ordering: .relaxed) }
        timers.every(millis: 100) { slow.add(1, ordering: .relaxed) }
        Thread.sleep(forTimeInterval: 0.35)
        timers.stop()
        let (fastRuns, slowRuns) = (fast.load(ordering: .relaxed), slow.load(ordering: .relaxed))
        XCTAssertGreaterThan(fastRuns, 10, "a 10 ms task ran \(fastRuns) times in 350 ms")
        XCTAssertTrue((2...4).contains(slowRuns), "a 100 ms task ran \(slowRuns) times in 350 ms")
        XCTAssertGreaterThan(fastRuns, 3 * slowRuns)
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(fast.load(ordering: .relaxed), fastRuns, "no task runs after stop")
        timers.stop()
    }

    /// A task that fell behind (here: one that took longer than its period) runs again one
    /// period later, not in a burst that catches up every missed period.
    func testATaskThatFellBehindDoesNotBurst() throws {
        let timers = Timers()
        let runs = Atomic<Int>(0)
        timers.every(millis: 10) {
            if runs.add(1, ordering: .relaxed).newValue == 1 { Thread.sleep(forTimeInterval: 0.2) }
        }
        Thread.sleep(forTimeInterval: 0.25)
        timers.stop()
        XCTAssertLessThanOrEqual(runs.load(ordering: .relaxed), 6, "20 missed periods were not replayed")
    }

    /// Answers arriving out of order on other threads come back in the operations' order, once.
    func testGatherHandsOverAllAnswersInOrderOnce() {
        let delivered = Mutex<[[Int]]>([])
        let gather = Gather<Int>(count: 50) { answers in delivered.withLock { $0.append(answers) } }
        DispatchQueue.concurrentPerform(iterations: 50) { index in gather.set(49 - index, (49 - index) * 10) }
        XCTAssertEqual(delivered.withLock { $0 }, [Array(stride(from: 0, to: 500, by: 10))])
        let empty = Mutex<[[Int]]>([])
        _ = Gather<Int>(count: 0) { answers in empty.withLock { $0.append(answers) } }
        XCTAssertEqual(empty.withLock { $0 }, [[]], "nothing to wait for: finished at once")
    }
}
