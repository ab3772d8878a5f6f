// Helpers the generated codecs (Sources/SluiceWire/Generated) call. Each one picks between the
// classic encoding (int16/int32 lengths, -1 for null) and the compact one of flexible versions
// (unsigned varint length+1, 0 for null), so generated code can pass `compact: flexible` instead of
// branching at every field.

extension ByteReader {
    /// A non-null string, classic (int16 length) or compact.
    @inlinable
    public mutating func readString(compact: Bool, _ what: String) throws(WireError) -> String {
        compact ? try readCompactString(what) : try readString(what)
    }

    /// A string that may be null when `nullable` (the field is nullable in this version); a null
    /// where the version does not allow one throws.
    @inlinable
    public mutating func readNullableString(compact: Bool, nullable: Bool, _ what: String) throws(WireError) -> String? {
        if !nullable { return try readString(compact: compact, what) }
        return compact ? try readCompactNullableString(what) : try readNullableString(what)
    }

    /// Non-null bytes, classic (int32 length) or compact.
    @inlinable
    public mutating func readBytes(compact: Bool, _ what: String) throws(WireError) -> [UInt8] {
        compact ? try readCompactBytes(what) : try readBytes(what)
    }

    /// Bytes that may be null when `nullable`.
    @inlinable
    public mutating func readNullableBytes(compact: Bool, nullable: Bool, _ what: String) throws(WireError) -> [UInt8]? {
        if !nullable { return try readBytes(compact: compact, what) }
        return compact ? try readCompactNullableBytes(what) : try readNullableBytes(what)
    }

    /// An array count, classic (int32) or compact, checked against the bytes left assuming each
    /// element takes at least `minimumElementBytes` (so a hostile count is rejected before any
    /// allocation). Nil only when `nullable` and the count is null.
    @inlinable
    public mutating func readArrayCount(compact: Bool, nullable: Bool, minimumElementBytes: Int, _ what: String) throws(WireError) -> Int? {
        precondition(minimumElementBytes >= 1, "an array element takes at least one byte")
        return compact
            ? try readCompactArrayCount(what, minimumElementBytes: minimumElementBytes, nullable: nullable)
            : try readArrayCount(what, minimumElementBytes: minimumElementBytes, nullable: nullable)
    }

    /// A whole non-null array, each element read by `element`.
    @inlinable
    public mutating func readArray<T>(
        compact: Bool, minimumElementBytes: Int, _ what: String,
        _ element: (inout ByteReader) throws(WireError) -> T
    ) throws(WireError) -> [T] {
        try readNullableArray(compact: compact, nullable: false, minimumElementBytes: minimumElementBytes, what, element) ?? []
    }

    /// A whole array that may be null when `nullable`.
    @inlinable
    public mutating func readNullableArray<T>(
        compact: Bool, nullable: Bool, minimumElementBytes: Int, _ what: String,
        _ element: (inout ByteReader) throws(WireError) -> T
    ) throws(WireError) -> [T]? {
        guard let count = try readArrayCount(compact: compact, nullable: nullable, minimumElementBytes: minimumElementBytes, what) else {
            return nil
        }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }
}

extension ByteWriter {
    /// A non-null string, classic or compact.
    @inlinable
    public mutating func writeString(_ s: String, compact: Bool) {
        if compact { writeCompactString(s) } else { writeString(s) }
    }

    /// A string that may be null when `nullable`; a nil in a version where the field is not
    /// nullable is written as the empty string (the encoders do not throw).
    @inlinable
    public mutating func writeNullableString(_ s: String?, compact: Bool, nullable: Bool) {
        guard nullable else { return writeString(s ?? "", compact: compact) }
        if compact { writeCompactNullableString(s) } else { writeNullableString(s) }
    }

    /// Non-null bytes, classic or compact.
    @inlinable
    public mutating func writeBytes(_ b: [UInt8], compact: Bool) {
        if compact { writeCompactBytes(b) } else { writeBytes(b) }
    }

    /// Bytes that may be null when `nullable`; nil where not nullable is written as empty.
    @inlinable
    public mutating func writeNullableBytes(_ b: [UInt8]?, compact: Bool, nullable: Bool) {
        guard nullable else { return writeBytes(b ?? [], compact: compact) }
        if compact { writeCompactNullableBytes(b) } else { writeNullableBytes(b) }
    }

    /// An array count, classic or compact; nil where not nullable is written as 0.
    @inlinable
    public mutating func writeArrayCount(_ n: Int?, compact: Bool, nullable: Bool) {
        let count = nullable ? n : (n ?? 0)
        if compact { writeCompactArrayCount(count) } else { writeArrayCount(count) }
    }
}
