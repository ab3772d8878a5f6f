import SluiceCommandLine
import XCTest

final class ValueParsingTests: XCTestCase {
    func testBrokersFromOptionThenEnvironmentThenDefault() throws {
        XCTAssertEqual(try ValueParsing.brokers(option: "a:1, b:2", environment: "c:3"), ["a:1", "b:2"])
        XCTAssertEqual(try ValueParsing.brokers(option: nil, environment: "c:3"), ["c:3"])
        XCTAssertEqual(try ValueParsing.brokers(option: nil, environment: ""), ["127.0.0.1:9092"])
        XCTAssertEqual(try ValueParsing.brokers(option: nil, environment: nil), ["127.0.0.1:9092"])
        XCTAssertThrowsError(try ValueParsing.brokers(option: ",", environment: nil))
    }

    func testTopicPartitionTakesTheLastColon() throws {
        let parsed = try ValueParsing.topicPartition("a:b:12")
        XCTAssertEqual(parsed.topic, "a:b")
        XCTAssertEqual(parsed.partition, 12)
        for bad in ["orders", ":1", "orders:", "orders:-1", "orders:x"] {
            XCTAssertThrowsError(try ValueParsing.topicPartition(bad), bad)
        }
    }

    func testBrokerIdsKeepTheirOrderAndAreDistinct() throws {
        XCTAssertEqual(try ValueParsing.brokerIds("4, 2,3", option: "--replicas"), [4, 2, 3])
        XCTAssertThrowsError(try ValueParsing.brokerIds("1,1", option: "--replicas")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "--replicas names broker 1 twice")
        }
        for bad in ["", "1,,2", "a", "-1"] {
            XCTAssertThrowsError(try ValueParsing.brokerIds(bad, option: "--replicas"), bad)
        }
    }

    func testKeyValues() throws {
        XCTAssertEqual(try ValueParsing.keyValues(["a=1", "b=x=y", "a=2", "c="], option: "-c"), ["a": "2", "b": "x=y", "c": ""])
        XCTAssertThrowsError(try ValueParsing.keyValue("novalue", option: "-H")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "-H takes KEY=VALUE, not 'novalue'")
        }
        XCTAssertThrowsError(try ValueParsing.keyValue("=v", option: "-H"))
    }

    func testAcksAndDelimiters() throws {
        XCTAssertEqual(try ValueParsing.acks("all"), -1)
        XCTAssertEqual(try ValueParsing.acks("1"), 1)
        XCTAssertEqual(try ValueParsing.acks("0"), 0)
        XCTAssertThrowsError(try ValueParsing.acks("2"))
        XCTAssertEqual(try ValueParsing.delimiter("\\t", option: "-K"), [9])
        XCTAssertEqual(try ValueParsing.delimiter("::", option: "-K"), Array("::".utf8))
    }

    func testSplitKeyAtTheFirstDelimiter() {
        let (key, value) = splitKey(Array("k1:a:b".utf8), delimiter: Array(":".utf8))
        XCTAssertEqual(key, Array("k1".utf8))
        XCTAssertEqual(value, Array("a:b".utf8))
        let (none, whole) = splitKey(Array("nokey".utf8), delimiter: Array(":".utf8))
        XCTAssertNil(none)
        XCTAssertEqual(whole, Array("nokey".utf8))
        XCTAssertEqual(splitKey(Array(":v".utf8), delimiter: Array(":".utf8)).key, [])
    }

    func testProgressLines() {
        var meter = ProgressMeter(verb: "produced", total: 200, nowNanos: 0)
        XCTAssertEqual(meter.update(done: 50, nowNanos: 1), "produced 50/200 records (25%)")
        XCTAssertNil(meter.update(done: 60, nowNanos: 100_000_000), "at most one line per interval")
        XCTAssertEqual(meter.update(done: 100, nowNanos: 2_000_000_000), "produced 100/200 records (50%, 50/s)")
        XCTAssertEqual(ProgressMeter.grouped(1_234_567), "1,234,567")
        XCTAssertEqual(ProgressMeter.grouped(-1_000), "-1,000")
        XCTAssertEqual(ProgressMeter(verb: "consumed", nowNanos: 0).line(done: 3, nowNanos: 0), "consumed 3 records")
    }
}
