import CSluiceCRC

/// CRC-32C (Castagnoli), the checksum of Kafka record batches (bytes 21 to the end).
public enum CRC32C {
    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return sluice_crc32c_update(crc, base, bytes.count)
    }

    /// The checksum of a byte array slice.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum of a byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Whether the SSE4.2 instruction is in use on this CPU.
    public static var isHardwareAccelerated: Bool { sluice_crc32c_is_hardware() != 0 }

    /// The table fallback, so tests can show both paths agree.
    public static func portableChecksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return sluice_crc32c_update_portable(0, base, buffer.count)
        }
    }
}
