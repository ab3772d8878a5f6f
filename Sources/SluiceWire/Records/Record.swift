/// One header of a record: a UTF-8 key (never null) and a nullable value.
public struct RecordHeader: Equatable, Sendable {
    public var key: String
    public var value: [UInt8]?
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// One record inside a RecordBatch v2 (Kafka `DefaultRecord`). Positions and times are deltas
/// from the batch's base offset and base timestamp.
public struct Record: Equatable, Sendable {
    public var attributes: Int8
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: [UInt8]?
    /// Null is a tombstone.
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(attributes: Int8 = 0, timestampDelta: Int64 = 0, offsetDelta: Int32, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.attributes = attributes
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Appends this record with its leading zigzag length.
    public func encode(into writer: inout ByteWriter) {
        Self.encode(into: &writer, attributes: attributes, timestampDelta: timestampDelta, offsetDelta: offsetDelta,
                    key: key, value: value, headers: headers)
    }

    /// Appends one record from its fields, with its leading zigzag length. The length is
    /// computed first, so the record is written once, straight into `writer` (no buffer per record).
    public static func encode(into writer: inout ByteWriter, attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32,
                              key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
        var length = 1 + varlongSize(timestampDelta) + varlongSize(Int64(offsetDelta))
        length += bytesFieldSize(key?.count) + bytesFieldSize(value?.count)
        length += varlongSize(Int64(headers.count))
        for header in headers {
            length += bytesFieldSize(header.key.utf8.count) + bytesFieldSize(header.value?.count)
        }
        writer.writeVarint(Int32(clamping: length))
        let start = writer.count
        writer.writeInt8(attributes)
        writer.writeVarlong(timestampDelta)
        writer.writeVarint(offsetDelta)
        writeVarintBytes(key, into: &writer)
        writeVarintBytes(value, into: &writer)
        writer.writeVarint(Int32(clamping: headers.count))
        for header in headers {
            writer.writeVarint(Int32(clamping: header.key.utf8.count))
            writer.writeRaw(header.key.utf8)
            writeVarintBytes(header.value, into: &writer)
        }
        assert(writer.count - start == length, "record length computed as \(length), written \(writer.count - start)")
    }

    /// Bytes of a zigzag varlong.
    private static func varlongSize(_ value: Int64) -> Int {
        let zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        return max(1, (64 - zigzag.leadingZeroBitCount + 6) / 7)
    }

    /// Bytes of a varint length (-1 for null) plus the bytes themselves.
    private static func bytesFieldSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return varlongSize(Int64(count)) + count
    }

    private static func writeVarintBytes(_ bytes: [UInt8]?, into writer: inout ByteWriter) {
        guard let bytes else { return writer.writeVarint(-1) }
        writer.writeVarint(Int32(clamping: bytes.count))
        writer.writeRaw(bytes)
    }

    /// Reads one record; its declared length must match exactly the fields inside it.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> Record {
        let length = Int(try reader.readVarint("record length"))
        guard length >= 0 else { throw .negativeLength(what: "record", length: Int64(length)) }
        let range = try reader.skip(length, "record")
        var body = ByteReader(reader.bytes, range: range)
        let attributes = try body.readInt8("record attributes")
        let timestampDelta = try body.readVarlong("record timestamp delta")
        let offsetDelta = try body.readVarint("record offset delta")
        let key = try readVarintBytes(&body, "record key")
        let value = try readVarintBytes(&body, "record value")
        let headerCount = Int(try body.readVarint("record header count"))
        guard headerCount >= 0 else { throw .negativeLength(what: "record headers", length: Int64(headerCount)) }
        // Each header takes at least two bytes (two varint lengths).
        guard headerCount * 2 <= body.remaining else {
            throw .truncated(what: "record headers", needed: headerCount * 2, remaining: body.remaining)
        }
        var headers: [RecordHeader] = []
        headers.reserveCapacity(headerCount)
        for _ in 0..<headerCount {
            guard let keyBytes = try readVarintBytes(&body, "header key") else {
                throw .negativeLength(what: "header key", length: -1)
            }
            guard let headerKey = String(validating: keyBytes, as: UTF8.self) else { throw .invalidUTF8(what: "header key") }
            headers.append(RecordHeader(key: headerKey, value: try readVarintBytes(&body, "header value")))
        }
        guard body.isAtEnd else { throw .inconsistent("record has \(body.remaining) bytes beyond its fields") }
        return Record(attributes: attributes, timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: key, value: value, headers: headers)
    }

    private static func readVarintBytes(_ reader: inout ByteReader, _ what: String) throws(WireError) -> [UInt8]? {
        let length = Int64(try reader.readVarint(what))
        if length == -1 { return nil }
        guard length >= 0 else { throw .negativeLength(what: what, length: length) }
        return try reader.readRaw(Int(length), what)
    }
}
