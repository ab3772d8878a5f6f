import XCTest
@testable import SluiceIO

final class ClockTests: XCTestCase {
    /// A heartbeat recorded by another thread just after a liveness check read the clock is later
    /// than the check's `now`; the elapsed time is then 0, not a trap.
    func testElapsedTimeNeverTrapsWhenTheStartIsLater() {
        XCTAssertEqual(nanosElapsed(since: 1_000, now: 400), 0)
        XCTAssertEqual(nanosElapsed(since: UInt64.max, now: 0), 0)
        XCTAssertEqual(nanosElapsed(since: 400, now: 1_000), 600)
        XCTAssertLessThan(nanosElapsed(since: monotonicNanos()), 60_000_000_000)
    }
}
