import SluiceCommandLine
import XCTest

final class OffsetSpecTests: XCTestCase {
    private let now: Int64 = 1_714_564_800_000  // 2024-05-01T12:00:00Z

    private func spec(_ text: String) throws -> ConsumeOffsetSpec { try ConsumeOffsetSpec.parse(text, nowMillis: now) }

    func testWords() throws {
        XCTAssertEqual(try spec("beginning").start, .beginning)
        XCTAssertEqual(try spec("earliest").start, .beginning)
        XCTAssertEqual(try spec("END").start, .end)
        XCTAssertEqual(try spec("42").start, .offset(42))
        XCTAssertEqual(try spec("+42").start, .offset(42))
        XCTAssertEqual(try spec("-10").start, .fromEnd(10))
    }

    func testTimesAndRanges() throws {
        XCTAssertEqual(try spec("@1700000000000"), ConsumeOffsetSpec(start: .timestamp(1_700_000_000_000)))
        XCTAssertEqual(try spec("@-15m"), ConsumeOffsetSpec(start: .timestamp(now - 900_000)))
        XCTAssertEqual(try spec("@2024-05-01T00:00:00Z"), ConsumeOffsetSpec(start: .timestamp(1_714_521_600_000)))
        XCTAssertEqual(try spec("@1000:2000"), ConsumeOffsetSpec(start: .timestamp(1_000), stopTimestamp: 2_000))
        XCTAssertEqual(try spec("@2024-05-01T00:00:00Z:2024-05-02T00:00:00Z"),
                       ConsumeOffsetSpec(start: .timestamp(1_714_521_600_000), stopTimestamp: 1_714_608_000_000))
        XCTAssertEqual(try spec("@-2h:-1h"), ConsumeOffsetSpec(start: .timestamp(now - 7_200_000), stopTimestamp: now - 3_600_000))
    }

    func testBadSpecsSayWhatIsAccepted() {
        for bad in ["bogus", "-x", "@", "@soon", "@2000:1000", "1.5", "--3", ""] {
            XCTAssertThrowsError(try spec(bad), bad) { error in
                XCTAssertTrue((error as? UsageError)?.message.hasPrefix("bad offset") ?? false, "\(bad): \(error)")
            }
        }
    }

    func testStartOffsetsAreClampedToThePartition() throws {
        XCTAssertEqual(try spec("beginning").startOffset(logStart: 5, logEnd: 20), 5)
        XCTAssertEqual(try spec("end").startOffset(logStart: 5, logEnd: 20), 20)
        XCTAssertEqual(try spec("3").startOffset(logStart: 5, logEnd: 20), 5)
        XCTAssertEqual(try spec("30").startOffset(logStart: 5, logEnd: 20), 20)
        XCTAssertEqual(try spec("-10").startOffset(logStart: 5, logEnd: 20), 10)
        XCTAssertEqual(try spec("-100").startOffset(logStart: 5, logEnd: 20), 5)
        XCTAssertNil(try spec("@1000").startOffset(logStart: 5, logEnd: 20))
    }

    func testResetStrategies() throws {
        let offset = { (strategy: ResetStrategy, committed: Int64?) throws -> Int64 in
            try strategy.newOffset(partition: "t-0", committed: committed, logStart: 10, logEnd: 100, offsetAtTime: 42)
        }
        XCTAssertEqual(try offset(.earliest, 50), 10)
        XCTAssertEqual(try offset(.latest, 50), 100)
        XCTAssertEqual(try offset(.offset(5), 50), 10)
        XCTAssertEqual(try offset(.offset(500), 50), 100)
        XCTAssertEqual(try offset(.shift(-20), 50), 30)
        XCTAssertEqual(try offset(.shift(-200), 50), 10)
        XCTAssertEqual(try offset(.shift(Int64.max), 50), 100)
        XCTAssertEqual(try offset(.datetime(0), nil), 42)
        XCTAssertEqual(try ResetStrategy.datetime(0).newOffset(partition: "t-0", committed: nil, logStart: 0, logEnd: 7, offsetAtTime: -1), 7,
                       "no record that new: the end")
        XCTAssertThrowsError(try offset(.shift(1), nil)) { error in
            XCTAssertEqual((error as? UsageError)?.message, "cannot shift the offset of t-0: the group has no committed offset there")
        }
    }

    func testTopicSelections() throws {
        XCTAssertEqual(try TopicSelection.parse("orders"), TopicSelection(topic: "orders"))
        XCTAssertEqual(try TopicSelection.parse("orders:2,0"), TopicSelection(topic: "orders", partitions: [0, 2]))
        XCTAssertEqual(try TopicSelection.parse("orders:0-2,5"), TopicSelection(topic: "orders", partitions: [0, 1, 2, 5]))
        for bad in ["", ":1", "orders:", "orders:x", "orders:3-1", "orders:-1"] {
            XCTAssertThrowsError(try TopicSelection.parse(bad), bad)
        }
    }
}
