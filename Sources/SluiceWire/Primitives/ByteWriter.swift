/// Writes Kafka primitives into a growing byte buffer; the inverse of `ByteReader`.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// Places where bytes held elsewhere (a segment file) belong in the output, in increasing
    /// `position` order: the full output is `bytes[..<p0] + source0 + bytes[p0..<p1] + source1 + …`.
    /// A network layer writes the `bytes` pieces and `sendfile`s each source in between. Filled by
    /// `appendSplice(_:)` (the generated codecs call it when encoding `Records.external`).
    public private(set) var splices: [(position: Int, source: any ExternalRecords)] = []

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    @inline(__always)
    private mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    public mutating func writeInt8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    public mutating func writeUInt8(_ v: UInt8) { bytes.append(v) }
    public mutating func writeBool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func writeInt16(_ v: Int16) { writeBigEndian(v) }
    public mutating func writeUInt16(_ v: UInt16) { writeBigEndian(v) }
    public mutating func writeInt32(_ v: Int32) { writeBigEndian(v) }
    public mutating func writeUInt32(_ v: UInt32) { writeBigEndian(v) }
    public mutating func writeInt64(_ v: Int64) { writeBigEndian(v) }
    public mutating func writeFloat64(_ v: Double) { writeBigEndian(v.bitPattern) }

    public mutating func writeUnsignedVarint(_ v: UInt32) { writeUnsignedVarlong(UInt64(v)) }
    public mutating func writeUnsignedVarlong(_ v: UInt64) {
        var value = v
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
    /// Zigzag 32-bit varint.
    public mutating func writeVarint(_ v: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (v << 1) ^ (v >> 31)))
    }
    /// Zigzag 64-bit varint.
    public mutating func writeVarlong(_ v: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func writeRaw<C: Collection>(_ raw: C) where C.Element == UInt8 { bytes.append(contentsOf: raw) }
    public mutating func writeUUID(_ uuid: [UInt8]) {
        precondition(uuid.count == 16, "a UUID is 16 bytes")
        bytes.append(contentsOf: uuid)
    }

    /// A classic string holds at most 32,767 bytes. A longer one (a name taken in over a flexible
    /// version, answered over a classic one) is cut at the last whole character that fits, so the
    /// bytes written are the ones its length counts and the rest of the frame stays readable.
    public mutating func writeString(_ s: String) {
        var utf8 = Array(s.utf8)
        if utf8.count > Int(Int16.max) {
            var end = Int(Int16.max)
            while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }  // utf8[end] continues a character
            utf8.removeSubrange(end...)
        }
        writeInt16(Int16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    public mutating func writeNullableString(_ s: String?) {
        guard let s else { return writeInt16(-1) }
        writeString(s)
    }
    public mutating func writeCompactString(_ s: String) {
        let utf8 = Array(s.utf8)
        writeUnsignedVarint(UInt32(utf8.count + 1))
        bytes.append(contentsOf: utf8)
    }
    public mutating func writeCompactNullableString(_ s: String?) {
        guard let s else { return writeUnsignedVarint(0) }
        writeCompactString(s)
    }
    public mutating func writeBytes(_ b: [UInt8]) {
        writeInt32(Int32(clamping: b.count))
        bytes.append(contentsOf: b)
    }
    public mutating func writeNullableBytes(_ b: [UInt8]?) {
        guard let b else { return writeInt32(-1) }
        writeBytes(b)
    }
    public mutating func writeCompactBytes(_ b: [UInt8]) {
        writeUnsignedVarint(UInt32(b.count + 1))
        bytes.append(contentsOf: b)
    }
    public mutating func writeCompactNullableBytes(_ b: [UInt8]?) {
        guard let b else { return writeUnsignedVarint(0) }
        writeCompactBytes(b)
    }
    public mutating func writeArrayCount(_ n: Int?) { writeInt32(n.map { Int32(clamping: $0) } ?? -1) }
    public mutating func writeCompactArrayCount(_ n: Int?) { writeUnsignedVarint(n.map { UInt32($0 + 1) } ?? 0) }

    /// An empty tagged-field section.
    public mutating func writeEmptyTaggedFields() { bytes.append(0) }

    /// A tagged-field section from (tag, encoded value) pairs, sorted by tag as the protocol requires.
    public mutating func writeTaggedFields(_ fields: [(tag: UInt32, value: [UInt8])]) {
        let sorted = fields.sorted { $0.tag < $1.tag }
        writeUnsignedVarint(UInt32(sorted.count))
        for field in sorted {
            writeUnsignedVarint(field.tag)
            writeUnsignedVarint(UInt32(field.value.count))
            bytes.append(contentsOf: field.value)
        }
    }

    /// Overwrites 4 bytes at `index` (a length or CRC filled in after the body is known).
    public mutating func patchInt32(_ v: Int32, at index: Int) { patchUInt32(UInt32(bitPattern: v), at: index) }
    public mutating func patchUInt32(_ v: UInt32, at index: Int) {
        precondition(index >= 0 && index + 4 <= bytes.count, "patch outside the written bytes")
        bytes[index] = UInt8(truncatingIfNeeded: v >> 24)
        bytes[index + 1] = UInt8(truncatingIfNeeded: v >> 16)
        bytes[index + 2] = UInt8(truncatingIfNeeded: v >> 8)
        bytes[index + 3] = UInt8(truncatingIfNeeded: v)
    }

    /// Notes that `source.byteCount` bytes from `source` belong at the current position (see
    /// `splices`). The caller has already written whatever length prefix the format needs.
    public mutating func appendSplice(_ source: any ExternalRecords) {
        precondition(source.byteCount >= 0, "external records report a negative size")
        splices.append((position: bytes.count, source: source))
    }
}
