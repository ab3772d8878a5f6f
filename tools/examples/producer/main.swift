import SluiceClient

// Sends ten keyed records to "greetings" on the broker `make run` starts, each acknowledged.
let admin = try Admin(bootstrap: ["127.0.0.1:9092"])
do {
    try await admin.createTopic("greetings", partitions: 3)
} catch let error as SluiceClientError where error.code == .topicAlreadyExists {}
await admin.close()

let producer = try await Producer(bootstrap: ["127.0.0.1:9092"])  // acks=all, idempotent, LZ4
for i in 0..<10 {
    let meta = try await producer.send(topic: "greetings", key: Array("user-\(i % 3)".utf8), value: Array("hello \(i)".utf8))
    print("hello \(i) -> partition \(meta.partition), offset \(meta.offset)")
}
await producer.close()
