/// Record bytes that live outside the encoded message, typically a byte range of a segment file
/// that the network layer sends with `sendfile` instead of copying it into memory.
public protocol ExternalRecords: Sendable {
    /// How many bytes the source will supply; written as the field's length prefix.
    var byteCount: Int { get }
}

/// The value of a `records` field in a Kafka message (Produce request, Fetch response): one or
/// more concatenated record batches, carried as opaque bytes by the codecs.
///
/// Decoding always gives `.bytes`. Encoding `.external` writes only the length prefix and records a
/// splice point on the `ByteWriter` (see `ByteWriter.splices`).
public enum Records: Sendable, Equatable, CustomStringConvertible {
    /// Batches held in memory.
    case bytes([UInt8])
    /// Batches held elsewhere, spliced in by the network layer.
    case external(any ExternalRecords)

    /// Empty records.
    public static let empty = Records.bytes([])

    /// Length of the field's content in bytes.
    public var byteCount: Int {
        switch self {
        case .bytes(let bytes): return bytes.count
        case .external(let source): return source.byteCount
        }
    }

    /// In-memory bytes compare by content. An external source cannot be compared, so it is never
    /// equal to anything, itself included.
    public static func == (lhs: Records, rhs: Records) -> Bool {
        switch (lhs, rhs) {
        case let (.bytes(a), .bytes(b)): return a == b
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .bytes(let bytes): return "Records(\(bytes.count) bytes)"
        case .external(let source): return "Records(external, \(source.byteCount) bytes)"
        }
    }
}

extension ByteReader {
    /// A `records` field (NULLABLE_BYTES / COMPACT_NULLABLE_BYTES on the wire); null only where
    /// `nullable`.
    public mutating func readRecords(compact: Bool, nullable: Bool, _ what: String = "records") throws(WireError) -> Records? {
        guard let bytes = try readNullableBytes(compact: compact, nullable: nullable, what) else { return nil }
        return .bytes(bytes)
    }
}

extension ByteWriter {
    /// A `records` field. nil is null where `nullable`, otherwise empty. `.external` writes the
    /// length prefix and a splice point instead of the bytes.
    public mutating func writeRecords(_ records: Records?, compact: Bool, nullable: Bool) {
        switch records {
        case nil:
            writeNullableBytes(nil, compact: compact, nullable: nullable)
        case .bytes(let bytes)?:
            writeBytes(bytes, compact: compact)
        case .external(let source)?:
            precondition(source.byteCount <= Int(Int32.max) - 1, "external records larger than a Kafka length allows")
            if compact {
                writeUnsignedVarint(UInt32(source.byteCount + 1))
            } else {
                writeInt32(Int32(source.byteCount))
            }
            appendSplice(source)
        }
    }
}
