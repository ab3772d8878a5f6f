import CSluiceLZ4

/// LZ4 frame format (not raw blocks), as Kafka codec 3 uses it for a batch's records section.
///
/// Encoding writes what Kafka's own codec writes: independent 64 KiB blocks, no checksums.
/// Decoding goes through `LZ4F_decompress`, which reads every variant real clients send:
/// plain (librdkafka), with a content size (kafka-python) and with block checksums (aiokafka).
/// Kafka rejects frames with linked blocks, and so do we, before decoding.
public enum LZ4Frame {
    /// Compresses `input` into one LZ4 frame.
    public static func compress(_ input: UnsafeRawBufferPointer) throws(WireError) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        preferences.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum
        preferences.compressionLevel = 0
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress, out.count, input.baseAddress, input.count, &preferences)
        }
        if LZ4F_isError(written) != 0 {
            throw .decompressionFailed("LZ4 compression: " + String(cString: LZ4F_getErrorName(written)))
        }
        output.removeSubrange(written...)
        return output
    }

    public static func compress(_ input: [UInt8]) throws(WireError) -> [UInt8] {
        try input.withWireBytes { (buffer) throws(WireError) -> [UInt8] in try compress(buffer) }
    }

    /// Decompresses one LZ4 frame, refusing to produce more than `maxOutputBytes`
    /// (so a small hostile frame cannot claim gigabytes).
    public static func decompress(_ input: ArraySlice<UInt8>, maxOutputBytes: Int) throws(WireError) -> [UInt8] {
        try checkFrameDescriptor(input)
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw .decompressionFailed("cannot create an LZ4 decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        var output: [UInt8] = []
        output.reserveCapacity(min(maxOutputBytes, max(input.count * 4, 1024)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return try input.withWireBytes { (source) throws(WireError) -> [UInt8] in
            var consumed = 0
            while true {
                var sourceSize = source.count - consumed
                var chunkSize = chunk.count
                let hint = chunk.withUnsafeMutableBytes { out in
                    LZ4F_decompress(context, out.baseAddress, &chunkSize, source.baseAddress.map { $0 + consumed }, &sourceSize, nil)
                }
                if LZ4F_isError(hint) != 0 {
                    throw .decompressionFailed(String(cString: LZ4F_getErrorName(hint)))
                }
                consumed += sourceSize
                guard output.count + chunkSize <= maxOutputBytes else {
                    throw .lengthTooLarge(what: "decompressed records", length: Int64(output.count + chunkSize), limit: maxOutputBytes)
                }
                output.append(contentsOf: chunk[0..<chunkSize])
                if hint == 0 {
                    // Frame complete. Anything after it is not ours to ignore silently.
                    guard consumed == source.count else {
                        throw .inconsistent("\(source.count - consumed) bytes after the LZ4 frame")
                    }
                    return output
                }
                if sourceSize == 0 && chunkSize == 0 {
                    throw .decompressionFailed("LZ4 frame ends early")
                }
            }
        }
    }

    /// Kafka's own codec accepts only independent blocks and no reserved bits; so do we.
    private static func checkFrameDescriptor(_ input: ArraySlice<UInt8>) throws(WireError) {
        guard input.count >= 7 else { throw .truncated(what: "LZ4 frame header", needed: 7, remaining: input.count) }
        let start = input.startIndex
        let magic = UInt32(input[start]) | UInt32(input[start + 1]) << 8 | UInt32(input[start + 2]) << 16 | UInt32(input[start + 3]) << 24
        guard magic == 0x184D_2204 else { throw .decompressionFailed("not an LZ4 frame (magic \(String(magic, radix: 16)))") }
        let flags = input[start + 4]
        guard flags >> 6 == 0b01 else { throw .decompressionFailed("unsupported LZ4 frame version") }
        guard flags & 0b0010_0000 != 0 else { throw .decompressionFailed("LZ4 frames with linked blocks are not accepted") }
        guard flags & 0b0000_0011 == 0 else { throw .decompressionFailed("LZ4 frame uses reserved flag bits or a dictionary id") }
    }
}
