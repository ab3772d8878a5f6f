import SluiceClient

// Joins group "greeters", reads "greetings" from the start, commits what it handled.
var config = ConsumerConfig()
config.groupId = "greeters"
config.autoOffsetReset = .earliest
let consumer = try await Consumer(bootstrap: ["127.0.0.1:9092"], config: config)
try await consumer.subscribe(["greetings"], listener: RebalanceListener(
    onRevoked: { _ in try? await consumer.commit() },  // commit before partitions move away
    onAssigned: { partitions in print("assigned \(partitions)") }))
var handled = 0
for try await record in consumer.records {
    let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    print("\(record.topicPartition)@\(record.offset) \(key) = \(value)")
    handled += 1
    if handled % 5 == 0 { try await consumer.commit() }
    if handled == 10 { break }  // a service would keep going
}
try await consumer.commit()
await consumer.close()
