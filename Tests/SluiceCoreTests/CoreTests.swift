import SluiceCore
import XCTest

final class CRC32CTests: XCTestCase {
    func testKnownVectorsOfTheCastagnoliPolynomial() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum([]), 0)
    }

    func testHardwareAndTablePathsAgreeOnEveryLengthAndAlignment() {
        var random = SeededRandom(seed: 7)
        let bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4096, 16_384, 65_537] {
            for start in 0..<3 {
                let slice = Array(bytes[start..<(start + length)])
                XCTAssertEqual(CRC32C.checksum(slice), CRC32C.portableChecksum(slice), "length \(length) at \(start)")
            }
        }
    }

    func testChecksumsContinueAcrossPieces() {
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        let first = whole[..<10].withUnsafeBytes { CRC32C.checksum($0) }
        let continued = whole[10...].withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
        XCTAssertEqual(continued, CRC32C.checksum(whole))
    }
}

final class SeededRandomTests: XCTestCase {
    func testTheSameSeedReplaysTheSameSequence() {
        var a = SeededRandom(seed: 42)
        var b = SeededRandom(seed: 42)
        var c = SeededRandom(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        XCTAssertEqual(first, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(first, (0..<100).map { _ in c.next() })
    }

    func testRangesAndChancesStayInBounds() {
        var random = SeededRandom(seed: 1)
        var hits = 0
        for _ in 0..<10_000 {
            XCTAssertTrue((3...9).contains(random.int(in: 3...9)))
            if random.chance(0.25) { hits += 1 }
        }
        XCTAssertTrue((2_200...2_800).contains(hits), "about a quarter: \(hits)")
    }
}

final class IdentifierTests: XCTestCase {
    func testStrongTypesOrderAndPrintLikeTheirNumbers() {
        XCTAssertLessThan(Term(1), Term(2))
        XCTAssertEqual(TopicPartition(topic: "orders", partition: PartitionID(7)).description, "orders-7")
    }
}
