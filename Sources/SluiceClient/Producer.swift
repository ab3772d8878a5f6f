import SluiceIO
import SluiceWire
import Synchronization

/// How many replicas must have a record before the broker acknowledges it.
public enum Acks: Int16, Sendable {
    /// No response at all (fire and forget; offsets are reported as -1).
    case none = 0
    /// The leader wrote it.
    case leader = 1
    /// Every in-sync replica has it. Required for idempotence.
    case all = -1
}

/// Compression of produced batches.
public enum Compression: Sendable {
    /// Records as they are.
    case none
    /// LZ4 frames, as every Kafka client reads.
    case lz4
}

/// Producer settings. Defaults follow the Java client where it matters (acks=all, idempotence).
public struct ProducerConfig: Sendable {
    /// Connection settings.
    public var connection = ConnectionConfig()
    /// Acknowledgement level; idempotence needs `.all`.
    public var acks: Acks = .all
    /// Producer id, epoch and sequences, so retries never duplicate or reorder.
    public var idempotent = true
    /// Batch compression.
    public var compression: Compression = .lz4
    /// How long a partition's batch waits for more records before it is sent.
    public var lingerMillis = 5
    /// A batch is sent once it holds this many (uncompressed) record bytes. librdkafka's default:
    /// large batches cost the broker far less per record, and stay under Kafka's default
    /// `message.max.bytes` (1048588) even when the data does not compress.
    public var batchBytes = 1_000_000
    /// Bytes of records not yet acknowledged; a full buffer makes `send` wait (backpressure).
    public var bufferBytesMax = 32 * 1024 * 1024
    /// Produce requests in flight per broker; with idempotence also batches in flight per
    /// partition (at most 5, what the broker remembers for deduplication).
    public var maxInFlight = 5
    /// Retries per batch on retriable errors.
    public var retries = 10
    /// First retry backoff; doubled per attempt up to `retryBackoffMaxMillis`, with ±20% jitter.
    public var retryBackoffMillis = 100
    /// Largest retry backoff.
    public var retryBackoffMaxMillis = 1_000
    /// A record not acknowledged within this time fails.
    public var deliveryTimeoutMillis = 120_000
    /// How long `send` waits for an unknown topic (or one without a leader) to appear.
    public var metadataWaitMillis = 10_000

    /// Defaults.
    public init() {}
}

/// Where a produced record landed.
public struct RecordMetadata: Sendable, Equatable {
    /// Topic.
    public var topic: String
    /// Partition.
    public var partition: Int32
    /// Offset; -1 with acks=0.
    public var offset: Int64
    /// The record's timestamp (create time, or the broker's log-append time).
    public var timestamp: Int64
}

/// A batching, idempotent producer.
///
/// ```swift
/// let producer = try await Producer(bootstrap: ["127.0.0.1:9092"])
/// let meta = try await producer.send(topic: "orders", key: Array("42".utf8), value: Array("hello".utf8))
/// try await producer.send(topic: "orders", key: nil, value: Array("x".utf8)) { result in print(result) }
/// try await producer.flush()
/// await producer.close()
/// ```
///
/// Inside: one accumulator per partition (`lingerMillis`, `batchBytes`), a shared byte budget
/// (`bufferBytesMax`), up to `maxInFlight` (at most 5) batches in flight per partition with
/// idempotence (the broker's sequence check keeps them in order, and retries keep their
/// sequences) or one without it (so retries cannot reorder), up to `maxInFlight` requests per
/// broker. Keyed records go to `murmur2(key) mod partitions`; records without a key stick to one
/// partition until its batch is sent. A fire-and-forget `send` to a known topic with buffer
/// space takes a lock-protected fast path and does not wait for the producer's actor.
public final class Producer: Sendable {
    let engine: ProducerEngine

    /// Connects, negotiates versions and, when idempotent, obtains a producer id.
    public init(bootstrap: [String], config: ProducerConfig = ProducerConfig()) async throws {
        guard !config.idempotent || config.acks == .all else {
            throw SluiceClientError.invalidArgument("idempotence needs acks=all (set idempotent = false for acks \(config.acks.rawValue))")
        }
        guard config.batchBytes > 0, config.bufferBytesMax >= config.batchBytes, config.maxInFlight > 0 else {
            throw SluiceClientError.invalidArgument("batchBytes must be positive and at most bufferBytesMax; maxInFlight positive")
        }
        let cluster = try Cluster(bootstrap: bootstrap, config: config.connection)
        engine = ProducerEngine(cluster: cluster, config: config)
        do {
            try await engine.start()
        } catch {
            await cluster.close()
            throw error
        }
    }

    /// A producer dropped without `close()` still flushes and closes, in the background.
    deinit {
        let engine = self.engine
        Task { await engine.close() }
    }

    /// Sends a record and waits for its acknowledgement. Waits first for buffer space when the
    /// buffer is full. `partition` overrides the partitioner; `timestamp` (ms) defaults to now.
    @discardableResult
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [Header] = [],
                     timestamp: Int64? = nil) async throws -> RecordMetadata {
        let delivery = Delivery()
        try await engine.enqueue(IntakeRecord(topic: topic, partition: partition, key: key, value: value, headers: headers,
                                              timestamp: timestamp) { result in delivery.complete(result) })
        return try await delivery.wait()
    }

    /// Queues a record and returns once it is buffered (waiting for space when the buffer is
    /// full); `completion` runs when the broker acknowledges it or it finally fails. Records
    /// queued by one task are sent in call order. `completion` runs on the producer's executor:
    /// keep it short.
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [Header] = [],
                     timestamp: Int64? = nil, completion: @escaping @Sendable (Result<RecordMetadata, SluiceClientError>) -> Void) async throws {
        let record = IntakeRecord(topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp,
                                  completion: completion)
        guard let slow = engine.intake.offer(record, metadataMaxAgeMillis: engine.config.connection.metadataMaxAgeMillis) else { return }
        try await engine.enqueue(slow)
    }

    /// Sends everything buffered now and waits until all of it is acknowledged or failed.
    public func flush() async {
        await engine.flush()
    }

    /// Flushes, then closes the connections; later sends throw `.closed`.
    public func close() async {
        await engine.close()
    }

    /// The producer id and epoch in use (-1 when not idempotent).
    public var producerIdAndEpoch: (id: Int64, epoch: Int16) {
        get async { await engine.producerIdAndEpoch }
    }
}

/// A one-shot result box bridging a completion to `async`.
final class Delivery: Sendable {
    private let state = Mutex<(result: Result<RecordMetadata, SluiceClientError>?, waiter: CheckedContinuation<RecordMetadata, any Error>?)>((nil, nil))

    func complete(_ result: Result<RecordMetadata, SluiceClientError>) {
        let waiter = state.withLock { box -> CheckedContinuation<RecordMetadata, any Error>? in
            box.result = result
            defer { box.waiter = nil }
            return box.waiter
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
    }

    func wait() async throws -> RecordMetadata {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { box -> Result<RecordMetadata, SluiceClientError>? in
                if box.result == nil { box.waiter = continuation }
                return box.result
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
        }
    }
}

/// Test hooks that inject faults into the producer.
struct ProducerFaults: Sendable {
    /// Send every produce request twice (pipelined) and use the second answer: the broker must
    /// deduplicate by sequence.
    var sendTwice = false
    /// Close the connection right after writing the next N produce requests.
    var dropConnectionAfterSends = 0
}

/// A batch of one partition, from open (accumulating) through sealed, in flight and retried.
struct ProducerBatch {
    var id: Int
    var partition: TopicPartition
    var records: [IntakeRecord] = []
    var sizeBytes = 0
    var createdNanos: UInt64
    var attempts = 0
    /// Encoded at the first send, with its sequence; retries resend exactly these bytes.
    var encoded: [UInt8]?
    var baseSequence: Int32 = -1
}

/// The accumulator and sender. An actor: all bookkeeping is serialized here; I/O happens on the
/// connections' threads.
///
/// Per partition: `open` collects records; sealed batches wait in `queue`; up to
/// `inFlightPerPartitionMax` batches are in flight (`inFlight`): `min(maxInFlight, 5)` with
/// idempotence, where the broker orders batches by sequence and refuses a gap, else one, so a
/// retried batch can never be overtaken. Sequences are assigned when a batch is first encoded,
/// so a failed and retried batch keeps its sequence and the broker deduplicates it. When a batch
/// fails retriably the partition is `blocked`: nothing new is sent until every batch in flight
/// is back (later ones come back OUT_OF_ORDER_SEQUENCE_NUMBER and are retried with it) and the
/// failed ones are back in `queue` in batch order; then it resumes from the head.
///
/// A batch's life:
///
/// | state | where | next |
/// |---|---|---|
/// | queued | `Producer.send` → `ProducerIntake` | placed by `drainIntake` (fire-and-forget sends); other sends place directly |
/// | open | `PartitionState.open` | sealed when full (`batchBytes`), at `lingerMillis`, or on `flush` |
/// | sealed | `PartitionState.queue` | in flight when its partition is not blocked, has fewer than `inFlightPerPartitionMax` in flight, and the leader's broker is under `maxInFlight` |
/// | in flight | a `sendRequest` task; counted in `inFlight` | done; or back into the queue (in order) after a backoff (retriable); or failed |
/// | done / failed | completions called, buffer bytes released | — (a failed idempotent batch also renews the producer id) |
actor ProducerEngine {
    private struct PartitionState {
        var open: ProducerBatch?
        var queue: [ProducerBatch] = []
        /// Batches of this partition in flight. At most `inFlightPerPartitionMax`.
        var inFlight = 0
        /// A batch of this partition failed retriably: nothing more is sent until every batch in
        /// flight has come back and the failed ones are back in `queue`, in batch order.
        var blocked = false
        /// Failed batches waiting out their backoff before they return to `queue`.
        var retrying = 0
        var nextSequence: Int32 = 0
    }

    let cluster: Cluster
    let config: ProducerConfig
    var faults = ProducerFaults()
    private var partitions: [TopicPartition: PartitionState] = [:]
    private var leaders: [TopicPartition: Int32] = [:]
    private var partitionCounts: [String: (count: Int32, fetchedNanos: UInt64)] = [:]
    private var sticky: [String: Int32] = [:]
    private var inFlightPerNode: [Int32: Int] = [:]
    /// The fast path's queue and the byte budget (`bufferedBytes` lives there, under its lock).
    let intake: ProducerIntake
    /// Sends waiting for buffer space, in order; `intake` counts them so the fast path queues behind.
    private var spaceWaiters: [(bytes: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var outstandingRecords = 0
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextBatchId = 0
    private var producerId: Int64 = -1
    private var producerEpoch: Int16 = -1
    private var closed = false
    private var random = SystemRandomNumberGenerator()

    init(cluster: Cluster, config: ProducerConfig) {
        self.cluster = cluster
        self.config = config
        self.intake = ProducerIntake(bufferBytesMax: config.bufferBytesMax)
    }

    var producerIdAndEpoch: (id: Int64, epoch: Int16) { (producerId, producerEpoch) }

    /// Test hook.
    func setFaults(_ faults: ProducerFaults) { self.faults = faults }

    func start() async throws {
        intake.setDrain { [weak self] in await self?.drainIntake() }
        _ = try await cluster.anyConnection()
        if config.idempotent { try await initProducerId() }
    }

    /// Asks for a (new) producer id and resets every partition's sequence.
    private func initProducerId() async throws {
        var lastError: (any Error)?
        for attempt in 0..<10 {
            if attempt > 0 { try await Task.sleep(nanoseconds: UInt64(backoffMillis(attempt: attempt)) * 1_000_000) }
            do {
                let connection = try await cluster.anyConnection()
                let response = try await connection.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000),
                                                         expecting: InitProducerIdResponse.self,
                                                         timeoutMillis: config.connection.requestTimeoutMillis)
                try SluiceClientError.check(response.errorCode, "InitProducerId on broker \(connection.address)")
                producerId = response.producerId
                producerEpoch = response.producerEpoch
                for key in partitions.keys { partitions[key]?.nextSequence = 0 }
                return
            } catch let error as SluiceClientError where error.isRetriable {
                lastError = error
            }
        }
        throw lastError ?? SluiceClientError.closed
    }

    // MARK: accumulate

    /// The slow path of a send: waits for metadata and buffer space as needed, then places the
    /// record. Records already in the intake go first, so one task's records keep their order.
    func enqueue(_ record: IntakeRecord) async throws {
        drainIntake()
        guard !closed else { throw SluiceClientError.closed }
        let size = record.sizeBytes
        guard size <= config.bufferBytesMax else {
            throw SluiceClientError.kafka(code: .messageTooLarge, message: "record of \(size) bytes exceeds bufferBytesMax \(config.bufferBytesMax)")
        }
        let count = try await partitionCount(record.topic)
        if let explicit = record.partition, !(0..<count).contains(explicit) {
            throw SluiceClientError.kafka(code: .unknownTopicOrPartition,
                                          message: "partition \(explicit) of '\(record.topic)' does not exist (\(count) partitions)")
        }
        // Backpressure: wait in line when the buffer is full or others already wait.
        if !intake.reserve(bytes: size) {
            try await withCheckedThrowingContinuation { continuation in
                spaceWaiters.append((size, continuation))
            }
            // The waker reserved `size` bytes for us.
        }
        guard !closed else {
            release(bytes: size)
            throw SluiceClientError.closed
        }
        drainIntake()
        var state = PartitionState()
        var current: TopicPartition?
        place(record, count: count, nowMillis: currentTimeMillis(), state: &state, current: &current)
        if let current { partitions[current] = state }
        drain()
    }

    /// Places every record the fast path queued, then sends what is ready. Runs of records for
    /// one partition keep its state out of the dictionary, so appends neither hash nor copy.
    func drainIntake() {
        // The create time of records queued without one: taken once per run (the run waited at
        // most one drain, well under a millisecond while records flow).
        let nowMillis = currentTimeMillis()
        intake.tick(nowNanos: monotonicNanos())
        var records = intake.take()
        guard !records.isEmpty else { return }
        var state = PartitionState()
        var current: TopicPartition?
        // Reversed, then popped: each record is moved out of the array, not copied.
        records.reverse()
        while let (record, count) = records.popLast() {
            place(record, count: count, nowMillis: nowMillis, state: &state, current: &current)
        }
        if let current { partitions[current] = state }
        drain()
    }

    /// Chooses the partition and appends `record` (its bytes already reserved) to that
    /// partition's open batch; a record without a timestamp gets `nowMillis`. `state` holds the partition `current` taken out of `partitions`;
    /// the caller puts it back.
    private func place(_ record: consuming IntakeRecord, count: Int32, nowMillis: Int64, state: inout PartitionState,
                       current: inout TopicPartition?) {
        let partition: Int32
        if let explicit = record.partition {
            partition = explicit
        } else if let key = record.key {
            partition = Partitioner.partition(forKey: key, partitionCount: count)
        } else {
            partition = sticky[record.topic] ?? Int32.random(in: 0..<count, using: &random)
            sticky[record.topic] = partition
        }
        let tp = TopicPartition(record.topic, partition)
        if current != tp {
            if let previous = current { partitions[previous] = state }
            // Taken out of the dictionary so the batch's record array is uniquely referenced and
            // appends do not copy it (copy-on-write would make a batch cost O(records²)).
            state = partitions.removeValue(forKey: tp) ?? PartitionState()
            current = tp
        }
        let size = record.sizeBytes
        outstandingRecords += 1
        if let open = state.open, open.sizeBytes + size > config.batchBytes, !open.records.isEmpty {
            state.queue.append(open)
            state.open = nil
            if record.key == nil { switchSticky(topic: record.topic, count: count) }
        }
        if state.open == nil {
            let batchId = nextBatchId
            nextBatchId += 1
            state.open = ProducerBatch(id: batchId, partition: tp, createdNanos: monotonicNanos())
            state.open?.records.reserveCapacity(min(4_096, config.batchBytes / max(size, 1) + 1))
            if config.lingerMillis > 0 {
                let linger = UInt64(config.lingerMillis) * 1_000_000
                Task { [weak self] in
                    try? await Task.sleep(nanoseconds: linger)
                    await self?.lingerExpired(tp, batchId: batchId)
                }
            }
        }
        var record = record
        record.createTime = record.timestamp ?? nowMillis
        state.open?.records.append(record)
        state.open?.sizeBytes += size
        if let open = state.open, open.sizeBytes >= config.batchBytes || config.lingerMillis <= 0 {
            state.queue.append(open)
            state.open = nil
            if record.key == nil, config.lingerMillis > 0 { switchSticky(topic: record.topic, count: count) }
        }
    }

    private func switchSticky(topic: String, count: Int32) {
        guard count > 1, let current = sticky[topic] else { return }
        var next = Int32.random(in: 0..<(count - 1), using: &random)
        if next >= current { next += 1 }
        sticky[topic] = next
    }

    private func partitionCount(_ topic: String) async throws -> Int32 {
        let maxAge = UInt64(config.connection.metadataMaxAgeMillis) * 1_000_000
        if let known = partitionCounts[topic], nanosElapsed(since: known.fetchedNanos) < maxAge { return known.count }
        let meta = try await cluster.topic(topic, waitMillis: config.metadataWaitMillis)
        learn(meta)
        return Int32(meta.partitions.count)
    }

    private func learn(_ meta: TopicMetadata) {
        partitionCounts[meta.name] = (Int32(meta.partitions.count), meta.fetchedAtNanos)
        intake.learn(topic: meta.name, partitionCount: Int32(meta.partitions.count), fetchedNanos: meta.fetchedAtNanos)
        for partition in meta.partitions { leaders[TopicPartition(meta.name, partition.partition)] = partition.leader }
    }

    private func lingerExpired(_ tp: TopicPartition, batchId: Int) {
        guard partitions[tp]?.open?.id == batchId, var state = partitions.removeValue(forKey: tp), let open = state.open else { return }
        state.queue.append(open)
        state.open = nil
        partitions[tp] = state
        if sticky[tp.topic] == tp.partition, let known = partitionCounts[tp.topic] { switchSticky(topic: tp.topic, count: known.count) }
        drain()
    }

    // MARK: send

    /// Sends every sealed batch whose partition has nothing in flight, grouped by leader, within
    /// each broker's in-flight limit.
    private func drain() {
        var byNode: [Int32: [ProducerBatch]] = [:]
        for tp in partitions.keys.sorted() {
            guard let sendable = partitions[tp].map({
                $0.inFlight < inFlightPerPartitionMax && !$0.blocked && !$0.queue.isEmpty && !(producerIdStale && $0.queue[0].encoded == nil)
            }), sendable else { continue }
            guard let leader = leaders[tp], leader >= 0 else {
                Task { await self.refreshLeaders(topic: tp.topic) }
                continue
            }
            let used = (inFlightPerNode[leader] ?? 0) + (byNode[leader] == nil ? 0 : 1)
            guard used < config.maxInFlight || byNode[leader] != nil else { continue }
            guard var state = partitions.removeValue(forKey: tp) else { continue }
            // Without idempotence one request carries every sealed batch of the partition (up to
            // `partitionRequestBytesMax`): they are written together, in order, or retried together.
            var takenBytes = 0
            while let next = state.queue.first,
                  takenBytes == 0 || (!config.idempotent && takenBytes + next.sizeBytes <= Self.partitionRequestBytesMax) {
                var batch = state.queue.removeFirst()
                if batch.encoded == nil {
                    do {
                        try encode(&batch, sequence: &state.nextSequence)
                    } catch {
                        complete(batch, with: .failure(.invalidArgument("cannot encode batch: \(error)")))
                        continue
                    }
                }
                takenBytes += max(batch.encoded?.count ?? 0, 1)
                state.inFlight += 1
                byNode[leader, default: []].append(batch)
            }
            partitions[tp] = state
        }
        for (node, batches) in byNode {
            inFlightPerNode[node, default: 0] += 1
            let ticket = takeTicket(node: node)
            Task { await self.sendRequest(node: node, batches: batches, ticket: ticket) }
        }
    }

    private func encode(_ batch: inout ProducerBatch, sequence: inout Int32) throws {
        guard let first = batch.records.first else { return }
        // Records go straight from the pending records into one buffer: no `Record` values, no
        // buffer per record.
        var writer = ByteWriter(capacity: batch.sizeBytes)
        var maxTimestamp = first.createTime
        for (index, record) in batch.records.enumerated() {
            maxTimestamp = max(maxTimestamp, record.createTime)
            Record.encode(into: &writer, timestampDelta: record.createTime - first.createTime, offsetDelta: Int32(index),
                          key: record.key, value: record.value, headers: record.headers.isEmpty ? [] : Record.wireHeaders(record.headers))
        }
        let count = batch.records.count
        let idempotent = config.idempotent && producerId >= 0
        batch.baseSequence = idempotent ? sequence : -1
        batch.encoded = try RecordBatch.encode(
            recordBytes: writer.bytes, recordsCount: count, lastOffsetDelta: Int32(count - 1),
            codec: config.compression == .lz4 ? .lz4 : .none, baseTimestamp: first.createTime, maxTimestamp: maxTimestamp,
            producerId: idempotent ? producerId : -1, producerEpoch: idempotent ? producerEpoch : -1, baseSequence: batch.baseSequence)
        if idempotent {
            let next = Int64(sequence) + Int64(count)
            sequence = next > Int64(Int32.max) ? Int32(next - Int64(Int32.max) - 1) : Int32(next)
        }
    }

    // MARK: request order per broker

    /// Requests to one broker are written in the order `drain` made them: with several batches
    /// of a partition in flight, a later sequence written first would be refused. Each request
    /// takes a ticket in `drain`; `sendRequest` may connect in any order, but writes only on its turn.
    private var nodeTurns: [Int32: (next: Int, serving: Int)] = [:]
    private var turnWaiters: [Int32: [Int: CheckedContinuation<Void, Never>]] = [:]

    private func takeTicket(node: Int32) -> Int {
        let ticket = nodeTurns[node, default: (0, 0)].next
        nodeTurns[node, default: (0, 0)].next += 1
        return ticket
    }

    private func waitTurn(node: Int32, ticket: Int) async {
        guard nodeTurns[node, default: (0, 0)].serving != ticket else { return }
        await withCheckedContinuation { turnWaiters[node, default: [:]][ticket] = $0 }
    }

    private func endTurn(node: Int32) {
        nodeTurns[node, default: (0, 0)].serving += 1
        let serving = nodeTurns[node, default: (0, 0)].serving
        turnWaiters[node]?.removeValue(forKey: serving)?.resume()
    }

    private func sendRequest(node: Int32, batches: [ProducerBatch], ticket: Int) async {
        // Batches of one partition (several only without idempotence) go back to back, in order.
        var recordSets: [(tp: TopicPartition, bytes: [UInt8])] = []
        for batch in batches {
            if let last = recordSets.indices.last, recordSets[last].tp == batch.partition {
                recordSets[last].bytes.append(contentsOf: batch.encoded ?? [])
            } else {
                recordSets.append((batch.partition, batch.encoded ?? []))
            }
        }
        var byTopic: [String: [ProduceRequest.Topic.Partition]] = [:]
        for set in recordSets {
            byTopic[set.tp.topic, default: []].append(.init(index: set.tp.partition, records: .bytes(set.bytes)))
        }
        let timeout = config.connection.requestTimeoutMillis
        let request = ProduceRequest(transactionalId: nil, acks: config.acks.rawValue, timeoutMs: Int32(clamping: timeout),
                                     topicData: byTopic.sorted { $0.key < $1.key }.map { .init(name: $0.key, partitionData: $0.value) })
        var results: [TopicPartition: ProduceResponse.Topic.Partition] = [:]
        var failure: SluiceClientError?
        do {
            let connection: BrokerConnection
            do {
                connection = try await cluster.connection(node: node)
            } catch {
                await waitTurn(node: node, ticket: ticket)
                endTurn(node: node)
                throw error
            }
            await waitTurn(node: node, ticket: ticket)
            var turnEnded = false
            defer { if !turnEnded { endTurn(node: node) } }
            let version = try connection.requireVersion(.produce)
            var writer = ByteWriter(capacity: batches.reduce(256) { $0 + ($1.encoded?.count ?? 0) })
            request.encode(into: &writer, version: version)
            let body = writer.bytes
            let expectResponse = config.acks != .none
            if faults.sendTwice && expectResponse {
                _ = try await connection.roundTrip(api: .produce, version: version, body: body, timeoutMillis: timeout)
            }
            if faults.dropConnectionAfterSends > 0 {
                faults.dropConnectionAfterSends -= 1
                _ = try await connection.roundTrip(api: .produce, version: version, body: body, expectResponse: false, timeoutMillis: timeout)
                connection.close()
                throw SluiceClientError.connectionClosed(broker: connection.address, reason: "closed by a test fault")
            }
            // Written on this actor, in turn; the next request may go as soon as this one is queued.
            let frame: [UInt8] = try await withCheckedThrowingContinuation { continuation in
                connection.enqueue(api: .produce, version: version, body: body, expectResponse: expectResponse, timeoutMillis: timeout) { result in
                    continuation.resume(with: result.mapError { $0 as any Error })
                }
                turnEnded = true
                endTurn(node: node)
            }
            if expectResponse {
                let response = try connection.decodeResponse(frame, api: .produce, version: version, as: ProduceResponse.self)
                for topic in response.responses {
                    for partition in topic.partitionResponses { results[TopicPartition(topic.name, partition.index)] = partition }
                }
            }
        } catch let error as SluiceClientError {
            failure = error
        } catch {
            failure = .protocolError(broker: "node \(node)", reason: "\(error)")
        }
        inFlightPerNode[node, default: 1] -= 1
        var retry: [ProducerBatch] = []
        // The broker appends a partition's batches contiguously: each starts where the last ended.
        var nextBase: [TopicPartition: Int64] = [:]
        for var batch in batches {
            let tp = batch.partition
            partitions[tp]?.inFlight -= 1
            let error: SluiceClientError
            if let failure {
                error = failure
            } else if config.acks == .none {
                finish(batch, base: -1, logAppendTime: -1)
                unblockIfSettled(tp)
                continue
            } else if let result = results[tp] {
                if result.errorCode == 0 || result.errorCode == KafkaErrorCode.duplicateSequenceNumber.rawValue {
                    let base = nextBase[tp] ?? result.baseOffset
                    nextBase[tp] = base >= 0 ? base + Int64(batch.records.count) : -1
                    finish(batch, base: base, logAppendTime: result.logAppendTimeMs)
                    unblockIfSettled(tp)
                    continue
                }
                error = .kafka(code: KafkaErrorCode(result.errorCode),
                               message: "produce to \(tp)\(result.errorMessage.map { ": \($0)" } ?? "")")
            } else {
                failBatch(batch, .protocolError(broker: "node \(node)", reason: "no produce result for \(tp)"))
                unblockIfSettled(tp)
                continue
            }
            var outOfOrder = false
            if case .kafka(let code, _) = error { outOfOrder = code == .outOfOrderSequenceNumber }
            if shouldRetry(batch, error) || (outOfOrder && partitions[tp]?.blocked == true && shouldRetry(batch, nil)) {
                // Retriable, or overtaken by an earlier batch of this partition that is being
                // retried: back to the queue, in order, once everything in flight is back.
                partitions[tp]?.blocked = true
                partitions[tp]?.retrying += 1
                retry.append(batch)
            } else if outOfOrder, batch.baseSequence >= 0, producerIdStale || renewingProducerId, shouldRetry(batch, nil) {
                // An earlier batch failed for good, so this one (sent after it, with the old
                // producer id) was refused: it was not written. It goes back unencoded and gets
                // a sequence of the new producer id.
                batch.encoded = nil
                batch.baseSequence = -1
                requeue(batch)
            } else {
                failBatch(batch, error)
            }
            unblockIfSettled(tp)
        }
        if !retry.isEmpty { await scheduleRetry(retry) }
        drain()
    }

    /// Whether `batch` may be sent again after `error` (nil: whatever the error, only the
    /// attempt count, age and close state decide).
    private func shouldRetry(_ batch: ProducerBatch, _ error: SluiceClientError?) -> Bool {
        let age = nanosElapsed(since: batch.createdNanos) / 1_000_000
        return !closedHard && (error?.isRetriable ?? true) && batch.attempts < config.retries && age < UInt64(config.deliveryTimeoutMillis)
    }

    /// Batches per partition in flight at once. With idempotence the broker orders them by
    /// sequence (and remembers the last five per partition for deduplication, hence at most 5);
    /// without it, a retried batch could land after a later one, so one at a time.
    private var inFlightPerPartitionMax: Int { config.idempotent ? min(config.maxInFlight, 5) : 1 }

    /// Most bytes of batches of one partition in one produce request (without idempotence).
    static let partitionRequestBytesMax = 2 * 1024 * 1024

    /// Puts `batch` back into its partition's queue in batch order (ids grow in creation order).
    private func requeue(_ batch: ProducerBatch) {
        guard var state = partitions.removeValue(forKey: batch.partition) else { return }
        let index = state.queue.firstIndex { $0.id > batch.id } ?? state.queue.count
        state.queue.insert(batch, at: index)
        partitions[batch.partition] = state
    }

    /// A blocked partition resumes once nothing of it is in flight or waiting out a backoff.
    private func unblockIfSettled(_ tp: TopicPartition) {
        guard let state = partitions[tp], state.blocked, state.inFlight == 0, state.retrying == 0 else { return }
        partitions[tp]?.blocked = false
    }

    private var closedHard = false

    /// Waits a backoff (the partitions stay blocked, so nothing overtakes), refreshes metadata,
    /// then puts the batches back into their queues in batch order.
    private func scheduleRetry(_ batches: [ProducerBatch]) async {
        let attempt = (batches.map(\.attempts).max() ?? 0) + 1
        try? await Task.sleep(nanoseconds: UInt64(backoffMillis(attempt: attempt)) * 1_000_000)
        for topic in Set(batches.map(\.partition.topic)) { await refreshLeaders(topic: topic) }
        for var batch in batches {
            batch.attempts += 1
            requeue(batch)
            partitions[batch.partition]?.retrying -= 1
            unblockIfSettled(batch.partition)
        }
    }

    private func backoffMillis(attempt: Int) -> Int {
        let base = min(config.retryBackoffMaxMillis, config.retryBackoffMillis << min(attempt - 1, 16))
        let jitter = Double.random(in: 0.8...1.2, using: &random)
        return max(1, Int(Double(base) * jitter))
    }

    /// Refreshes a topic's leaders (one refresh per topic at a time; a failed one backs off), fails
    /// batches that waited longer than `deliveryTimeoutMillis` for a leader, and drains.
    private func refreshLeaders(topic: String) async {
        guard !refreshingTopics.contains(topic) else { return }
        refreshingTopics.insert(topic)
        await cluster.invalidate(topic: topic)
        if let meta = try? await cluster.topic(topic, forceRefresh: true) {
            learn(meta)
        } else {
            try? await Task.sleep(nanoseconds: UInt64(backoffMillis(attempt: 1)) * 1_000_000)
        }
        refreshingTopics.remove(topic)
        if expireLeaderlessBatches(topic: topic) {
            producerIdNeedsRenewal()  // an expired retry may have been written: never reuse its sequences
        }
        drain()
    }

    private var refreshingTopics: Set<String> = []

    /// Returns whether an expired batch already had a sequence (it was sent at least once).
    private func expireLeaderlessBatches(topic: String) -> Bool {
        var sequenced = false
        let limit = UInt64(config.deliveryTimeoutMillis) * 1_000_000
        let now = monotonicNanos()
        for tp in partitions.keys where tp.topic == topic && (leaders[tp] ?? -1) < 0 {
            guard let state = partitions[tp], state.inFlight == 0, !state.blocked, let head = state.queue.first, nanosElapsed(since: head.createdNanos, now: now) > limit,
                  var owned = partitions.removeValue(forKey: tp) else { continue }
            let expired = owned.queue
            owned.queue = []
            partitions[tp] = owned
            let error = SluiceClientError.kafka(code: .requestTimedOut,
                                                message: "no leader for \(tp) within deliveryTimeoutMillis \(config.deliveryTimeoutMillis)")
            for batch in expired {
                sequenced = sequenced || batch.baseSequence >= 0
                complete(batch, with: .failure(error))
            }
        }
        return sequenced
    }

    // MARK: completion

    private func finish(_ batch: ProducerBatch, base: Int64, logAppendTime: Int64) {
        for (index, record) in batch.records.enumerated() {
            let offset = base >= 0 ? base + Int64(index) : -1
            let metadata = RecordMetadata(topic: batch.partition.topic, partition: batch.partition.partition, offset: offset,
                                          timestamp: logAppendTime >= 0 ? logAppendTime : record.createTime)
            record.completion(.success(metadata))
        }
        recordsDone(batch)
    }

    /// A batch failed for good. With idempotence its sequence range may or may not have been
    /// written, so the producer takes a new producer id: later batches start again at sequence 0
    /// and can never be mistaken for duplicates of this one.
    private func failBatch(_ batch: ProducerBatch, _ error: SluiceClientError) {
        if batch.baseSequence >= 0 { producerIdNeedsRenewal() }
        complete(batch, with: .failure(error))
    }

    /// A batch with a sequence failed for good, so its sequence range may or may not be in the
    /// log: new batches must not be encoded with this producer id. They wait (batches already
    /// encoded may still be retried) until InitProducerId gives a new one.
    private func producerIdNeedsRenewal() {
        guard config.idempotent, !closedHard else { return }
        producerIdStale = true
        guard !renewingProducerId else { return }
        renewingProducerId = true
        Task {
            do {
                try await initProducerId()
                producerIdStale = false
            } catch {
                try? await Task.sleep(nanoseconds: UInt64(backoffMillis(attempt: 3)) * 1_000_000)
            }
            renewingProducerId = false
            if producerIdStale && !closedHard {
                producerIdNeedsRenewal()
            } else {
                drain()
            }
        }
    }

    private var producerIdStale = false
    private var renewingProducerId = false

    private func complete(_ batch: ProducerBatch, with result: Result<RecordMetadata, SluiceClientError>) {
        for record in batch.records { record.completion(result) }
        recordsDone(batch)
    }

    private func recordsDone(_ batch: ProducerBatch) {
        outstandingRecords -= batch.records.count
        release(bytes: batch.records.reduce(0) { $0 + $1.sizeBytes })
        if outstandingRecords == 0 {
            let waiters = flushWaiters
            flushWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Returns bytes to the buffer and wakes waiters in order, reserving their bytes.
    private func release(bytes: Int) {
        let woken = intake.release(bytes: bytes, waiting: spaceWaiters.map(\.bytes))
        guard woken > 0 else { return }
        let waiters = spaceWaiters.prefix(woken)
        spaceWaiters.removeFirst(woken)
        for waiter in waiters { waiter.continuation.resume() }
    }

    // MARK: flush and close

    func flush() async {
        drainIntake()
        for tp in partitions.keys {
            if let open = partitions[tp]?.open {
                partitions[tp]?.queue.append(open)
                partitions[tp]?.open = nil
            }
        }
        drain()
        if outstandingRecords > 0 {
            await withCheckedContinuation { flushWaiters.append($0) }
        }
    }

    func close() async {
        guard !closed else { return }
        await flush()
        closed = true
        closedHard = true
        intake.close()
        drainIntake()  // a fast-path send that raced the close
        await flush()
        let waiters = spaceWaiters
        spaceWaiters = []
        intake.cancelWaiting(waiters.count)
        for waiter in waiters { waiter.continuation.resume(throwing: SluiceClientError.closed) }
        await cluster.close()
    }
}
