import SluiceCore

/// Compression codec, bits 0–2 of a batch's attributes.
public enum CompressionCodec: Int, Sendable, CaseIterable {
    case none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4
}

/// Bit layout of a RecordBatch's `attributes` field.
public struct BatchAttributes: Equatable, Sendable {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }
    public init(codec: CompressionCodec, logAppendTime: Bool = false, transactional: Bool = false, control: Bool = false) {
        var raw = Int16(codec.rawValue)
        if logAppendTime { raw |= 1 << 3 }
        if transactional { raw |= 1 << 4 }
        if control { raw |= 1 << 5 }
        self.rawValue = raw
    }
    /// The raw codec bits; values above 4 are not assigned by Kafka.
    public var codecBits: Int { Int(rawValue & 0b111) }
    public var codec: CompressionCodec? { CompressionCodec(rawValue: codecBits) }
    public var isLogAppendTime: Bool { rawValue & (1 << 3) != 0 }
    public var isTransactional: Bool { rawValue & (1 << 4) != 0 }
    public var isControl: Bool { rawValue & (1 << 5) != 0 }
    public var hasDeleteHorizon: Bool { rawValue & (1 << 6) != 0 }
}

/// The fixed 61-byte header of a RecordBatch v2 (Kafka `DefaultRecordBatch`), in wire order.
///
/// Only `baseOffset` and `partitionLeaderEpoch` sit outside the CRC, so the broker can stamp
/// them on a producer's bytes without recomputing it.
public struct RecordBatchHeader: Equatable, Sendable {
    public static let size = 61
    /// Bytes before the `batchLength` field's coverage starts (baseOffset + batchLength).
    public static let logOverhead = 12
    public static let crcOffset = 17
    /// The CRC covers from the attributes to the end of the batch.
    public static let crcCoverageStart = 21
    public static let magicV2: Int8 = 2

    public var baseOffset: Int64
    /// Bytes after this field: total batch size − 12.
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: BatchAttributes
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordsCount: Int32

    /// Total bytes of the batch on the wire.
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    public var isIdempotent: Bool { producerId >= 0 }
    /// The last sequence number this batch covers, wrapping after Int32.max as Kafka does.
    public var lastSequence: Int32 {
        let last = Int64(baseSequence) + Int64(lastOffsetDelta)
        return last > Int64(Int32.max) ? Int32(truncatingIfNeeded: last - Int64(Int32.max) - 1) : Int32(last)
    }

    public init(baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32, magic: Int8 = RecordBatchHeader.magicV2, crc: UInt32,
                attributes: BatchAttributes, lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64,
                producerId: Int64, producerEpoch: Int16, baseSequence: Int32, recordsCount: Int32) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordsCount = recordsCount
    }

    /// Reads the header fields at the reader's position, checking only that 61 bytes are there.
    public static func read(from reader: inout ByteReader) throws(WireError) -> RecordBatchHeader {
        guard reader.remaining >= size else {
            throw .truncated(what: "record batch header", needed: size, remaining: reader.remaining)
        }
        return RecordBatchHeader(
            baseOffset: try reader.readInt64(), batchLength: try reader.readInt32(), partitionLeaderEpoch: try reader.readInt32(),
            magic: try reader.readInt8(), crc: try reader.readUInt32(), attributes: BatchAttributes(rawValue: try reader.readInt16()),
            lastOffsetDelta: try reader.readInt32(), baseTimestamp: try reader.readInt64(), maxTimestamp: try reader.readInt64(),
            producerId: try reader.readInt64(), producerEpoch: try reader.readInt16(), baseSequence: try reader.readInt32(),
            recordsCount: try reader.readInt32())
    }

    /// Reads a header from raw memory (the log's hot path, no copy of the batch).
    public static func read(from buffer: UnsafeRawBufferPointer) throws(WireError) -> RecordBatchHeader {
        guard buffer.count >= size else {
            throw .truncated(what: "record batch header", needed: size, remaining: buffer.count)
        }
        func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        return RecordBatchHeader(
            baseOffset: load(0, Int64.self), batchLength: load(8, Int32.self), partitionLeaderEpoch: load(12, Int32.self),
            magic: load(16, Int8.self), crc: load(17, UInt32.self), attributes: BatchAttributes(rawValue: load(21, Int16.self)),
            lastOffsetDelta: load(23, Int32.self), baseTimestamp: load(27, Int64.self), maxTimestamp: load(35, Int64.self),
            producerId: load(43, Int64.self), producerEpoch: load(51, Int16.self), baseSequence: load(53, Int32.self),
            recordsCount: load(57, Int32.self))
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt64(baseOffset)
        writer.writeInt32(batchLength)
        writer.writeInt32(partitionLeaderEpoch)
        writer.writeInt8(magic)
        writer.writeUInt32(crc)
        writer.writeInt16(attributes.rawValue)
        writer.writeInt32(lastOffsetDelta)
        writer.writeInt64(baseTimestamp)
        writer.writeInt64(maxTimestamp)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        writer.writeInt32(baseSequence)
        writer.writeInt32(recordsCount)
    }
}

/// Checks a batch's framing and checksum without decoding its records: the length against the
/// bytes present and the size limit, the magic, the codec, and the CRC-32C over bytes 21…end.
public enum RecordBatchValidator {
    /// The smallest record: length, attributes, timestamp delta, offset delta, key length, value
    /// length and header count, one byte each.
    public static let recordBytesMin = 7

    /// Validates the batch starting at `buffer[0]`, which may be followed by more bytes.
    /// Returns the header; the batch occupies `header.totalSize` bytes.
    public static func validate(_ buffer: UnsafeRawBufferPointer, maxBatchBytes: Int) throws(WireError) -> RecordBatchHeader {
        let header = try checkFraming(buffer, maxBatchBytes: maxBatchBytes)
        let covered = UnsafeRawBufferPointer(rebasing: buffer[RecordBatchHeader.crcCoverageStart..<header.totalSize])
        let computed = CRC32C.checksum(covered)
        guard computed == header.crc else { throw .crcMismatch(stored: header.crc, computed: computed) }
        return header
    }

    /// The length, magic and codec checks alone, with the whole batch present in `buffer`.
    public static func checkFraming(_ buffer: UnsafeRawBufferPointer, maxBatchBytes: Int) throws(WireError) -> RecordBatchHeader {
        guard buffer.count >= RecordBatchHeader.logOverhead else {
            throw .truncated(what: "record batch", needed: RecordBatchHeader.logOverhead, remaining: buffer.count)
        }
        let batchLength = Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        if batchLength >= 0 {
            let total = Int(batchLength) + RecordBatchHeader.logOverhead
            guard total <= maxBatchBytes else { throw .lengthTooLarge(what: "record batch", length: Int64(total), limit: maxBatchBytes) }
            guard total <= buffer.count else { throw .truncated(what: "record batch", needed: total, remaining: buffer.count) }
        }
        return try checkHeader(buffer, maxBatchBytes: maxBatchBytes)
    }

    /// Checks the 61-byte header at the start of `buffer` (length field, magic, codec, counts)
    /// without needing the rest of the batch: for walking batch headers on disk.
    public static func checkHeader(_ buffer: UnsafeRawBufferPointer, maxBatchBytes: Int) throws(WireError) -> RecordBatchHeader {
        let header = try RecordBatchHeader.read(from: buffer)
        let minimumLength = Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead)
        guard header.batchLength >= minimumLength else {
            if header.batchLength < 0 { throw .negativeLength(what: "record batch", length: Int64(header.batchLength)) }
            throw .inconsistent("batch length \(header.batchLength) is shorter than the \(RecordBatchHeader.size)-byte header")
        }
        guard header.totalSize <= maxBatchBytes else {
            throw .lengthTooLarge(what: "record batch", length: Int64(header.totalSize), limit: maxBatchBytes)
        }
        guard header.magic == RecordBatchHeader.magicV2 else { throw .unsupportedMagic(header.magic) }
        guard header.attributes.codec != nil else { throw .unsupportedCodec(header.attributes.codecBits) }
        guard header.recordsCount >= 0, header.lastOffsetDelta >= 0 else {
            throw .negativeRecordCount(count: header.recordsCount, lastOffsetDelta: header.lastOffsetDelta)
        }
        return header
    }

    /// Walks a buffer of concatenated batches (a Produce request's records), validating each.
    /// A trailing partial batch is an error: producers never send one.
    public static func validateAll(_ buffer: UnsafeRawBufferPointer, maxBatchBytes: Int) throws(WireError) -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        var position = 0
        while position < buffer.count {
            let header = try validate(UnsafeRawBufferPointer(rebasing: buffer[position...]), maxBatchBytes: maxBatchBytes)
            headers.append(header)
            position += header.totalSize
        }
        return headers
    }
}

/// A fully decoded RecordBatch v2: its header and its records, decompressed.
public struct RecordBatch: Equatable, Sendable {
    public var header: RecordBatchHeader
    public var records: [Record]

    public init(header: RecordBatchHeader, records: [Record]) {
        self.header = header
        self.records = records
    }

    /// Builds a batch from records, filling in lengths, counts, timestamps and the CRC.
    /// `baseTimestamp` is the first record's time; records carry deltas from it.
    public static func encode(
        records: [Record], baseOffset: Int64 = 0, partitionLeaderEpoch: Int32 = -1, codec: CompressionCodec = .none,
        baseTimestamp: Int64, maxTimestamp: Int64? = nil, logAppendTime: Bool = false, transactional: Bool = false, control: Bool = false,
        producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1
    ) throws(WireError) -> [UInt8] {
        guard codec == .none || codec == .lz4 else { throw .unsupportedCodec(codec.rawValue) }
        var recordBytes = ByteWriter(capacity: records.count * 64)
        for record in records { record.encode(into: &recordBytes) }
        return try encode(
            recordBytes: recordBytes.bytes, recordsCount: records.count, lastOffsetDelta: records.map(\.offsetDelta).max() ?? 0,
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, codec: codec, baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp ?? (records.map { baseTimestamp + $0.timestampDelta }.max() ?? -1), logAppendTime: logAppendTime,
            transactional: transactional, control: control, producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence)
    }

    /// Builds a batch around records already encoded back to back (`Record.encode(into:…)`, not
    /// compressed): compresses them with `codec`, fills in the header and the CRC. For producers
    /// that write records straight from their own buffers.
    public static func encode(
        recordBytes: [UInt8], recordsCount: Int, lastOffsetDelta: Int32, baseOffset: Int64 = 0, partitionLeaderEpoch: Int32 = -1,
        codec: CompressionCodec = .none, baseTimestamp: Int64, maxTimestamp: Int64, logAppendTime: Bool = false,
        transactional: Bool = false, control: Bool = false, producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1
    ) throws(WireError) -> [UInt8] {
        guard codec == .none || codec == .lz4 else { throw .unsupportedCodec(codec.rawValue) }
        let payload = codec == .lz4 ? try LZ4Frame.compress(recordBytes) : recordBytes
        var header = RecordBatchHeader(
            baseOffset: baseOffset, batchLength: Int32(clamping: RecordBatchHeader.size - RecordBatchHeader.logOverhead + payload.count),
            partitionLeaderEpoch: partitionLeaderEpoch, crc: 0,
            attributes: BatchAttributes(codec: codec, logAppendTime: logAppendTime, transactional: transactional, control: control),
            lastOffsetDelta: lastOffsetDelta, baseTimestamp: recordsCount == 0 ? -1 : baseTimestamp,
            maxTimestamp: maxTimestamp, producerId: producerId, producerEpoch: producerEpoch,
            baseSequence: baseSequence, recordsCount: Int32(clamping: recordsCount))
        var writer = ByteWriter(capacity: RecordBatchHeader.size + payload.count)
        header.encode(into: &writer)
        writer.writeRaw(payload)
        // No second reference to the buffer while patching: the CRC write must not copy the batch.
        header.crc = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[RecordBatchHeader.crcCoverageStart...])) }
        writer.patchUInt32(header.crc, at: RecordBatchHeader.crcOffset)
        return writer.bytes
    }

    /// Decodes the batch at the start of `bytes` (validating CRC and framing first), decompressing
    /// at most `maxDecompressedBytes`. Returns the batch and the bytes it took.
    public static func decode(_ bytes: ArraySlice<UInt8>, maxBatchBytes: Int = Limits.messageBytesMaxDefault,
                              maxDecompressedBytes: Int = 64 * 1024 * 1024) throws(WireError) -> (batch: RecordBatch, size: Int) {
        let header = try validatedHeader(bytes, maxBatchBytes: maxBatchBytes)
        let payloadStart = bytes.startIndex + RecordBatchHeader.size
        let payload = bytes[payloadStart..<(bytes.startIndex + header.totalSize)]
        return (try decodeRecords(header: header, payload: payload, uncompressed: ByteReader(Array(payload)),
                                  maxDecompressedBytes: maxDecompressedBytes), header.totalSize)
    }

    /// Decodes the batch at `position` of `bytes` like `decode(_:maxBatchBytes:maxDecompressedBytes:)`;
    /// uncompressed records are read in place, without copying the batch first (a consumer's
    /// fetch response holds many megabytes of them).
    public static func decode(_ bytes: [UInt8], at position: Int, maxBatchBytes: Int = Limits.messageBytesMaxDefault,
                              maxDecompressedBytes: Int = 64 * 1024 * 1024) throws(WireError) -> (batch: RecordBatch, size: Int) {
        precondition(position >= 0 && position <= bytes.count, "batch position outside its buffer")
        let header = try validatedHeader(bytes[position...], maxBatchBytes: maxBatchBytes)
        let payloadRange = (position + RecordBatchHeader.size)..<(position + header.totalSize)
        return (try decodeRecords(header: header, payload: bytes[payloadRange], uncompressed: ByteReader(bytes, range: payloadRange),
                                  maxDecompressedBytes: maxDecompressedBytes), header.totalSize)
    }

    private static func validatedHeader(_ bytes: ArraySlice<UInt8>, maxBatchBytes: Int) throws(WireError) -> RecordBatchHeader {
        try bytes.withWireBytes { (buffer) throws(WireError) -> RecordBatchHeader in
            try RecordBatchValidator.validate(buffer, maxBatchBytes: maxBatchBytes)
        }
    }

    /// The records of a validated batch: from `uncompressed` (a reader over the payload) when the
    /// batch is not compressed, else decompressed from `payload`.
    private static func decodeRecords(header: RecordBatchHeader, payload: ArraySlice<UInt8>, uncompressed: @autoclosure () -> ByteReader,
                                      maxDecompressedBytes: Int) throws(WireError) -> RecordBatch {
        var reader: ByteReader
        switch header.attributes.codec {
        case .none?: reader = uncompressed()
        case .lz4?: reader = ByteReader(try LZ4Frame.decompress(payload, maxOutputBytes: maxDecompressedBytes))
        case let other: throw .unsupportedCodec(other?.rawValue ?? header.attributes.codecBits)
        }
        // Each record is at least 7 bytes (length, attributes, 2 deltas, key, value, header count).
        guard Int(header.recordsCount) * 7 <= reader.remaining else {
            throw .truncated(what: "records", needed: Int(header.recordsCount) * 7, remaining: reader.remaining)
        }
        var records: [Record] = []
        records.reserveCapacity(Int(header.recordsCount))
        for _ in 0..<header.recordsCount { records.append(try Record.decode(from: &reader)) }
        guard reader.isAtEnd else { throw .inconsistent("\(reader.remaining) bytes after the last of \(header.recordsCount) records") }
        return RecordBatch(header: header, records: records)
    }

    /// Decodes every batch in a buffer of concatenated batches.
    public static func decodeAll(_ bytes: [UInt8], maxBatchBytes: Int = Limits.messageBytesMaxDefault) throws(WireError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var position = 0
        while position < bytes.count {
            let (batch, size) = try decode(bytes[position...], maxBatchBytes: maxBatchBytes)
            batches.append(batch)
            position += size
        }
        return batches
    }

    /// Stamps the broker-owned fields into an encoded batch in place; the CRC stays valid
    /// because neither field is covered by it.
    public static func stamp(_ buffer: UnsafeMutableRawBufferPointer, baseOffset: Int64, partitionLeaderEpoch: Int32) {
        precondition(buffer.count >= RecordBatchHeader.size, "stamping a buffer shorter than a batch header")
        buffer.storeBytes(of: baseOffset.bigEndian, toByteOffset: 0, as: Int64.self)
        buffer.storeBytes(of: partitionLeaderEpoch.bigEndian, toByteOffset: 12, as: Int32.self)
    }
}

extension RecordBatchValidator {
    /// Checks the records inside a batch whose framing and CRC already passed: every record's
    /// length fits, offset deltas run 0, 1, 2, …, and their number matches `recordsCount` and
    /// `lastOffsetDelta`. A client bug that writes a wrong count under a correct CRC would
    /// otherwise reach every consumer. LZ4 records are decompressed (at most
    /// `maxDecompressedBytes`); gzip, snappy and zstd batches are stored as sent, only their
    /// declared count checked.
    public static func validateRecords(_ batch: UnsafeRawBufferPointer, header: RecordBatchHeader, maxDecompressedBytes: Int) throws(WireError) {
        // Checked whatever the codec: a batch's offsets advance the log by its record count, and
        // records compressed with a codec this broker cannot read (gzip, snappy, zstd) are
        // stored as sent, so their count is all it can hold them to. A record takes 7 bytes at
        // least, so no batch can hold more than its decompressed limit allows.
        let count = Int(header.recordsCount)
        guard count >= 1, count <= maxDecompressedBytes / RecordBatchValidator.recordBytesMin else {
            throw .inconsistent("a batch of \(count) records (1...\(maxDecompressedBytes / RecordBatchValidator.recordBytesMin))")
        }
        guard Int(header.lastOffsetDelta) == count - 1 else {
            throw .inconsistent("last offset delta \(header.lastOffsetDelta) does not match \(count) records")
        }
        let payload = ArraySlice(UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.size..<header.totalSize]))
        let records: [UInt8]
        switch header.attributes.codec {
        case .none?: records = Array(payload)
        case .lz4?: records = try LZ4Frame.decompress(payload, maxOutputBytes: maxDecompressedBytes)
        default: return
        }
        var reader = ByteReader(records)
        for expected in 0..<count {
            let length = Int(try reader.readVarint("record length"))
            guard length >= 3 else { throw .inconsistent("record \(expected) has length \(length)") }
            let range = try reader.skip(length, "record")
            var body = ByteReader(records, range: range)
            _ = try body.readInt8("record attributes")
            _ = try body.readVarlong("record timestamp delta")
            let offsetDelta = try body.readVarint("record offset delta")
            guard offsetDelta == Int32(expected) else {
                throw .inconsistent("record \(expected) has offset delta \(offsetDelta)")
            }
        }
        guard reader.isAtEnd else { throw .inconsistent("\(reader.remaining) bytes after the \(count) records the header counts") }
    }
}
