/// Every way bytes from a client, a peer or a disk can be wrong. Decoders throw these and never
/// trap or allocate a size they have not checked against the bytes actually present.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Needed `needed` more bytes while reading `what`, but only `remaining` were there.
    case truncated(what: String, needed: Int, remaining: Int)
    /// A length field below its allowed minimum (−1 is null where nullable, otherwise 0).
    case negativeLength(what: String, length: Int64)
    /// A length larger than the configured maximum.
    case lengthTooLarge(what: String, length: Int64, limit: Int)
    /// A varint longer than its type allows.
    case malformedVarint(what: String)
    /// A record batch whose stored CRC-32C does not match its bytes.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// A batch magic we do not read (only v2).
    case unsupportedMagic(Int8)
    /// A compression codec we do not read (gzip, snappy, zstd, or an unassigned value).
    case unsupportedCodec(Int)
    /// The compressed records section could not be decoded.
    case decompressionFailed(String)
    /// Fields that contradict each other (e.g. a record count that does not match the records).
    case inconsistent(String)
    /// A batch header declaring a negative record count or last offset delta.
    case negativeRecordCount(count: Int32, lastOffsetDelta: Int32)
    /// A string that is not valid UTF-8.
    case invalidUTF8(what: String)

    public var description: String {
        switch self {
        case let .truncated(what, needed, remaining):
            return "truncated \(what): needed \(needed) bytes, \(remaining) remain"
        case let .negativeLength(what, length): return "invalid negative length \(length) for \(what)"
        case let .lengthTooLarge(what, length, limit): return "\(what) length \(length) exceeds limit \(limit)"
        case let .malformedVarint(what): return "malformed varint in \(what)"
        case let .crcMismatch(stored, computed):
            return "CRC-32C mismatch: stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16))"
        case let .unsupportedMagic(magic): return "unsupported record batch magic \(magic)"
        case let .unsupportedCodec(codec): return "unsupported compression codec \(codec)"
        case let .decompressionFailed(why): return "decompression failed: \(why)"
        case let .inconsistent(why): return "inconsistent batch: \(why)"
        case let .negativeRecordCount(count, delta): return "record batch declares \(count) records and a last offset delta of \(delta)"
        case let .invalidUTF8(what): return "invalid UTF-8 in \(what)"
        }
    }
}
