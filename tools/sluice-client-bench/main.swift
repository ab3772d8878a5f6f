// sluice-client-bench: produce and consume throughput through the Swift client (SluiceClient),
// printed as one line per run so tools/bench/broker-bench.sh can set it next to librdkafka's.
//
//   sluice-client-bench produce --bootstrap 127.0.0.1:9092 --topic t --size 100 --count 2000000 --acks all [--no-idempotence] [--compression lz4|none]
//   sluice-client-bench consume --bootstrap 127.0.0.1:9092 --topic t --count 1000000
//
// Output: `records=N seconds=S rate=R mbps=M` (rate in records/s, M in MB/s of values).
#if canImport(Glibc)
import Glibc
#endif
import SluiceClient
import Synchronization

struct Options {
    var mode = ""
    var bootstrap = "127.0.0.1:9092"
    var topic = "swift-bench"
    var size = 100
    var count = 1_000_000
    var acks: Acks = .all
    var idempotent = true
    var lingerMillis = 5
    var compression: Compression = .lz4
}

func parse(_ arguments: [String]) -> Options? {
    var options = Options()
    guard arguments.count >= 2 else { return nil }
    options.mode = arguments[1]
    var index = 2
    while index < arguments.count {
        let flag = arguments[index]
        let value = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch flag {
        case "--bootstrap": options.bootstrap = value
        case "--topic": options.topic = value
        case "--size": guard let n = Int(value), n >= 0 else { return nil }; options.size = n
        case "--count": guard let n = Int(value), n > 0 else { return nil }; options.count = n
        case "--linger-ms": guard let n = Int(value), n >= 0 else { return nil }; options.lingerMillis = n
        case "--compression":
            switch value {
            case "none": options.compression = .none
            case "lz4": options.compression = .lz4
            default: return nil
            }
        case "--acks":
            switch value {
            case "all", "-1": options.acks = .all
            case "1": options.acks = .leader
            case "0": options.acks = .none
            default: return nil
            }
        case "--no-idempotence": options.idempotent = false; index += 1; continue
        default: return nil
        }
        index += 2
    }
    return ["produce", "consume"].contains(options.mode) ? options : nil
}

func nowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func report(records: Int, bytes: Int, seconds: Double) {
    let rate = Double(records) / max(seconds, 1e-9)
    print("records=\(records) seconds=\(String(format3(seconds))) rate=\(Int(rate)) mbps=\(format3(Double(bytes) / max(seconds, 1e-9) / 1e6))")
}

func format3(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}

/// Sends `count` records of `size` bytes to partition 0 with the fire-and-forget form, then
/// flushes; the clock covers the first send to the last acknowledgement.
func produce(_ options: Options) async throws {
    let admin = try Admin(bootstrap: [options.bootstrap])
    try? await admin.createTopic(options.topic, partitions: 1)
    await admin.close()
    var config = ProducerConfig()
    config.acks = options.acks
    config.idempotent = options.idempotent && options.acks == .all
    config.lingerMillis = options.lingerMillis
    config.compression = options.compression
    let producer = try await Producer(bootstrap: [options.bootstrap], config: config)
    let value = [UInt8](repeating: 0x61, count: options.size)
    let failures = Atomic<Int>(0)
    let start = nowSeconds()
    for _ in 0..<options.count {
        try await producer.send(topic: options.topic, partition: 0, value: value) { result in
            if case .failure = result { failures.add(1, ordering: .relaxed) }
        }
    }
    await producer.flush()
    let seconds = nowSeconds() - start
    await producer.close()
    let failed = failures.load(ordering: .relaxed)
    if failed > 0 { print("failed=\(failed)") }
    report(records: options.count - failed, bytes: (options.count - failed) * options.size, seconds: seconds)
}

/// Reads `count` records of partition 0 from the beginning.
func consume(_ options: Options) async throws {
    let consumer = try await Consumer(bootstrap: [options.bootstrap])
    try await consumer.assign([TopicPartition(options.topic, 0)])
    try await consumer.seek(TopicPartition(options.topic, 0), to: .beginning)
    var records = 0
    var bytes = 0
    let start = nowSeconds()
    var idlePolls = 0
    while records < options.count && idlePolls < 10 {
        let batch = try await consumer.poll(timeoutMillis: 1_000)
        idlePolls = batch.isEmpty ? idlePolls + 1 : 0
        records += batch.count
        for record in batch { bytes += record.value?.count ?? 0 }
    }
    let seconds = nowSeconds() - start
    await consumer.close()
    report(records: records, bytes: bytes, seconds: seconds)
}

guard let options = parse(CommandLine.arguments) else {
    print("usage: sluice-client-bench produce|consume --bootstrap HOST:PORT --topic T [--size B] [--count N] [--acks all|1|0] [--no-idempotence] [--linger-ms N] [--compression lz4|none]")
    exit(2)
}
do {
    if options.mode == "produce" { try await produce(options) } else { try await consume(options) }
} catch {
    print("error: \(error)")
    exit(1)
}
