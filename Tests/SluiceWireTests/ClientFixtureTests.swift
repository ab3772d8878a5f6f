import Foundation
import SluiceCore
import XCTest
@testable import SluiceWire

/// Record batches captured from real clients (kcat, confluent-kafka, kafka-python, aiokafka; see
/// tools/capture-fixtures.py), checked against the ground truth an independent decoder wrote
/// next to each one. These are the bytes the broker must accept exactly as the clients send them.
final class ClientFixtureTests: XCTestCase {
    private struct Fixture {
        var name: String
        var bytes: [UInt8]
        var truth: [String: Any]
    }

    private func fixtures() throws -> [Fixture] {
        let directory = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".bin") }.sorted()
        return try names.map { name in
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let jsonURL = directory.appendingPathComponent(String(name.dropLast(4)) + ".json")
            let truth = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])
            return Fixture(name: name, bytes: bytes, truth: truth)
        }
    }

    /// A JSON field as bytes: a UTF-8 string, {"base64": …}, or null.
    private func bytes(_ value: Any?) -> [UInt8]? {
        if let text = value as? String { return Array(text.utf8) }
        if let object = value as? [String: Any], let encoded = object["base64"] as? String, let data = Data(base64Encoded: encoded) { return [UInt8](data) }
        return nil
    }

    private func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    func testEveryClientBatchDecodesToItsGroundTruth() throws {
        let all = try fixtures()
        XCTAssertGreaterThanOrEqual(all.count, 8, "fixtures from four clients")
        var flags: Set<String> = []
        for fixture in all {
            let batches = try RecordBatch.decodeAll(fixture.bytes)
            let expected = try XCTUnwrap(fixture.truth["batches"] as? [[String: Any]], fixture.name)
            XCTAssertEqual(batches.count, expected.count, fixture.name)
            for (batch, truth) in zip(batches, expected) {
                let header = batch.header
                XCTAssertEqual(Int64(header.batchLength), int(truth["batchLength"]), fixture.name)
                XCTAssertEqual(Int64(header.crc), int(truth["crc"]), fixture.name)
                XCTAssertEqual(Int64(header.attributes.rawValue), int(truth["attributes"]), fixture.name)
                XCTAssertEqual(Int64(header.lastOffsetDelta), int(truth["lastOffsetDelta"]), fixture.name)
                XCTAssertEqual(header.baseTimestamp, int(truth["firstTimestamp"]), fixture.name)
                XCTAssertEqual(header.maxTimestamp, int(truth["maxTimestamp"]), fixture.name)
                XCTAssertEqual(header.producerId, int(truth["producerId"]), fixture.name)
                XCTAssertEqual(Int64(header.producerEpoch), int(truth["producerEpoch"]), fixture.name)
                XCTAssertEqual(Int64(header.baseSequence), int(truth["baseSequence"]), fixture.name)
                XCTAssertEqual(Int64(header.recordsCount), int(truth["recordsCount"]), fixture.name)
                if let lz4 = truth["lz4"] as? [String: Any], let flg = lz4["flg"] as? String {
                    flags.insert(flg)
                    XCTAssertEqual(header.attributes.codec, .lz4, fixture.name)
                }
                let records = try XCTUnwrap(truth["records"] as? [[String: Any]], fixture.name)
                XCTAssertEqual(batch.records.count, records.count, fixture.name)
                for (record, want) in zip(batch.records, records) {
                    XCTAssertEqual(record.timestampDelta, int(want["timestampDelta"]), fixture.name)
                    XCTAssertEqual(Int64(record.offsetDelta), int(want["offsetDelta"]), fixture.name)
                    XCTAssertEqual(record.key, bytes(want["key"]), fixture.name)
                    XCTAssertEqual(record.value, bytes(want["value"]), fixture.name)
                    let headers = (want["headers"] as? [[String: Any]]) ?? []
                    XCTAssertEqual(record.headers.map(\.key), headers.compactMap { $0["key"] as? String }, fixture.name)
                    XCTAssertEqual(record.headers.map(\.value), headers.map { bytes($0["value"]) }, fixture.name)
                }
            }
        }
        // librdkafka plain frames, kafka-python with content size, aiokafka with block checksums.
        XCTAssertTrue(flags.isSuperset(of: ["0x60", "0x68", "0x70"]), "frame variants seen: \(flags.sorted())")
    }

    func testClientBatchesSurviveOffsetStampingWithTheirCRC() throws {
        for fixture in try fixtures() {
            var bytes = fixture.bytes
            let headers = try bytes.withWireBytes { (buffer) throws(WireError) in try RecordBatchValidator.validateAll(buffer, maxBatchBytes: 1 << 20) }
            bytes.withUnsafeMutableBytes { RecordBatch.stamp($0, baseOffset: 1_000_000, partitionLeaderEpoch: 9) }
            let restamped = try RecordBatch.decodeAll(bytes)
            XCTAssertEqual(restamped.first?.header.baseOffset, 1_000_000, fixture.name)
            XCTAssertEqual(restamped.first?.header.crc, headers.first?.crc, fixture.name)
        }
    }

    func testFlippingAnyByteOfAClientBatchUnderTheCRCIsCaught() throws {
        for fixture in try fixtures() where fixture.bytes.count < 4096 {
            for index in stride(from: RecordBatchHeader.crcCoverageStart, to: fixture.bytes.count, by: 7) {
                var damaged = fixture.bytes
                damaged[index] ^= 0x01
                XCTAssertThrowsError(try RecordBatch.decodeAll(damaged), "\(fixture.name) byte \(index)")
            }
        }
    }
}
