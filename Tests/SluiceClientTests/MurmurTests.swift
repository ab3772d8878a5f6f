import SluiceClient
import XCTest

/// Vectors from Apache Kafka's `UtilsTest.testMurmur2` and partition choices of the Java client.
final class MurmurTests: XCTestCase {
    func testMurmur2MatchesJavaVectors() {
        let cases: [([UInt8], Int32)] = [
            (Array("21".utf8), -973_932_308),
            (Array("foobar".utf8), -790_332_482),
            (Array("a-little-bit-long-string".utf8), -985_981_536),
            (Array("a-little-bit-longer-string".utf8), -1_486_304_829),
            (Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8), -58_897_971),
            ([UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "c")], 479_470_107),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(Partitioner.murmur2(input), expected, String(decoding: input, as: UTF8.self))
        }
    }

    func testPartitionIsPositiveModulo() {
        // murmur2("foobar") = -790332482; & 0x7fffffff = 1357151166; % 3 = 0; % 7 = 4.
        XCTAssertEqual(Partitioner.partition(forKey: Array("foobar".utf8), partitionCount: 3), 1_357_151_166 % 3)
        XCTAssertEqual(Partitioner.partition(forKey: Array("foobar".utf8), partitionCount: 7), 1_357_151_166 % 7)
        XCTAssertEqual(Partitioner.partition(forKey: [], partitionCount: 1), 0)
    }
}
