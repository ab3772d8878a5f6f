@testable import SluiceCommandLine
import SluiceCore
import XCTest

final class DateTimeTests: XCTestCase {
    func testISO8601Forms() {
        XCTAssertEqual(DateTime.parseISO8601("1970-01-01"), 0)
        XCTAssertEqual(DateTime.parseISO8601("2024-05-01T12:30:00Z"), 1_714_566_600_000)
        XCTAssertEqual(DateTime.parseISO8601("2024-05-01 12:30"), 1_714_566_600_000, "no zone is UTC; a space works as T")
        XCTAssertEqual(DateTime.parseISO8601("2024-05-01T14:30:00+02:00"), 1_714_566_600_000)
        XCTAssertEqual(DateTime.parseISO8601("2024-05-01T07:30:00-0500"), 1_714_566_600_000)
        XCTAssertEqual(DateTime.parseISO8601("2024-05-01T12:30:00.25Z"), 1_714_566_600_250)
        XCTAssertEqual(DateTime.parseISO8601("2024-02-29T00:00:00Z"), 1_709_164_800_000)
        for bad in ["2023-02-29", "2024-13-01", "2024-05-01T25:00", "2024-05-01T12:30:00Q", "yesterday", "2024-5-1"] {
            XCTAssertNil(DateTime.parseISO8601(bad), bad)
        }
    }

    func testFormattingRoundTrips() {
        XCTAssertEqual(DateTime.formatISO8601(millis: 1_714_566_600_250), "2024-05-01T12:30:00.250Z")
        XCTAssertEqual(DateTime.formatISO8601(millis: -1), "1969-12-31T23:59:59.999Z")
        var random = SeededRandom(seed: 7)  // the same dates on every run
        for _ in 0..<1_000 {
            let millis = Int64(random.next() % 8_000_000_000_000) - 1_000_000_000_000
            XCTAssertEqual(DateTime.parseISO8601(DateTime.formatISO8601(millis: millis)), millis)
        }
    }

    func testCivilDayConversionsAgree() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (year, month, day) = DateTime.civilFromDays(days)
            XCTAssertEqual(DateTime.daysFromCivil(year: year, month: month, day: day), days)
        }
    }

    func testDurationsAndTimestamps() {
        XCTAssertEqual(DateTime.parseDuration("500ms"), 500)
        XCTAssertEqual(DateTime.parseDuration("30s"), 30_000)
        XCTAssertEqual(DateTime.parseDuration("15m"), 900_000)
        XCTAssertEqual(DateTime.parseDuration("2h"), 7_200_000)
        XCTAssertEqual(DateTime.parseDuration("7d"), 604_800_000)
        XCTAssertEqual(DateTime.parseDuration("1w"), 604_800_000)
        XCTAssertNil(DateTime.parseDuration("1.5h"))
        XCTAssertNil(DateTime.parseDuration("h"))
        XCTAssertNil(DateTime.parseDuration("99999999999999999999d"))
        XCTAssertEqual(DateTime.parseTimestamp("-1h", nowMillis: 10_000_000), 6_400_000)
        XCTAssertEqual(DateTime.parseTimestamp("123", nowMillis: 0), 123)
    }
}
