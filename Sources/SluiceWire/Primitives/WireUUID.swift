/// A 16-byte UUID as Kafka puts it on the wire (topic ids): big-endian, no version checks.
/// The all-zero value is Kafka's "no id" (`Uuid.ZERO_UUID`).
public struct WireUUID: Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public var high: UInt64
    /// The last 8 bytes, big-endian.
    public var low: UInt64

    /// A UUID from its two big-endian halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero UUID, meaning "none".
    public static let zero = WireUUID(high: 0, low: 0)

    /// Builds a UUID from exactly 16 bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a UUID is 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = (high << 8) | UInt64(bytes[i]) }
        for i in 8..<16 { low = (low << 8) | UInt64(bytes[i]) }
        self.init(high: high, low: low)
    }

    /// The 16 bytes in wire order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    /// The usual 8-4-4-4-12 hex form.
    public var description: String {
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

extension ByteReader {
    /// A UUID (16 raw bytes).
    public mutating func readWireUUID(_ what: String = "uuid") throws(WireError) -> WireUUID {
        let high = try readInt64(what)
        let low = try readInt64(what)
        return WireUUID(high: UInt64(bitPattern: high), low: UInt64(bitPattern: low))
    }
}

extension ByteWriter {
    /// A UUID (16 raw bytes).
    public mutating func writeWireUUID(_ uuid: WireUUID) {
        writeInt64(Int64(bitPattern: uuid.high))
        writeInt64(Int64(bitPattern: uuid.low))
    }
}
