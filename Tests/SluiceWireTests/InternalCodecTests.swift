import XCTest
@testable import SluiceWire

/// Tests for the inter-node codecs generated from proto/internal (Generated/Internal): every API
/// round-trips its samples, with and without nulls, and a truncated body throws.
final class InternalCodecTests: XCTestCase {
    func testKeysStartAtOneThousandAndStayOutOfKafkasEnum() {
        XCTAssertEqual(InternalApiKey.raftMessages.rawValue, 1000)
        XCTAssertEqual(InternalApiKey.brokerHeartbeat.rawValue, 1001)
        for key in InternalApiKey.allCases {
            XCTAssertNil(ApiKey(rawValue: key.rawValue), "\(key) must not be a Kafka API")
            XCTAssertEqual(key.firstFlexibleVersion, 0)
            XCTAssertEqual(key.requestHeaderVersion(0), 2)
        }
    }

    func testEverySampleRoundTrips() throws {
        for key in InternalApiKey.allCases {
            for version in key.validVersions {
                for nulls in [false, true] {
                    let body = InternalRequest.sample(key, version: version, nulls: nulls)
                    var writer = ByteWriter()
                    body.encode(into: &writer, version: version)
                    var reader = ByteReader(writer.bytes)
                    let decoded = try InternalRequest(apiKey: key, version: version, from: &reader)
                    XCTAssertEqual(decoded, body, "\(key) v\(version) nulls=\(nulls)")
                    XCTAssertTrue(reader.isAtEnd)
                }
            }
        }
    }

    func testEveryTruncationThrows() {
        for key in InternalApiKey.allCases {
            var writer = ByteWriter()
            InternalRequest.sample(key, version: 0).encode(into: &writer, version: 0)
            let bytes = writer.bytes
            for cut in 0..<bytes.count {
                var reader = ByteReader(Array(bytes[..<cut]))
                XCTAssertThrowsError(try InternalRequest(apiKey: key, version: 0, from: &reader), "\(key) cut at \(cut)")
            }
        }
    }
}
