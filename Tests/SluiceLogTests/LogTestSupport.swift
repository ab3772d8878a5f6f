import Foundation
import SluiceCore
import SluiceLog
import SluiceWire
import Synchronization
import XCTest

/// A clock the test moves by hand.
final class ManualClock: LogClock {
    private let now = Atomic<Int64>(1_700_000_000_000)
    func nowMillis() -> Int64 { now.load(ordering: .relaxed) }
    func advance(millis: Int64) { now.add(millis, ordering: .relaxed) }
}

/// A fresh directory under the system temp dir, removed by `tearDown` helpers.
func temporaryDirectory(_ label: String = #function) -> String {
    let path = NSTemporaryDirectory() + "sluice-log-tests/\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A producer-style batch (baseOffset 0) of `count` records whose values identify them.
func makeBatch(count: Int, tag: String, valueBytes: Int = 40, timestamp: Int64 = 1_700_000_000_000, codec: CompressionCodec = .none) -> [UInt8] {
    let records = (0..<count).map { index -> Record in
        let text = "\(tag)#\(index)|" + String(repeating: "x", count: max(0, valueBytes - tag.count - 4))
        return Record(timestampDelta: Int64(index), offsetDelta: Int32(index), key: Array("key-\(index)".utf8), value: Array(text.utf8))
    }
    // Encoding our own well-formed records cannot fail.
    return (try? RecordBatch.encode(records: records, codec: codec, baseTimestamp: timestamp)) ?? []
}

/// Decodes the batches of `bytes` into (offset, value) pairs.
func offsetsAndValues(_ bytes: [UInt8]) throws -> [(Int64, String)] {
    try RecordBatch.decodeAll(bytes, maxBatchBytes: 64 << 20).flatMap { batch in
        batch.records.map { (batch.header.baseOffset + Int64($0.offsetDelta), String(decoding: $0.value ?? [], as: UTF8.self)) }
    }
}

/// Every record of the log from its start, read the way a consumer would.
func readAll(_ log: PartitionLog, maxBytes: Int = 64 * 1024) throws -> [(Int64, String)] {
    var result: [(Int64, String)] = []
    var next = log.logStartOffset
    while next < log.logEndOffset {
        let bytes = try log.readBytes(from: next, maxBytes: maxBytes)
        guard !bytes.isEmpty else { break }
        let records = try offsetsAndValues(bytes).filter { $0.0 >= next }
        guard let last = records.last else { break }
        result += records
        next = last.0 + 1
    }
    return result
}

/// A one-record batch rewritten to declare `count` records (as a batch of compressed records the
/// broker cannot read may), at `baseOffset`, CRC recomputed.
func claimedBatch(count: Int32, baseOffset: Int64 = 0) -> [UInt8] {
    var batch = makeBatch(count: 1, tag: "claimed", valueBytes: 8)
    func put<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.bigEndian) { for (index, byte) in $0.enumerated() { batch[position + index] = byte } }
    }
    put(baseOffset, at: 0)
    put(count - 1, at: 23)  // lastOffsetDelta
    put(count, at: 57)      // recordsCount
    put(CRC32C.checksum(batch[21...]), at: 17)
    return batch
}
