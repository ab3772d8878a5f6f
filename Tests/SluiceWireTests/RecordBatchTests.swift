import CSluiceLZ4
import SluiceCore
import XCTest
@testable import SluiceWire

final class RecordBatchTests: XCTestCase {
    private func sampleRecords() -> [Record] {
        [Record(timestampDelta: 0, offsetDelta: 0, key: Array("k1".utf8), value: Array("hello".utf8)),
         Record(timestampDelta: 5, offsetDelta: 1, key: nil, value: Array(String(repeating: "abcdefgh", count: 50).utf8),
                headers: [RecordHeader(key: "h1", value: Array("v1".utf8)), RecordHeader(key: "h2", value: nil)]),
         Record(timestampDelta: 9, offsetDelta: 2, key: Array("k3".utf8), value: nil)]
    }

    func testKcatRecordLayoutMatchesTheObservedBytes() {
        // As captured from kcat: its record k1/hello has length 13, attributes 0, deltas 0.
        var writer = ByteWriter()
        Record(offsetDelta: 0, key: Array("k1".utf8), value: Array("hello".utf8)).encode(into: &writer)
        XCTAssertEqual(writer.bytes, [26, 0, 0, 0, 4] + Array("k1".utf8) + [10] + Array("hello".utf8) + [0])
    }

    func testRoundTripUncompressedAndLZ4() throws {
        for codec in [CompressionCodec.none, .lz4] {
            let bytes = try RecordBatch.encode(records: sampleRecords(), codec: codec, baseTimestamp: 1_700_000_000_000,
                                               producerId: 42, producerEpoch: 3, baseSequence: 10)
            let (batch, size) = try RecordBatch.decode(bytes[...])
            XCTAssertEqual(size, bytes.count)
            XCTAssertEqual(batch.records, sampleRecords())
            XCTAssertEqual(batch.header.attributes.codec, codec)
            XCTAssertEqual(batch.header.recordsCount, 3)
            XCTAssertEqual(batch.header.lastOffsetDelta, 2)
            XCTAssertEqual(batch.header.batchLength, Int32(bytes.count - 12))
            XCTAssertEqual(batch.header.maxTimestamp, 1_700_000_000_009)
            XCTAssertEqual(batch.header.producerId, 42)
            XCTAssertEqual(batch.header.producerEpoch, 3)
            XCTAssertEqual(batch.header.baseSequence, 10)
            XCTAssertEqual(batch.header.lastSequence, 12)
        }
    }

    func testLZ4ActuallyCompressesAndUsesKafkasFrameFlags() throws {
        let bytes = try RecordBatch.encode(records: sampleRecords(), codec: .lz4, baseTimestamp: 0)
        let plain = try RecordBatch.encode(records: sampleRecords(), codec: .none, baseTimestamp: 0)
        XCTAssertLessThan(bytes.count, plain.count)
        XCTAssertEqual(Array(bytes[61..<65]), [0x04, 0x22, 0x4D, 0x18])
        XCTAssertEqual(bytes[65], 0x60, "independent blocks, no checksums, no content size")
        XCTAssertEqual(bytes[66], 0x40, "64 KiB blocks")
    }

    func testAttributesBits() {
        let attributes = BatchAttributes(codec: .lz4, logAppendTime: true, transactional: true, control: true)
        XCTAssertEqual(attributes.rawValue, 3 | 8 | 16 | 32)
        XCTAssertTrue(attributes.isControl && attributes.isTransactional && attributes.isLogAppendTime)
        XCTAssertEqual(BatchAttributes(rawValue: 0x40).hasDeleteHorizon, true)
    }

    func testStampingOffsetAndEpochKeepsTheCRCValid() throws {
        var bytes = try RecordBatch.encode(records: sampleRecords(), codec: .lz4, baseTimestamp: 0)
        bytes.withUnsafeMutableBytes { RecordBatch.stamp($0, baseOffset: 12_345, partitionLeaderEpoch: 7) }
        let (batch, _) = try RecordBatch.decode(bytes[...])
        XCTAssertEqual(batch.header.baseOffset, 12_345)
        XCTAssertEqual(batch.header.partitionLeaderEpoch, 7)
        XCTAssertEqual(batch.header.lastOffset, 12_347)
    }

    func testEveryFlippedByteUnderTheCRCIsDetected() throws {
        let bytes = try RecordBatch.encode(records: sampleRecords(), codec: .lz4, baseTimestamp: 0)
        for index in RecordBatchHeader.crcCoverageStart..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0x10
            XCTAssertThrowsError(try RecordBatch.decode(damaged[...]), "byte \(index)")
        }
    }

    func testBadBatchesAreTypedErrors() throws {
        let good = try RecordBatch.encode(records: sampleRecords(), baseTimestamp: 0)
        func expect(_ bytes: [UInt8], maxBatchBytes: Int = 1 << 20, _ check: (WireError) -> Bool, _ label: String) {
            do {
                _ = try RecordBatch.decode(bytes[...], maxBatchBytes: maxBatchBytes)
                XCTFail("\(label): accepted")
            } catch {
                XCTAssertTrue(check(error), "\(label): \(error)")
            }
        }
        var negative = good
        negative.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xF0])
        expect(negative, { if case .negativeLength = $0 { return true } else { return false } }, "negative length")
        var huge = good
        huge.replaceSubrange(8..<12, with: [0x00, 0x00, 0x10, 0x00])
        expect(huge, { if case .truncated = $0 { return true } else { return false } }, "length past the end")
        expect(good, maxBatchBytes: 64, { if case .lengthTooLarge = $0 { return true } else { return false } }, "over message.max.bytes")
        var crc = good
        crc[good.count - 1] ^= 1
        expect(crc, { if case .crcMismatch = $0 { return true } else { return false } }, "crc")
        for codec: UInt8 in [1, 2, 4, 5, 6, 7] {
            var unknown = good
            unknown[22] = (unknown[22] & ~0b111) | codec
            let newCRC = CRC32C.checksum(unknown[21...])
            unknown.replaceSubrange(17..<21, with: withUnsafeBytes(of: newCRC.bigEndian, Array.init))
            expect(unknown, { $0 == .unsupportedCodec(Int(codec)) }, "codec \(codec)")
        }
        var magic = good
        magic[16] = 1
        expect(magic, { $0 == .unsupportedMagic(1) }, "magic")
        expect(Array(good[0..<40]), { if case .truncated = $0 { return true } else { return false } }, "short header")
    }

    func testTruncatedRecordVarintInsideAValidCRCIsRejected() throws {
        // Build a batch whose single record ends mid-varint, with a correct CRC over it.
        var header = RecordBatchHeader(baseOffset: 0, batchLength: 0, partitionLeaderEpoch: 0, crc: 0, attributes: BatchAttributes(codec: .none),
                                       lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, producerId: -1, producerEpoch: -1,
                                       baseSequence: -1, recordsCount: 1)
        let records: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]
        header.batchLength = Int32(RecordBatchHeader.size - 12 + records.count)
        var writer = ByteWriter()
        header.encode(into: &writer)
        writer.writeRaw(records)
        writer.patchUInt32(CRC32C.checksum(writer.bytes[21...]), at: 17)
        XCTAssertThrowsError(try RecordBatch.decode(writer.bytes[...]))
    }

    func testHostileRecordAndHeaderCountsDoNotAllocate() throws {
        var batch = try RecordBatch.encode(records: [Record(offsetDelta: 0, key: nil, value: [1])], baseTimestamp: 0)
        batch.replaceSubrange(57..<61, with: [0x7F, 0xFF, 0xFF, 0xFF])
        batch.replaceSubrange(17..<21, with: withUnsafeBytes(of: CRC32C.checksum(batch[21...]).bigEndian, Array.init))
        XCTAssertThrowsError(try RecordBatch.decode(batch[...]))
        var reader = ByteReader([0x0C, 0x00, 0x00, 0x00, 0x01, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00])
        XCTAssertThrowsError(try Record.decode(from: &reader))
    }

    func testLZ4DecodeAcceptsContentSizeAndBlockChecksumFramesButNotLinkedBlocks() throws {
        let payload = Array(String(repeating: "{\"event\":\"click\",\"user\":42}", count: 5000).utf8) // over one 64 KiB block, so linked mode is really used
        func frame(contentSize: Bool, blockChecksum: Bool, contentChecksum: Bool, linked: Bool) -> [UInt8] {
            var preferences = LZ4F_preferences_t()
            preferences.frameInfo.blockSizeID = LZ4F_max64KB
            preferences.frameInfo.blockMode = linked ? LZ4F_blockLinked : LZ4F_blockIndependent
            preferences.frameInfo.contentSize = contentSize ? UInt64(payload.count) : 0
            preferences.frameInfo.blockChecksumFlag = blockChecksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum
            preferences.frameInfo.contentChecksumFlag = contentChecksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum
            var output = [UInt8](repeating: 0, count: LZ4F_compressFrameBound(payload.count, &preferences))
            let written = output.withUnsafeMutableBytes { out in
                payload.withUnsafeBytes { LZ4F_compressFrame(out.baseAddress, out.count, $0.baseAddress, $0.count, &preferences) }
            }
            return Array(output[0..<written])
        }
        for (size, blockSum, contentSum) in [(false, false, false), (true, false, false), (false, true, false), (true, true, true)] {
            let bytes = frame(contentSize: size, blockChecksum: blockSum, contentChecksum: contentSum, linked: false)
            XCTAssertEqual(try LZ4Frame.decompress(bytes[...], maxOutputBytes: 1 << 20), payload)
        }
        let linked = frame(contentSize: false, blockChecksum: false, contentChecksum: false, linked: true)
        XCTAssertThrowsError(try LZ4Frame.decompress(linked[...], maxOutputBytes: 1 << 20))
        let plain = frame(contentSize: false, blockChecksum: false, contentChecksum: false, linked: false)
        XCTAssertThrowsError(try LZ4Frame.decompress(plain[...], maxOutputBytes: 1000), "output bound")
        XCTAssertThrowsError(try LZ4Frame.decompress(plain[0..<(plain.count - 3)], maxOutputBytes: 1 << 20), "cut frame")
    }
}

final class RecordValidationTests: XCTestCase {
    private func validate(_ bytes: [UInt8]) throws {
        try bytes.withWireBytes { (buffer) throws(WireError) in
            let header = try RecordBatchValidator.validate(buffer, maxBatchBytes: 1 << 20)
            try RecordBatchValidator.validateRecords(buffer, header: header, maxDecompressedBytes: 1 << 20)
        }
    }

    private func records(_ count: Int) -> [Record] {
        (0..<count).map { Record(offsetDelta: Int32($0), key: nil, value: Array("v\($0)".utf8)) }
    }

    func testWellFormedBatchesPass() throws {
        for codec in [CompressionCodec.none, .lz4] {
            try validate(try RecordBatch.encode(records: records(5), codec: codec, baseTimestamp: 0))
        }
    }

    func testARecordCountThatLiesUnderAValidCRCIsRejected() throws {
        for codec in [CompressionCodec.none, .lz4] {
            // Header says 5 records (last delta 4), the section holds 4.
            var bytes = try RecordBatch.encode(records: records(4), codec: codec, baseTimestamp: 0)
            bytes.replaceSubrange(57..<61, with: [0, 0, 0, 5])
            bytes.replaceSubrange(23..<27, with: [0, 0, 0, 4])
            bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: CRC32C.checksum(bytes[21...]).bigEndian, Array.init))
            XCTAssertThrowsError(try validate(bytes), "\(codec)")
        }
    }

    func testOffsetDeltasMustRunInOrder() throws {
        var shuffled = records(3)
        shuffled[1].offsetDelta = 2
        shuffled[2].offsetDelta = 1
        XCTAssertThrowsError(try validate(try RecordBatch.encode(records: shuffled, baseTimestamp: 0)))
    }
}
