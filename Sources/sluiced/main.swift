// sluiced: the Sluice broker executable. Reads the config (file, then SLUICE_* environment, then
// --key=value flags), starts the broker, and drains it on SIGINT/SIGTERM.
import Foundation
import SluiceBroker
import SluiceIO
import SluiceLog
import SluiceWire

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

let usage = """
    usage: sluiced [--config FILE] [--override KEY=VALUE ...] [--KEY=VALUE ...]
           sluiced --settings     every setting: values, default, meaning (a Markdown table)
           sluiced demo [--data-dir DIR] [--records N]

      Starts a broker. Settings come from FILE (Kafka-style key=value lines), then from SLUICE_<KEY>
      environment variables (SLUICE_LOG_DIRS=/var/lib/sluice), then from --override KEY=VALUE or
      --KEY=VALUE flags. With no arguments: 127.0.0.1:9092, data in ./data.
      Examples:
        sluiced --listeners=127.0.0.1:9092 --log.dirs=data
        sluiced --config deploy/single/sluice.properties --node.id=1

      demo   append N records (default 1000) to the partition log in DIR/demo-0 (default data/demo),
             make them durable, reopen the log and read every record back.
    """

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "-h" || arguments.first == "--help" { print(usage); exit(0) }
if arguments.first == "--settings" { print(BrokerConfig.settingsTable); exit(0) }
if arguments.first != "demo" { runBroker(arguments) }
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

func runBroker(_ arguments: [String]) -> Never {
    // SIGINT and SIGTERM are blocked in every thread (threads inherit the mask, so this comes
    // before any is started) and taken by sigwait below: shutdown runs on the main thread.
    // (A local, not a global: main.swift globals are set only when execution reaches them.)
    var shutdownSignals = sigset_t()
    sigemptyset(&shutdownSignals)
    sigaddset(&shutdownSignals, SIGINT)
    sigaddset(&shutdownSignals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &shutdownSignals, nil)
    // Connections and segments each hold a descriptor: take all the administrator allows.
    let descriptors = DescriptorLimit.raiseToHardLimit()
    let config: BrokerConfig
    do {
        config = try BrokerConfig(commandLine: arguments, environment: ProcessInfo.processInfo.environment)
    } catch {
        fail(error.description)
    }

    let broker: KafkaBroker
    do {
        broker = try KafkaBroker(config: config)
        try broker.start()
    } catch {
        fail("cannot start: \(error)")
    }
    let advertised = config.advertised
    Log.info("file descriptors: \(descriptors.after) (soft limit was \(descriptors.before)); max.connections=\(config.maxConnections), max.partitions=\(config.maxPartitions)")
    Log.info("sluiced started: node \(config.nodeID) on \(config.listenHost):\(broker.port), data in \(config.logDirectory)")
    printFlushed("sluiced: node \(config.nodeID) listening on \(config.listenHost):\(broker.port) (advertised \(advertised.host):\(config.advertisedPort ?? broker.port)), data in \(config.logDirectory)")

    var received: Int32 = 0
    sigwait(&shutdownSignals, &received)
    Log.info("signal received: draining")
    printFlushed("sluiced: draining")
    broker.shutdown()
    Log.info("stopped cleanly")
    printFlushed("sluiced: stopped")
    exit(0)
}

/// Writes a line straight to the file descriptor, so a supervisor reading a pipe sees it at once.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
