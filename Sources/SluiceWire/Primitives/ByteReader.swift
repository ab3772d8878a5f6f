/// Reads Kafka primitives (big-endian integers, varints, strings, bytes, compact and tagged forms)
/// from a byte buffer. Every read checks the bytes that remain before it touches or allocates
/// anything; a short or malformed input throws `WireError`.
public struct ByteReader: Sendable {
    /// The whole input. Reads never go past `end`.
    public let bytes: [UInt8]
    /// Index of the next byte to read.
    public private(set) var position: Int
    /// One past the last readable byte.
    public let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
    }

    public init(_ bytes: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "reader range outside its buffer")
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// Bytes left to read.
    @inlinable public var remaining: Int { end - position }
    public var isAtEnd: Bool { position >= end }

    @inline(__always)
    private func require(_ count: Int, _ what: @autoclosure () -> String) throws(WireError) {
        guard count >= 0, count <= end - position else {
            throw .truncated(what: what(), needed: count, remaining: end - position)
        }
    }

    private mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(WireError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, what)
        var value: T = 0
        for i in 0..<size { value = (value << 8) | T(truncatingIfNeeded: bytes[position + i]) }
        position += size
        return value
    }

    public mutating func readInt8(_ what: String = "int8") throws(WireError) -> Int8 {
        try require(1, what)
        defer { position += 1 }
        return Int8(bitPattern: bytes[position])
    }
    public mutating func readUInt8(_ what: String = "uint8") throws(WireError) -> UInt8 {
        try require(1, what)
        defer { position += 1 }
        return bytes[position]
    }
    public mutating func readBool(_ what: String = "boolean") throws(WireError) -> Bool { try readUInt8(what) != 0 }
    public mutating func readInt16(_ what: String = "int16") throws(WireError) -> Int16 { try readBigEndian(Int16.self, what) }
    public mutating func readUInt16(_ what: String = "uint16") throws(WireError) -> UInt16 { try readBigEndian(UInt16.self, what) }
    public mutating func readInt32(_ what: String = "int32") throws(WireError) -> Int32 { try readBigEndian(Int32.self, what) }
    public mutating func readUInt32(_ what: String = "uint32") throws(WireError) -> UInt32 { try readBigEndian(UInt32.self, what) }
    public mutating func readInt64(_ what: String = "int64") throws(WireError) -> Int64 { try readBigEndian(Int64.self, what) }
    public mutating func readFloat64(_ what: String = "float64") throws(WireError) -> Double {
        Double(bitPattern: try readBigEndian(UInt64.self, what))
    }

    /// An unsigned base-128 varint of at most 32 bits (compact lengths, tag headers).
    public mutating func readUnsignedVarint(_ what: String = "unsigned varint") throws(WireError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = try readUInt8(what)
            if shift == 28 && byte > 0x0F { throw .malformedVarint(what: what) }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// An unsigned base-128 varint of at most 64 bits.
    public mutating func readUnsignedVarlong(_ what: String = "unsigned varlong") throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8(what)
            if shift == 63 && byte > 0x01 { throw .malformedVarint(what: what) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A zigzag-encoded 32-bit varint (record fields).
    public mutating func readVarint(_ what: String = "varint") throws(WireError) -> Int32 {
        let raw = try readUnsignedVarint(what)
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A zigzag-encoded 64-bit varint (record timestamp deltas).
    public mutating func readVarlong(_ what: String = "varlong") throws(WireError) -> Int64 {
        let raw = try readUnsignedVarlong(what)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func readUUID(_ what: String = "uuid") throws(WireError) -> [UInt8] { try readRaw(16, what) }

    /// `count` raw bytes.
    public mutating func readRaw(_ count: Int, _ what: String = "bytes") throws(WireError) -> [UInt8] {
        try require(count, what)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// The range of the next `count` bytes, consumed without copying.
    public mutating func skip(_ count: Int, _ what: String = "bytes") throws(WireError) -> Range<Int> {
        try require(count, what)
        defer { position += count }
        return position..<position + count
    }

    private func checkedLength(_ length: Int64, nullable: Bool, _ what: String) throws(WireError) -> Int? {
        if length == -1 && nullable { return nil }
        guard length >= 0 else { throw .negativeLength(what: what, length: length) }
        guard length <= Int64(end - position) else {
            throw .truncated(what: what, needed: Int(clamping: length), remaining: end - position)
        }
        return Int(length)
    }

    private mutating func utf8(_ count: Int, _ what: String) throws(WireError) -> String {
        let range = try skip(count, what)
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw .invalidUTF8(what: what) }
        return text
    }

    /// STRING: int16 length then UTF-8.
    public mutating func readString(_ what: String = "string") throws(WireError) -> String {
        guard let count = try checkedLength(Int64(try readInt16(what)), nullable: false, what) else { return "" }
        return try utf8(count, what)
    }
    /// NULLABLE_STRING: int16 length, −1 is null.
    public mutating func readNullableString(_ what: String = "string") throws(WireError) -> String? {
        guard let count = try checkedLength(Int64(try readInt16(what)), nullable: true, what) else { return nil }
        return try utf8(count, what)
    }
    /// COMPACT_STRING: uvarint length+1.
    public mutating func readCompactString(_ what: String = "compact string") throws(WireError) -> String {
        guard let value = try readCompactNullableString(what) else { throw .negativeLength(what: what, length: -1) }
        return value
    }
    /// COMPACT_NULLABLE_STRING: uvarint length+1, 0 is null.
    public mutating func readCompactNullableString(_ what: String = "compact string") throws(WireError) -> String? {
        guard let count = try checkedLength(Int64(try readUnsignedVarint(what)) - 1, nullable: true, what) else { return nil }
        return try utf8(count, what)
    }
    /// BYTES: int32 length.
    public mutating func readBytes(_ what: String = "bytes") throws(WireError) -> [UInt8] {
        guard let count = try checkedLength(Int64(try readInt32(what)), nullable: false, what) else { return [] }
        return try readRaw(count, what)
    }
    /// NULLABLE_BYTES: int32 length, −1 is null.
    public mutating func readNullableBytes(_ what: String = "bytes") throws(WireError) -> [UInt8]? {
        guard let count = try checkedLength(Int64(try readInt32(what)), nullable: true, what) else { return nil }
        return try readRaw(count, what)
    }
    /// COMPACT_BYTES: uvarint length+1.
    public mutating func readCompactBytes(_ what: String = "compact bytes") throws(WireError) -> [UInt8] {
        guard let value = try readCompactNullableBytes(what) else { throw .negativeLength(what: what, length: -1) }
        return value
    }
    /// COMPACT_NULLABLE_BYTES: uvarint length+1, 0 is null.
    public mutating func readCompactNullableBytes(_ what: String = "compact bytes") throws(WireError) -> [UInt8]? {
        guard let count = try checkedLength(Int64(try readUnsignedVarint(what)) - 1, nullable: true, what) else { return nil }
        return try readRaw(count, what)
    }

    /// An ARRAY count (int32, −1 null). The count is checked against the bytes left, assuming each
    /// element takes at least `minimumElementBytes`, so a hostile count cannot cause a huge allocation.
    public mutating func readArrayCount(_ what: String = "array", minimumElementBytes: Int = 1, nullable: Bool = true) throws(WireError) -> Int? {
        let count = Int64(try readInt32(what))
        return try checkedCount(count, what, minimumElementBytes: minimumElementBytes, nullable: nullable)
    }
    /// A COMPACT_ARRAY count (uvarint count+1, 0 null), checked the same way.
    public mutating func readCompactArrayCount(_ what: String = "compact array", minimumElementBytes: Int = 1, nullable: Bool = true) throws(WireError) -> Int? {
        let count = Int64(try readUnsignedVarint(what)) - 1
        return try checkedCount(count, what, minimumElementBytes: minimumElementBytes, nullable: nullable)
    }

    private func checkedCount(_ count: Int64, _ what: String, minimumElementBytes: Int, nullable: Bool) throws(WireError) -> Int? {
        if count == -1 {
            if nullable { return nil }
            throw .negativeLength(what: what, length: count)
        }
        guard count >= 0 else { throw .negativeLength(what: what, length: count) }
        let needed = count * Int64(max(minimumElementBytes, 0))
        guard needed <= Int64(end - position) else {
            throw .truncated(what: what, needed: Int(clamping: needed), remaining: end - position)
        }
        return Int(count)
    }

    /// Reads a tagged-field section, handing each field to `handle`; unknown tags are skipped.
    public mutating func readTaggedFields(_ what: String = "tagged fields", _ handle: (UInt32, inout ByteReader) throws(WireError) -> Void = { _, _ in }) throws(WireError) {
        let count = try readUnsignedVarint(what)
        guard Int(count) <= remaining else { throw .truncated(what: what, needed: Int(count), remaining: remaining) }
        var previousTag: Int64 = -1
        for _ in 0..<count {
            let tag = try readUnsignedVarint(what)
            guard Int64(tag) > previousTag else { throw .inconsistent("\(what): tags out of order") }
            previousTag = Int64(tag)
            let size = Int(try readUnsignedVarint(what))
            let range = try skip(size, what)
            var field = ByteReader(bytes, range: range)
            try handle(tag, &field)
        }
    }
}
