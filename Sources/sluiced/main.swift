// sluiced: the Sluice broker executable. Until the wire broker lands, it offers `demo`, which
// shows the partition log at work on a data directory.
import Foundation
import SluiceLog
import SluiceWire

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

let usage = """
    usage: sluiced demo [--data-dir DIR] [--records N]
      demo   append N records (default 1000) to the partition log in DIR/demo-0 (default data/demo),
             make them durable, reopen the log and read every record back.
    """

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { print(usage); exit(0) }
arguments.removeFirst()
var dataDirectory = "data/demo"
var recordCount = 1000
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard let value = arguments.first else { fail("\(flag) needs a value; try: sluiced demo --data-dir data/demo --records 1000") }
    arguments.removeFirst()
    switch flag {
    case "--data-dir": dataDirectory = value
    case "--records":
        guard let n = Int(value), n > 0 else { fail("--records wants a positive number, got '\(value)'; try: --records 1000") }
        recordCount = n
    default: fail("unknown option \(flag); try: sluiced demo --data-dir data/demo --records 1000")
    }
}
guard command == "demo" else { fail("unknown command '\(command)'; try: sluiced demo") }

do {
    let directory = dataDirectory + "/demo-0"
    let config = LogConfig(segmentBytes: 64 * 1024)
    let log = try PartitionLog(directory: directory, config: config)
    let startEnd = log.logEndOffset
    var appended = 0
    while appended < recordCount {
        let count = min(100, recordCount - appended)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let records = (0..<count).map { index in
            Record(timestampDelta: 0, offsetDelta: Int32(index), key: Array("key-\(appended + index)".utf8),
                   value: Array("{\"event\":\"demo\",\"n\":\(appended + index)}".utf8))
        }
        var batch = try RecordBatch.encode(records: records, codec: .lz4, baseTimestamp: now)
        try log.append(&batch)
        appended += count
    }
    try log.sync()
    try log.close()
    print("appended \(recordCount) records at offsets \(startEnd)..<\(startEnd + Int64(recordCount)) to \(directory) (synced, closed)")

    let reopened = try PartitionLog(directory: directory, config: config)
    var next = reopened.logStartOffset
    var seen = 0
    var lastValue = ""
    while next < reopened.logEndOffset {
        guard let slice = try reopened.read(from: next, maxBytes: 256 * 1024) else { break }
        for batch in try RecordBatch.decodeAll(try slice.bytes()) {
            for record in batch.records where batch.header.baseOffset + Int64(record.offsetDelta) >= next {
                seen += 1
                lastValue = String(decoding: record.value ?? [], as: UTF8.self)
            }
            next = batch.header.lastOffset + 1
        }
    }
    print("reopened: log [\(reopened.logStartOffset), \(reopened.logEndOffset)) in \(reopened.segmentCount) segments; read back \(seen) records; last value \(lastValue)")
    try reopened.close()
} catch {
    fail("\(error)")
}
