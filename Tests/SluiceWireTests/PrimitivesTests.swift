import SluiceCore
import XCTest
@testable import SluiceWire

final class PrimitivesTests: XCTestCase {
    func testZigzagVarintsMatchKafkaVectors() throws {
        // (value, bytes) pairs from the protocol guide's zigzag definition.
        let vectors: [(Int32, [UInt8])] = [(0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (63, [0x7E]), (-64, [0x7F]),
                                            (64, [0x80, 0x01]), (300, [0xD8, 0x04]), (Int32.max, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
                                            (Int32.min, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])]
        for (value, bytes) in vectors {
            var writer = ByteWriter()
            writer.writeVarint(value)
            XCTAssertEqual(writer.bytes, bytes, "encoding \(value)")
            var reader = ByteReader(bytes)
            XCTAssertEqual(try reader.readVarint(), value)
            XCTAssertTrue(reader.isAtEnd)
        }
    }

    func testVarlongRoundTripsExtremes() throws {
        for value: Int64 in [0, -1, 1, Int64.max, Int64.min, 1_700_000_000_000, -1_700_000_000_000] {
            var writer = ByteWriter()
            writer.writeVarlong(value)
            var reader = ByteReader(writer.bytes)
            XCTAssertEqual(try reader.readVarlong(), value)
        }
    }

    func testAClassicStringLongerThanItsLengthCanSayIsCutAtAWholeCharacter() throws {
        let long = String(repeating: "€", count: 12_000)  // 36,000 bytes, three per character
        var writer = ByteWriter()
        writer.writeString(long)
        writer.writeInt32(7)  // what follows must still be where the reader looks
        var reader = ByteReader(writer.bytes)
        let read = try reader.readString()
        XCTAssertEqual(read, String(repeating: "€", count: 10_922))  // 32,766 bytes: 32,767 would split one
        XCTAssertEqual(try reader.readInt32(), 7)
        var exact = ByteWriter()
        exact.writeString(String(repeating: "a", count: 32_767))
        XCTAssertEqual(exact.bytes.count, 2 + 32_767)
    }

    func testUnsignedVarintIsNotZigzag() throws {
        var writer = ByteWriter()
        writer.writeUnsignedVarint(1)
        writer.writeUnsignedVarint(128)
        XCTAssertEqual(writer.bytes, [0x01, 0x80, 0x01])
    }

    func testTruncatedVarintIsATypedError() {
        var reader = ByteReader([0x80, 0x80])
        XCTAssertThrowsError(try reader.readVarint()) { error in
            guard case WireError.truncated = error else { return XCTFail("expected truncated, got \(error)") }
        }
    }

    func testOverlongVarintIsRejected() {
        var reader = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        XCTAssertThrowsError(try reader.readVarint()) { error in
            XCTAssertEqual(error as? WireError, .malformedVarint(what: "varint"))
        }
    }

    func testStringLengthsAreCheckedBeforeAllocation() {
        var negative = ByteReader([0xFF, 0xFE])
        XCTAssertThrowsError(try negative.readString()) { XCTAssertEqual($0 as? WireError, .negativeLength(what: "string", length: -2)) }
        var tooLong = ByteReader([0x7F, 0xFF, 0x41])
        XCTAssertThrowsError(try tooLong.readString()) { error in
            guard case WireError.truncated = error else { return XCTFail("\(error)") }
        }
        var hostileArray = ByteReader([0x7F, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try hostileArray.readArrayCount(minimumElementBytes: 4))
        var nullString = ByteReader([0xFF, 0xFF])
        XCTAssertNil(try nullString.readNullableString())
    }

    func testCompactFormsUseLengthPlusOne() throws {
        var writer = ByteWriter()
        writer.writeCompactString("ab")
        writer.writeCompactNullableString(nil)
        writer.writeCompactArrayCount(3)
        writer.writeEmptyTaggedFields()
        XCTAssertEqual(writer.bytes, [0x03, 0x61, 0x62, 0x00, 0x04, 0x00])
        var reader = ByteReader(writer.bytes)
        XCTAssertEqual(try reader.readCompactString(), "ab")
        XCTAssertNil(try reader.readCompactNullableString())
        XCTAssertEqual(try reader.readCompactArrayCount(minimumElementBytes: 0), 3)
        try reader.readTaggedFields()
        XCTAssertTrue(reader.isAtEnd)
    }

    func testUnknownTaggedFieldsAreSkipped() throws {
        var writer = ByteWriter()
        writer.writeTaggedFields([(tag: 7, value: [1, 2, 3]), (tag: 2, value: [9])])
        writer.writeInt8(42)
        var reader = ByteReader(writer.bytes)
        var seen: [UInt32] = []
        try reader.readTaggedFields { tag, _ in seen.append(tag) }
        XCTAssertEqual(seen, [2, 7])
        XCTAssertEqual(try reader.readInt8(), 42)
    }
}
