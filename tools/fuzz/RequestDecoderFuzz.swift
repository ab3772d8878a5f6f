// libFuzzer target: every byte string is a candidate request frame body (header + body) and a
// candidate run of record batches. Decoders must throw typed errors, never trap or allocate
// what a length field claims before checking it. Built by `make fuzz`.
import SluiceWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var reader = ByteReader(bytes)
    if let header = try? RequestHeader(from: &reader), let key = ApiKey(rawValue: header.apiKey), key.validVersions.contains(header.apiVersion) {
        if let request = try? KafkaRequest(apiKey: key, version: header.apiVersion, from: &reader) {
            // What decodes must encode again without trapping.
            var writer = ByteWriter()
            request.encode(into: &writer, version: header.apiVersion)
        }
    }
    _ = try? RecordBatch.decodeAll(bytes, maxBatchBytes: 1 << 20)
    return 0
}
