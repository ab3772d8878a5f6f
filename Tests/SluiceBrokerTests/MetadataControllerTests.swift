@testable import SluiceBroker
import XCTest

/// Which controller a Metadata answer names: one the answer lists, this node (which forwards
/// controller requests) while the leader's registration has not reached it, or none.
final class MetadataControllerTests: XCTestCase {
    func testTheLeaderWhenItIsListed() {
        XCTAssertEqual(KafkaBroker.advertisedController(leader: 2, listed: [1, 2, 3], this: 1), 2)
        XCTAssertEqual(KafkaBroker.advertisedController(leader: 1, listed: [1], this: 1), 1)
    }

    /// After a failover: the new leader known, its registration (or unfencing) not yet applied.
    func testThisNodeWhileTheLeaderIsNotListed() {
        XCTAssertEqual(KafkaBroker.advertisedController(leader: 3, listed: [1, 2], this: 2), 2)
    }

    /// No leader: none named, so clients wait and operators see there is none. And never a node
    /// the answer does not list (this node has no address on the client's listener).
    func testNoneWithoutALeaderOrAListedNode() {
        XCTAssertEqual(KafkaBroker.advertisedController(leader: nil, listed: [1, 2, 3], this: 1), -1)
        XCTAssertEqual(KafkaBroker.advertisedController(leader: 3, listed: [1], this: 2), -1)
    }
}
