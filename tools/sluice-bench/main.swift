// sluice-bench: measures the partition log against this machine's own limits, in one run.
// Every figure is printed next to the raw figure it should be compared with, as a ratio.
import CSluiceLZ4
import Foundation
import SluiceCore
import SluiceIO
import SluiceLog
import SluiceWire

struct Options {
    var directory = "data/bench"
    var totalMiB = 512
    var batchKiB = 16
    var flushEveryMiB = 1
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = Array(CommandLine.arguments.dropFirst())
    while !arguments.isEmpty {
        let flag = arguments.removeFirst()
        guard let value = arguments.first else {
            FileHandle.standardError.write(Data("error: \(flag) needs a value; try: sluice-bench --dir data/bench --mib 512\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        switch flag {
        case "--dir": options.directory = value
        case "--mib": options.totalMiB = Int(value) ?? options.totalMiB
        default:
            FileHandle.standardError.write(Data("error: unknown option \(flag); try: sluice-bench --dir data/bench --mib 512\n".utf8))
            exit(2)
        }
    }
    return options
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = monotonicNanos()
    try body()
    return Double(monotonicNanos() - start) / 1e9
}

/// JSON-like text: what event streams mostly carry.
func jsonSample(bytes: Int) -> [UInt8] {
    var random = SeededRandom(seed: 1)
    var text = ""
    let events = ["click", "view", "purchase", "signup", "logout"]
    while text.utf8.count < bytes {
        let user = random.int(in: 1...100_000)
        text += "{\"event\":\"\(events[random.int(in: 0...4)])\",\"user\":\(user),\"ts\":\(1_700_000_000_000 + random.int(in: 0...1_000_000)),\"page\":\"/p/\(random.int(in: 1...500))\",\"ok\":true}\n"
    }
    return Array(text.utf8.prefix(bytes))
}

/// A batch of about `bytes` bytes of JSON records, uncompressed so every byte is written.
func makeBatch(bytes: Int) throws -> [UInt8] {
    // Leave room for the 61-byte header and each record's few bytes of framing.
    let sample = jsonSample(bytes: bytes - 61 - bytes / 180 * 8)
    var records: [Record] = []
    var position = 0
    var index: Int32 = 0
    while position < sample.count {
        let end = min(position + 180, sample.count)
        records.append(Record(timestampDelta: Int64(index), offsetDelta: index, key: nil, value: Array(sample[position..<end])))
        position = end
        index += 1
    }
    return try RecordBatch.encode(records: records, codec: .none, baseTimestamp: currentTimeMillis())
}

struct Row {
    var name: String
    var value: Double
    var unit: String
    var baseline: String
    var baselineValue: Double?
}

func printTable(_ rows: [Row]) {
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    print(pad("measure", 44) + pad("value", 14) + pad("compared with", 40) + "ratio")
    print(String(repeating: "-", count: 104))
    for row in rows {
        let value = String(format: "%.1f %@", row.value, row.unit)
        let ratio = row.baselineValue.map { String(format: "%.2fx", row.value / $0) } ?? ""
        print(pad(row.name, 44) + pad(value, 14) + pad(row.baseline, 40) + ratio)
    }
}

let options = parseOptions()
let totalBytes = options.totalMiB << 20
let flushBytes = options.flushEveryMiB << 20
do {
    try? FileSystem.removeTree(options.directory)
    try FileSystem.createDirectories(options.directory)
    let batch = try makeBatch(bytes: options.batchKiB << 10)
    let batchCount = totalBytes / batch.count
    let writtenBytes = Double(batchCount * batch.count)
    var rows: [Row] = []

    // Raw: the same bytes, the same chunk size, the same fdatasync cadence, no log. Raw and log
    // runs alternate three times on fresh files and the medians are compared, so neither side
    // gets the warmer page cache or the quieter moment.
    func rawWrite(_ path: String) throws -> (seconds: Double, file: File) {
        try? FileSystem.remove(path)
        let raw = try File(path: path, create: true)
        let time = try seconds {
            var position: Int64 = 0
            var unsynced = 0
            for _ in 0..<batchCount {
                try raw.write(batch, at: position)
                position += Int64(batch.count)
                unsynced += batch.count
                if unsynced >= flushBytes { try raw.syncData(); unsynced = 0 }
            }
            try raw.syncData()
        }
        return (time, raw)
    }
    func logWrite(_ directory: String) throws -> (seconds: Double, log: PartitionLog) {
        try? FileSystem.removeTree(directory)
        let log = try PartitionLog(directory: directory, config: LogConfig(flushPolicy: .everyBytes(flushBytes)))
        var appendBuffer = batch
        let time = try seconds {
            for _ in 0..<batchCount { try log.append(&appendBuffer) }
            try log.sync()
        }
        return (time, log)
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    var rawTimes: [Double] = []
    var logTimes: [Double] = []
    var raw: File?
    var lastLog: PartitionLog?
    let rawPath = options.directory + "/raw.bin"
    let logDirectory = options.directory + "/bench-0"
    for _ in 0..<3 {
        try lastLog?.close()
        let r = try rawWrite(rawPath)
        rawTimes.append(r.seconds)
        raw = r.file
        let l = try logWrite(logDirectory)
        logTimes.append(l.seconds)
        lastLog = l.log
    }
    guard let raw, let log = lastLog else { throw StorageError.closed }
    let rawWriteMBs = writtenBytes / median(rawTimes) / 1e6
    rows.append(Row(name: "log append, \(options.batchKiB) KiB batches, fsync/\(options.flushEveryMiB) MiB", value: writtenBytes / median(logTimes) / 1e6, unit: "MB/s",
                    baseline: String(format: "raw write+fdatasync: %.0f MB/s", rawWriteMBs), baselineValue: rawWriteMBs))

    // Reads from the page cache: raw 1 MiB preads against log reads of 1 MiB slices.
    let passes = 4
    var buffer = [UInt8](repeating: 0, count: 2 << 20)
    let rawRead = try seconds {
        for _ in 0..<passes {
            var position: Int64 = 0
            while true {
                let n = try buffer.withUnsafeMutableBytes { try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(1 << 20)]), at: position) }
                if n == 0 { break }
                position += Int64(n)
            }
        }
    }
    let rawReadMBs = writtenBytes * Double(passes) / rawRead / 1e6
    func readLog(_ log: PartitionLog) throws -> Double {
        try seconds {
            for _ in 0..<passes {
                var next = log.logStartOffset
                let end = log.logEndOffset
                while next < end {
                    guard let slice = try log.read(from: next, maxBytes: 1 << 20) else { break }
                    _ = try buffer.withUnsafeMutableBytes { try slice.file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<slice.length]), at: slice.position) }
                    // The next read starts after the slice; its last batch header says where.
                    let header = try buffer.withUnsafeBytes { try RecordBatchHeader.read(from: UnsafeRawBufferPointer(rebasing: $0[(slice.length - batch.count)..<slice.length])) }
                    next = header.lastOffset + 1
                }
            }
        }
    }
    let logRead = try readLog(log)
    rows.append(Row(name: "log read, 1 MiB slices (page cache)", value: writtenBytes * Double(passes) / logRead / 1e6, unit: "MB/s",
                    baseline: String(format: "raw pread 1 MiB: %.0f MB/s", rawReadMBs), baselineValue: rawReadMBs))
    try log.close()
    let reopened = try PartitionLog(directory: logDirectory, config: LogConfig())
    let coldRead = try readLog(reopened)
    rows.append(Row(name: "log read after reopen (CRC-checked once)", value: writtenBytes * Double(passes) / coldRead / 1e6, unit: "MB/s",
                    baseline: String(format: "raw pread 1 MiB: %.0f MB/s", rawReadMBs), baselineValue: rawReadMBs))
    try reopened.close()

    // CRC-32C over 16 KiB buffers, against memcpy of the same bytes.
    let crcRounds = 40_000
    var sink: UInt32 = 0
    let crcTime = seconds { for _ in 0..<crcRounds { sink &+= CRC32C.checksum(batch) } }
    var copy = [UInt8](repeating: 0, count: batch.count)
    let copyTime = seconds {
        for _ in 0..<crcRounds { copy.withUnsafeMutableBytes { dst in batch.withUnsafeBytes { dst.copyMemory(from: $0) } }; sink &+= UInt32(copy[7]) }
    }
    let crcGBs = Double(crcRounds * batch.count) / crcTime / 1e9
    let copyGBs = Double(crcRounds * batch.count) / copyTime / 1e9
    rows.append(Row(name: "CRC-32C, 16 KiB (\(CRC32C.isHardwareAccelerated ? "SSE4.2" : "table"))", value: crcGBs, unit: "GB/s",
                    baseline: String(format: "memcpy 16 KiB: %.1f GB/s", copyGBs), baselineValue: copyGBs))

    // LZ4 frames of JSON-like text, 1 MiB at a time.
    let sample = jsonSample(bytes: 64 << 20)
    var frames: [[UInt8]] = []
    let compressTime = try seconds {
        frames = try stride(from: 0, to: sample.count, by: 1 << 20).map { start in
            try sample[start..<min(start + (1 << 20), sample.count)].withUnsafeBytes { try LZ4Frame.compress($0) }
        }
    }
    let compressedBytes = frames.reduce(0) { $0 + $1.count }
    let decompressTime = try seconds { for frame in frames { sink &+= UInt32(try LZ4Frame.decompress(frame[...], maxOutputBytes: 2 << 20).count) } }
    // The baseline: liblz4's block API on the same 1 MiB chunks, with no frame around it.
    var blockOutput = [UInt8](repeating: 0, count: Int(LZ4_compressBound(1 << 20)))
    var blocks: [[UInt8]] = []
    let blockCompressTime = seconds {
        for start in stride(from: 0, to: sample.count, by: 1 << 20) {
            let chunk = sample[start..<min(start + (1 << 20), sample.count)]
            let n = chunk.withUnsafeBytes { source in
                blockOutput.withUnsafeMutableBytes { out in
                    LZ4_compress_default(source.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress?.assumingMemoryBound(to: CChar.self),
                                         Int32(source.count), Int32(out.count))
                }
            }
            blocks.append(Array(blockOutput[0..<Int(n)]))
        }
    }
    var plain = [UInt8](repeating: 0, count: 1 << 20)
    let blockDecompressTime = seconds {
        for block in blocks {
            let n = block.withUnsafeBytes { source in
                plain.withUnsafeMutableBytes { out in
                    LZ4_decompress_safe(source.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress?.assumingMemoryBound(to: CChar.self),
                                        Int32(source.count), Int32(out.count))
                }
            }
            sink &+= UInt32(n)
        }
    }
    let blockCompressMBs = Double(sample.count) / blockCompressTime / 1e6
    let blockDecompressMBs = Double(sample.count) / blockDecompressTime / 1e6
    rows.append(Row(name: String(format: "LZ4 frame compress JSON (ratio %.2f)", Double(sample.count) / Double(compressedBytes)),
                    value: Double(sample.count) / compressTime / 1e6, unit: "MB/s",
                    baseline: String(format: "liblz4 block API: %.0f MB/s", blockCompressMBs), baselineValue: blockCompressMBs))
    rows.append(Row(name: "LZ4 frame decompress JSON", value: Double(sample.count) / decompressTime / 1e6, unit: "MB/s",
                    baseline: String(format: "liblz4 block API: %.0f MB/s", blockDecompressMBs), baselineValue: blockDecompressMBs))

    print("sluice-bench: \(options.totalMiB) MiB written in \(batch.count)-byte batches (\(batchCount) batches) under \(options.directory)")
    printTable(rows)
    if sink == 42 { print("") } // keeps the measured loops from being optimized away
    try? FileSystem.removeTree(options.directory)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
