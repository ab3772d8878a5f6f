import SluiceIO
import SluiceWire

/// Where `Consumer.seek` moves a partition's position.
public enum SeekPosition: Sendable, Equatable {
    /// The log start offset.
    case beginning
    /// The log end offset: only records produced from now on.
    case end
    /// An exact offset.
    case offset(Int64)
    /// The first record at or after this timestamp (ms since the epoch); the end when none is.
    case timestamp(Int64)
}

/// What to do when a partition has no committed offset or its position is out of range.
public enum OffsetReset: Sendable, Equatable {
    /// Start at the log start offset.
    case earliest
    /// Start at the log end offset.
    case latest
    /// Throw `OFFSET_OUT_OF_RANGE`.
    case none
}

/// Consumer settings.
public struct ConsumerConfig: Sendable {
    /// Connection settings.
    public var connection = ConnectionConfig()
    /// The group `commit()` writes to and whose committed offsets become the starting positions.
    /// No group membership is joined: partitions are assigned manually.
    public var groupId: String?
    /// Starting position without a committed offset, and after OFFSET_OUT_OF_RANGE.
    public var autoOffsetReset: OffsetReset = .earliest
    /// Most records one `poll` returns.
    public var maxPollRecords = 500
    /// Most bytes one fetch response may carry (bounds the consumer's memory with `partitionFetchMaxBytes`).
    public var fetchMaxBytes = 50 * 1024 * 1024
    /// Most bytes per partition in one fetch.
    public var partitionFetchMaxBytes = 1024 * 1024
    /// How long the broker may hold a fetch waiting for `fetchMinBytes`.
    public var fetchMaxWaitMillis = 500
    /// Bytes the broker waits for before answering a fetch.
    public var fetchMinBytes = 1
    /// Group membership: a member whose heartbeats stop this long is removed.
    public var sessionTimeoutMillis = 45_000
    /// Group membership: how often the heartbeat task runs (its own schedule, independent of `poll`).
    public var heartbeatIntervalMillis = 3_000
    /// Group membership: how long the coordinator waits for members to rejoin during a rebalance.
    public var rebalanceTimeoutMillis = 60_000
    /// Commit positions every this many milliseconds from inside `poll`; nil (the default) is off.
    public var autoCommitIntervalMillis: Int?
    /// Static membership (KIP-345): a stable id per consumer instance. A restarted instance that
    /// rejoins within `sessionTimeoutMillis` gets its partitions back without a rebalance, and
    /// `close()` does not leave the group.
    public var groupInstanceId: String?
    /// Group membership: assignors offered in JoinGroup, preferred first. `[.cooperativeSticky]`
    /// (cooperative only) switches to incremental rebalancing; a mix rebalances eagerly.
    public var assignors: [PartitionAssignor] = [.range, .roundRobin]

    /// Defaults.
    public init() {}
}

/// Called around a group rebalance: `onRevoked` before the consumer gives partitions up (commit
/// here), `onAssigned` once it has its new ones. Eager assignors revoke every partition before
/// each rebalance and announce the whole new assignment; the cooperative-sticky assignor revokes
/// only the partitions that move and announces only the added ones.
public struct RebalanceListener: Sendable {
    /// Runs before a rejoin with the partitions about to be revoked.
    public var onRevoked: @Sendable ([TopicPartition]) async -> Void
    /// Runs after SyncGroup with the newly assigned partitions.
    public var onAssigned: @Sendable ([TopicPartition]) async -> Void

    /// A listener from its two callbacks.
    public init(onRevoked: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in },
                onAssigned: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in }) {
        self.onRevoked = onRevoked
        self.onAssigned = onAssigned
    }
}

/// A consumed record.
public struct ConsumerRecord: Sendable, Equatable {
    /// Topic.
    public var topic: String
    /// Partition.
    public var partition: Int32
    /// Offset.
    public var offset: Int64
    /// Create time (or log-append time when the topic uses it), ms since the epoch.
    public var timestamp: Int64
    /// Key; nil is null.
    public var key: [UInt8]?
    /// Value; nil is a tombstone.
    public var value: [UInt8]?
    /// Headers in order.
    public var headers: [Header]

    /// The topic-partition.
    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// A consumer of manually assigned partitions (`assign`) or of a consumer group (`subscribe`).
///
/// ```swift
/// let consumer = try await Consumer(bootstrap: ["127.0.0.1:9092"], config: config)
/// try await consumer.assign([TopicPartition("orders", 0)])
/// for try await record in consumer.records {
///     handle(record)
///     try await consumer.commit()
/// }
/// ```
///
/// With `assign`, `commit()` uses the "simple" commit (generation -1) that needs no membership.
/// With `subscribe`, the consumer joins `groupId` (classic protocol; range or round-robin
/// assignment with eager rebalancing, or cooperative-sticky with incremental rebalancing), heartbeats on its own task, rejoins inside `poll` when the coordinator
/// asks, and commits with its generation and member id.
public final class Consumer: Sendable {
    let engine: ConsumerEngine

    /// Connects to a bootstrap broker and negotiates versions.
    public init(bootstrap: [String], config: ConsumerConfig = ConsumerConfig()) async throws {
        guard config.maxPollRecords > 0, config.fetchMaxBytes > 0, config.partitionFetchMaxBytes > 0 else {
            throw SluiceClientError.invalidArgument("maxPollRecords and fetch byte limits must be positive")
        }
        let cluster = try Cluster(bootstrap: bootstrap, config: config.connection)
        engine = ConsumerEngine(cluster: cluster, config: config)
        do {
            _ = try await cluster.anyConnection()
        } catch {
            await cluster.close()
            throw error
        }
    }

    /// A consumer dropped without `close()` still leaves its group and closes, in the background.
    deinit {
        let engine = self.engine
        Task { await engine.close() }
    }

    /// Replaces the assignment. Partitions keep their position if they stay assigned; new ones
    /// start at the committed offset (with a group id) or per `autoOffsetReset`.
    public func assign(_ partitions: [TopicPartition]) async throws {
        try await engine.assign(partitions)
    }

    /// Joins `groupId` and consumes the partitions the group leader assigns, from the committed
    /// offsets (else `autoOffsetReset`). The join happens inside the next `poll`.
    public func subscribe(_ topics: [String], listener: RebalanceListener? = nil) async throws {
        try await engine.subscribe(topics, listener: listener)
    }

    /// The group generation and member id (generation -1 before joining or with `assign`).
    public var groupMembership: (generation: Int32, memberId: String) {
        get async { await engine.membership }
    }

    /// Assigns every partition of `topic`.
    public func assign(topic: String) async throws {
        let meta = try await engine.cluster.topic(topic)
        try await engine.assign(meta.partitions.map { TopicPartition(topic, $0.partition) })
    }

    /// The assigned partitions, sorted.
    public var assignment: [TopicPartition] {
        get async { await engine.assignedPartitions }
    }

    /// Moves the position of `partition` (which must be assigned).
    public func seek(_ partition: TopicPartition, to position: SeekPosition) async throws {
        try await engine.seek([partition], to: position)
    }

    /// Moves the position of every assigned partition.
    public func seekAll(to position: SeekPosition) async throws {
        try await engine.seek(await engine.assignedPartitions, to: position)
    }

    /// The offset of the next record `poll` returns for `partition`, once known.
    public func position(_ partition: TopicPartition) async -> Int64? {
        await engine.position(partition)
    }

    /// Stops fetching `partitions` until `resume`; their buffered records are dropped (and refetched later).
    public func pause(_ partitions: [TopicPartition]) async {
        await engine.pause(partitions)
    }

    /// Resumes paused partitions.
    public func resume(_ partitions: [TopicPartition]) async {
        await engine.resume(partitions)
    }

    /// Paused partitions, sorted.
    public var paused: [TopicPartition] {
        get async { await engine.pausedPartitions }
    }

    /// Up to `maxPollRecords` records, waiting up to `timeoutMillis` for the first; may be empty.
    public func poll(timeoutMillis: Int = 1_000) async throws -> [ConsumerRecord] {
        try await engine.poll(timeoutMillis: timeoutMillis, maxRecords: engine.config.maxPollRecords)
    }

    /// Records as an endless `AsyncSequence`; it ends when the consumer is closed or the task is
    /// cancelled. Each record advances the position by one, so `commit()` after handling a record
    /// commits exactly what was handled.
    public var records: ConsumerRecords { ConsumerRecords(engine: engine) }

    /// Commits the current positions of all assigned partitions to `groupId` (OffsetCommit with
    /// generation -1: a simple commit, no membership).
    public func commit() async throws {
        try await engine.commit(nil)
    }

    /// Commits the current positions in the background; `completion` gets the outcome.
    public func commitAsync(completion: @escaping @Sendable (Result<Void, SluiceClientError>) -> Void = { _ in }) {
        let engine = self.engine
        Task {
            do {
                try await engine.commit(nil)
                completion(.success(()))
            } catch let error as SluiceClientError {
                completion(.failure(error))
            } catch {
                completion(.failure(.cancelled))
            }
        }
    }

    /// Commits explicit offsets (the next offset to read) to `groupId`.
    public func commit(_ offsets: [TopicPartition: Int64]) async throws {
        try await engine.commit(offsets)
    }

    /// Offsets committed to `groupId` for `partitions` (missing when none).
    public func committed(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        try await engine.committed(partitions)
    }

    /// Closes the connections; a running `records` loop ends.
    public func close() async {
        await engine.close()
    }
}

/// Fetched records of one partition not yet handed out: taking from the front is O(taken),
/// not O(buffered) (a fetch of well-compressed batches can hold a very large number of records).
struct RecordQueue {
    private var records: [ConsumerRecord] = []
    private var head = 0

    var isEmpty: Bool { head >= records.count }

    mutating func take(_ count: Int) -> ArraySlice<ConsumerRecord> {
        let end = min(records.count, head + max(0, count))
        let taken = records[head..<end]
        head = end
        if head == records.count {
            records.removeAll(keepingCapacity: true)
            head = 0
        }
        return taken
    }

    mutating func append(_ more: [ConsumerRecord]) {
        if head > 0 {
            records.removeFirst(head)
            head = 0
        }
        records.append(contentsOf: more)
    }
}

/// The records of a `Consumer` as an `AsyncSequence`.
public struct ConsumerRecords: AsyncSequence, Sendable {
    /// Records.
    public typealias Element = ConsumerRecord
    let engine: ConsumerEngine

    /// Pulls records one at a time from the consumer.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let engine: ConsumerEngine

        /// The next record; nil once the consumer is closed or the task cancelled.
        public mutating func next() async throws -> ConsumerRecord? {
            while !Task.isCancelled {
                guard await !engine.isClosed else { return nil }
                if let record = try await engine.poll(timeoutMillis: 1_000, maxRecords: 1).first { return record }
            }
            return nil
        }
    }

    /// An iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(engine: engine) }
}

/// The consumer's state. An actor; fetches run on the connections' threads.
///
/// Per partition: `positions` is the next offset handed to the user (what `commit` writes);
/// `fetchPositions` the next offset to fetch; `buffered` holds records fetched from
/// `positions` up to `fetchPositions`. `epochs` count seeks, so a fetch that raced a seek is dropped.
///
/// Group membership (only after `subscribe`), driven from `poll` and the heartbeat task:
///
/// | state | how it is seen | next |
/// |---|---|---|
/// | unjoined | `needsRejoin`, `generation == -1` | `poll` runs `rejoin()` |
/// | joining | inside `rejoin()`: revoke, JoinGroup (79: retry with the given id), leader assigns, SyncGroup | stable, or unjoined on 22/25/27 |
/// | stable | `needsRejoin == false`, heartbeat task running | unjoined when a heartbeat or commit gets 22/25/27 |
/// | closed | `isClosed` | — (LeaveGroup sent) |
actor ConsumerEngine {
    let cluster: Cluster
    let config: ConsumerConfig
    private var assigned: [TopicPartition] = []
    private var positions: [TopicPartition: Int64] = [:]
    private var fetchPositions: [TopicPartition: Int64] = [:]
    private var buffered: [TopicPartition: RecordQueue] = [:]
    private var pausedSet: Set<TopicPartition> = []
    private var epochs: [TopicPartition: Int] = [:]
    private var nextPartitionIndex = 0
    /// The one fetch round in flight (per consumer, so at most one request per broker). `poll`
    /// starts the next round before it returns records, so fetching overlaps the user's processing.
    private var currentFetch: Task<Result<Bool, SluiceClientError>, Never>?
    private(set) var isClosed = false
    // Group membership (nil subscription: manual assignment).
    private var subscription: [String]?
    private var listener: RebalanceListener?
    private var memberId = ""
    private var generation: Int32 = -1
    private var needsRejoin = false
    /// Partition counts of the subscribed topics at the last join; a change (partitions added, a
    /// topic created) triggers a rejoin, checked every `metadataMaxAgeMillis`.
    private var joinedPartitionCounts: [String: Int] = [:]
    private var lastMetadataCheckNanos: UInt64 = 0
    private var heartbeatTask: Task<Void, Never>?
    private var coordinatorConnection: BrokerConnection?
    private var lastAutoCommitNanos = monotonicNanos()

    init(cluster: Cluster, config: ConsumerConfig) {
        self.cluster = cluster
        self.config = config
    }

    var assignedPartitions: [TopicPartition] { assigned }
    var pausedPartitions: [TopicPartition] { pausedSet.sorted() }
    private var timeout: Int { config.connection.requestTimeoutMillis }

    func position(_ partition: TopicPartition) -> Int64? { positions[partition] }

    var membership: (generation: Int32, memberId: String) { (generation, memberId) }

    func assign(_ partitions: [TopicPartition]) async throws {
        guard !isClosed else { throw SluiceClientError.closed }
        guard subscription == nil else { throw SluiceClientError.invalidArgument("assign cannot be mixed with subscribe") }
        try await setAssignment(partitions)
    }

    private func setAssignment(_ partitions: [TopicPartition]) async throws {
        let wanted = Set(partitions)
        for tp in assigned where !wanted.contains(tp) { forget(tp) }
        assigned = wanted.sorted()
        pausedSet.formIntersection(wanted)
        for tp in assigned { _ = try await cluster.leader(of: tp) }
    }

    private func forget(_ tp: TopicPartition) {
        positions[tp] = nil
        fetchPositions[tp] = nil
        buffered[tp] = nil
        epochs[tp, default: 0] += 1
    }

    func pause(_ partitions: [TopicPartition]) {
        for tp in partitions where assigned.contains(tp) {
            pausedSet.insert(tp)
            dropBuffer(tp)
        }
    }

    func resume(_ partitions: [TopicPartition]) {
        for tp in partitions { pausedSet.remove(tp) }
    }

    /// Drops buffered records: the next fetch starts again at the user's position.
    private func dropBuffer(_ tp: TopicPartition) {
        buffered[tp] = nil
        fetchPositions[tp] = positions[tp]
        epochs[tp, default: 0] += 1
    }

    func seek(_ partitions: [TopicPartition], to target: SeekPosition) async throws {
        for tp in partitions where !assigned.contains(tp) {
            throw SluiceClientError.invalidArgument("cannot seek \(tp): it is not assigned")
        }
        let offsets: [TopicPartition: Int64]
        switch target {
        case .offset(let offset):
            offsets = Dictionary(uniqueKeysWithValues: partitions.map { ($0, offset) })
        case .beginning:
            offsets = try await Admin(cluster: cluster).listOffsets(partitions, spec: .earliest)
        case .end:
            offsets = try await Admin(cluster: cluster).listOffsets(partitions, spec: .latest)
        case .timestamp(let millis):
            let admin = Admin(cluster: cluster)
            var found = try await admin.listOffsets(partitions, spec: .timestamp(millis))
            let missing = found.filter { $0.value < 0 }.map(\.key)
            if !missing.isEmpty {
                for (tp, end) in try await admin.listOffsets(missing, spec: .latest) { found[tp] = end }
            }
            offsets = found
        }
        for (tp, offset) in offsets { setPosition(tp, offset) }
    }

    private func setPosition(_ tp: TopicPartition, _ offset: Int64) {
        positions[tp] = offset
        fetchPositions[tp] = offset
        buffered[tp] = nil
        epochs[tp, default: 0] += 1
    }

    /// Positions for partitions that have none: the committed offset, else `autoOffsetReset`.
    private func resolvePositions() async throws {
        let unknown = assigned.filter { positions[$0] == nil }
        guard !unknown.isEmpty else { return }
        var resolved: [TopicPartition: Int64] = [:]
        if let group = config.groupId {
            let connection = try await cluster.coordinator(group: group)
            resolved = try await fetchCommitted(connection: connection, group: group, partitions: unknown, timeoutMillis: timeout)
        }
        let rest = unknown.filter { resolved[$0] == nil }
        if !rest.isEmpty { resolved.merge(try await resetOffsets(rest)) { $1 } }
        for (tp, offset) in resolved where positions[tp] == nil && assigned.contains(tp) { setPosition(tp, offset) }
    }

    private func resetOffsets(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        switch config.autoOffsetReset {
        case .earliest: return try await Admin(cluster: cluster).listOffsets(partitions, spec: .earliest)
        case .latest: return try await Admin(cluster: cluster).listOffsets(partitions, spec: .latest)
        case .none:
            throw SluiceClientError.kafka(code: .offsetOutOfRange,
                                          message: "no valid position for \(partitions.map(\.description).joined(separator: ", ")) and autoOffsetReset is none")
        }
    }

    // MARK: poll

    func poll(timeoutMillis: Int, maxRecords: Int) async throws -> [ConsumerRecord] {
        guard !isClosed else { throw SluiceClientError.closed }
        let deadline = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        while true {
            if subscription != nil && !needsRejoin { await checkSubscribedMetadata() }
            if subscription != nil && needsRejoin { try await rejoin() }
            try await autoCommitIfDue()
            try await resolvePositions()
            let ready = takeBuffered(maxRecords)
            if !ready.isEmpty {
                // Prefetch while the caller works; no broker-side wait, so a later poll is never held up.
                _ = startFetch(waitMillis: 0)
                return ready
            }
            let now = monotonicNanos()
            if now >= deadline || isClosed || Task.isCancelled { return [] }
            let waitMillis = Int((deadline - now) / 1_000_000)
            let fetched = try await startFetch(waitMillis: min(config.fetchMaxWaitMillis, max(waitMillis, 0))).value.get()
            if !fetched {
                try? await Task.sleep(nanoseconds: UInt64(min(50, max(waitMillis, 1))) * 1_000_000)
            }
        }
    }

    /// The fetch round in flight, or a new one.
    private func startFetch(waitMillis: Int) -> Task<Result<Bool, SluiceClientError>, Never> {
        if let running = currentFetch { return running }
        let task = Task { () -> Result<Bool, SluiceClientError> in
            let result: Result<Bool, SluiceClientError>
            do {
                result = .success(try await fetchOnce(waitMillis: waitMillis))
            } catch let error as SluiceClientError {
                result = .failure(error)
            } catch {
                result = .failure(.cancelled)
            }
            currentFetch = nil
            return result
        }
        currentFetch = task
        return task
    }

    /// Up to `max` buffered records, taken round-robin over partitions; advances positions.
    private func takeBuffered(_ max: Int) -> [ConsumerRecord] {
        var result: [ConsumerRecord] = []
        let ready = assigned.filter { !pausedSet.contains($0) && !(buffered[$0]?.isEmpty ?? true) }
        guard !ready.isEmpty else { return [] }
        let start = nextPartitionIndex % ready.count
        nextPartitionIndex += 1
        for step in 0..<ready.count where result.count < max {
            let tp = ready[(start + step) % ready.count]
            let taken = buffered[tp, default: RecordQueue()].take(max - result.count)  // in place: no copy of the queue
            result.append(contentsOf: taken)
            if let last = taken.last { positions[tp] = last.offset + 1 }
        }
        return result
    }

    /// One fetch round to every leader of a fetchable partition. False when nothing could be fetched.
    private func fetchOnce(waitMillis: Int) async throws -> Bool {
        let fetchable = assigned.filter { !pausedSet.contains($0) && (buffered[$0]?.isEmpty ?? true) && fetchPositions[$0] != nil }
        guard !fetchable.isEmpty else { return false }
        var byLeader: [Int32: [TopicPartition]] = [:]
        for tp in fetchable {
            do {
                byLeader[try await cluster.leader(of: tp), default: []].append(tp)
            } catch let error as SluiceClientError where error.isRetriable {
                continue  // no leader right now: try again on the next round
            }
        }
        guard !byLeader.isEmpty else { return false }
        let requests = byLeader.map { leader, tps in
            (leader, tps.map { ($0, fetchPositions[$0] ?? 0, epochs[$0] ?? 0) })
        }
        let config = self.config
        let cluster = self.cluster
        let results = try await withThrowingTaskGroup(of: (FetchResponse?, [(TopicPartition, Int64, Int)], SluiceClientError?).self) { group in
            for (leader, parts) in requests {
                group.addTask {
                    do {
                        let connection = try await cluster.connection(node: leader)
                        let topics = Dictionary(grouping: parts, by: { $0.0.topic }).sorted { $0.key < $1.key }.map { topic, entries in
                            FetchRequest.Topic(topic: topic, partitions: entries.map {
                                .init(partition: $0.0.partition, currentLeaderEpoch: -1, fetchOffset: $0.1, logStartOffset: -1,
                                      partitionMaxBytes: Int32(clamping: config.partitionFetchMaxBytes))
                            })
                        }
                        let request = FetchRequest(replicaId: -1, maxWaitMs: Int32(clamping: waitMillis), minBytes: Int32(clamping: config.fetchMinBytes),
                                                   maxBytes: Int32(clamping: config.fetchMaxBytes), isolationLevel: 0, sessionId: 0,
                                                   sessionEpoch: -1, topics: topics)
                        let response = try await connection.send(request, expecting: FetchResponse.self,
                                                                 timeoutMillis: config.connection.requestTimeoutMillis + waitMillis)
                        return (response, parts, nil)
                    } catch let error as SluiceClientError {
                        return (nil, parts, error)
                    }
                }
            }
            var all: [(FetchResponse?, [(TopicPartition, Int64, Int)], SluiceClientError?)] = []
            for try await result in group { all.append(result) }
            return all
        }
        var answered = false
        for (response, parts, error) in results {
            if let error {
                if !error.isRetriable { throw error }
                for part in parts { await cluster.invalidate(topic: part.0.topic) }
                continue
            }
            answered = true
            guard let response else { continue }
            try SluiceClientError.check(response.errorCode, "fetch")
            let sent = Dictionary(parts.map { ($0.0, ($0.1, $0.2)) }, uniquingKeysWith: { a, _ in a })
            for topic in response.responses {
                for partition in topic.partitions {
                    let tp = TopicPartition(topic.topic, partition.partitionIndex)
                    guard let (offset, epoch) = sent[tp], epochs[tp] ?? 0 == epoch, fetchPositions[tp] == offset,
                          assigned.contains(tp), !pausedSet.contains(tp) else { continue }
                    try await absorb(tp, partition, fetchOffset: offset)
                }
            }
        }
        return answered  // false: every broker failed, so poll backs off before the next round
    }

    /// Adds one partition's fetched batches to the buffer (skipping records before the fetch
    /// offset and control batches), or handles its error.
    private func absorb(_ tp: TopicPartition, _ partition: FetchResponse.Topic.Partition, fetchOffset: Int64) async throws {
        let code = KafkaErrorCode(partition.errorCode)
        if code == .offsetOutOfRange {
            let reset = try await resetOffsets([tp])
            if let offset = reset[tp] { setPosition(tp, offset) }
            return
        }
        if code.needsMetadataRefresh {
            await cluster.invalidate(topic: tp.topic)
            return
        }
        try SluiceClientError.check(partition.errorCode, "fetch \(tp)")
        guard case .bytes(let bytes)? = partition.records, !bytes.isEmpty else { return }
        var records: [ConsumerRecord] = []
        var next = fetchOffset
        var position = 0
        while bytes.count - position >= RecordBatchHeader.size {
            let lengthBytes = bytes[(position + 8)..<(position + 12)]
            let batchLength = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard position + RecordBatchHeader.logOverhead + batchLength <= bytes.count else { break }  // a partial batch at the end
            let decoded: (batch: RecordBatch, size: Int)
            do {
                decoded = try RecordBatch.decode(bytes, at: position)
            } catch {
                throw SluiceClientError.protocolError(broker: "leader of \(tp)", reason: "corrupt batch at offset \(next): \(error)")
            }
            position += decoded.size
            let header = decoded.batch.header
            next = max(next, header.lastOffset + 1)
            if header.attributes.isControl { continue }
            for record in decoded.batch.records {
                let offset = header.baseOffset + Int64(record.offsetDelta)
                guard offset >= fetchOffset else { continue }
                let timestamp = header.attributes.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp + record.timestampDelta
                records.append(ConsumerRecord(topic: tp.topic, partition: tp.partition, offset: offset, timestamp: timestamp,
                                              key: record.key, value: record.value,
                                              headers: record.headers.map { Header($0.key, $0.value) }))
            }
        }
        if position == 0 && bytes.count > 0 && next == fetchOffset {
            throw SluiceClientError.kafka(code: .messageTooLarge,
                                          message: "the batch at \(tp) offset \(fetchOffset) is larger than partitionFetchMaxBytes \(config.partitionFetchMaxBytes)")
        }
        buffered[tp, default: RecordQueue()].append(records)
        fetchPositions[tp] = next
    }

    // MARK: commit

    private func autoCommitIfDue() async throws {
        guard let interval = config.autoCommitIntervalMillis, config.groupId != nil else { return }
        let now = monotonicNanos()
        guard nanosElapsed(since: lastAutoCommitNanos, now: now) >= UInt64(max(interval, 0)) * 1_000_000 else { return }
        lastAutoCommitNanos = now
        try await commit(nil)
    }

    func commit(_ explicit: [TopicPartition: Int64]?) async throws {
        guard let group = config.groupId else { throw SluiceClientError.invalidArgument("commit needs ConsumerConfig.groupId") }
        let offsets = explicit ?? positions.filter { assigned.contains($0.key) }
        guard !offsets.isEmpty else { return }
        var lastError: SluiceClientError?
        for attempt in 0..<5 {
            if attempt > 0 { try await Task.sleep(nanoseconds: 100_000_000) }
            let connection = try await groupCoordinator(group)
            let topics = Dictionary(grouping: offsets, by: { $0.key.topic }).sorted { $0.key < $1.key }.map { topic, entries in
                OffsetCommitRequest.Topic(name: topic, partitions: entries.sorted { $0.key < $1.key }.map {
                    .init(partitionIndex: $0.key.partition, committedOffset: $0.value, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: "")
                })
            }
            let member = subscription == nil ? (Int32(-1), "") : (generation, memberId)
            let request = OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: member.0, memberId: member.1,
                                              groupInstanceId: subscription == nil ? nil : config.groupInstanceId,
                                              retentionTimeMs: -1, topics: topics)
            let response = try await connection.send(request, expecting: OffsetCommitResponse.self, timeoutMillis: timeout)
            lastError = nil
            for topic in response.topics {
                for partition in topic.partitions where partition.errorCode != 0 {
                    lastError = .kafka(code: KafkaErrorCode(partition.errorCode),
                                       message: "commit \(topic.name)-\(partition.partitionIndex) to group '\(group)'")
                }
            }
            guard let error = lastError else { return }
            if let code = error.code, [22, 25, 27].contains(code.rawValue), subscription != nil { needsRejoin = true }
            if let code = error.code, code == .notCoordinator || code.rawValue == 15 { coordinatorConnection = nil }
            if !error.isRetriable { throw error }
        }
        throw lastError ?? SluiceClientError.closed
    }

    func committed(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        guard let group = config.groupId else { throw SluiceClientError.invalidArgument("committed offsets need ConsumerConfig.groupId") }
        let connection = try await cluster.coordinator(group: group)
        return try await fetchCommitted(connection: connection, group: group, partitions: partitions, timeoutMillis: timeout)
    }

    func close() async {
        guard !isClosed else { return }
        heartbeatTask?.cancel()
        heartbeatTask = nil
        // Static members do not leave: a restart within the session timeout keeps the assignment.
        if let group = config.groupId, subscription != nil, !memberId.isEmpty, config.groupInstanceId == nil {
            let request = LeaveGroupRequest(groupId: group, memberId: memberId,
                                            members: [.init(memberId: memberId, groupInstanceId: nil, reason: "consumer closed")])
            if let connection = try? await groupCoordinator(group) {
                _ = try? await connection.send(request, expecting: LeaveGroupResponse.self, timeoutMillis: timeout)
            }
        }
        isClosed = true
        await cluster.close()
    }

    // MARK: group membership

    func subscribe(_ topics: [String], listener: RebalanceListener?) async throws {
        guard !isClosed else { throw SluiceClientError.closed }
        guard config.groupId != nil else { throw SluiceClientError.invalidArgument("subscribe needs ConsumerConfig.groupId") }
        guard !topics.isEmpty, !config.assignors.isEmpty else { throw SluiceClientError.invalidArgument("subscribe needs topics and at least one assignor") }
        if subscription == nil && !assigned.isEmpty { throw SluiceClientError.invalidArgument("subscribe cannot be mixed with assign") }
        subscription = Array(Set(topics)).sorted()
        self.listener = listener
        needsRejoin = true
    }

    /// The cached coordinator connection of the group.
    private func groupCoordinator(_ group: String) async throws -> BrokerConnection {
        if let connection = coordinatorConnection, !connection.isClosed { return connection }
        let connection = try await cluster.coordinator(group: group)
        coordinatorConnection = connection
        return connection
    }

    /// Gives up every assigned partition (after `onRevoked`).
    private func revokeAll() async {
        guard !assigned.isEmpty else { return }
        let revoked = assigned
        if let listener { await listener.onRevoked(revoked) }
        for tp in revoked { forget(tp) }
        assigned = []
    }

    /// A rebalance. Eager (range, round-robin): revoke everything, JoinGroup (the leader
    /// computes the assignment), SyncGroup, take the new partitions, restart the heartbeat.
    /// Cooperative (every offered assignor cooperative): keep the partitions during the
    /// rebalance and announce them in the subscription; after SyncGroup revoke only those no
    /// longer assigned, and when there were any, rejoin at once so they reach their new owner.
    /// A member that lost its id (UNKNOWN_MEMBER_ID) lost its partitions too: it revokes them all.
    private func rejoin() async throws {
        guard let topics = subscription, let group = config.groupId else { return }
        heartbeatTask?.cancel()
        heartbeatTask = nil
        let cooperative = config.assignors.allSatisfy(\.isCooperative)
        if !cooperative || memberId.isEmpty { await revokeAll() }
        let rebalanceWait = config.rebalanceTimeoutMillis + timeout
        var lastError: SluiceClientError?
        for attempt in 0..<30 {
            if attempt > 0, lastError != nil { try await Task.sleep(nanoseconds: 100_000_000) }
            guard !isClosed else { throw SluiceClientError.closed }
            let connection = try await groupCoordinator(group)
            let metadata = ConsumerProtocol.encodeSubscription(topics: topics, owned: cooperative ? assigned : nil)
            let join = try await connection.send(
                JoinGroupRequest(groupId: group, sessionTimeoutMs: Int32(clamping: config.sessionTimeoutMillis),
                                 rebalanceTimeoutMs: Int32(clamping: config.rebalanceTimeoutMillis), memberId: memberId,
                                 groupInstanceId: config.groupInstanceId, protocolType: "consumer", protocols: config.assignors.map { .init(name: $0.name, metadata: metadata) }),
                expecting: JoinGroupResponse.self, timeoutMillis: rebalanceWait)
            lastError = nil
            switch join.errorCode {
            case 0: break
            case 79:  // MEMBER_ID_REQUIRED: rejoin at once with the id the coordinator gave us
                memberId = join.memberId
                continue
            case 25:
                memberId = ""
                await revokeAll()
                continue
            default:
                let error = SluiceClientError.kafka(code: KafkaErrorCode(join.errorCode),
                                                    message: join.errorCode == 82 ? "JoinGroup '\(group)': another live consumer uses groupInstanceId '\(config.groupInstanceId ?? "")'"
                                                                                  : "JoinGroup '\(group)'")
                if [14, 15, 16, 27].contains(join.errorCode) {
                    if join.errorCode != 27 { coordinatorConnection = nil }
                    lastError = error
                    continue
                }
                throw error
            }
            memberId = join.memberId
            generation = join.generationId
            var assignments: [SyncGroupRequest.Assignment] = []
            if join.leader == memberId {
                assignments = try await leaderAssignments(join)
            }
            let sync = try await connection.send(
                SyncGroupRequest(groupId: group, generationId: generation, memberId: memberId, groupInstanceId: config.groupInstanceId,
                                 protocolType: "consumer", protocolName: join.protocolName, assignments: assignments),
                expecting: SyncGroupResponse.self, timeoutMillis: rebalanceWait)
            if sync.errorCode != 0 {
                let error = SluiceClientError.kafka(code: KafkaErrorCode(sync.errorCode), message: "SyncGroup '\(group)' generation \(generation)")
                if sync.errorCode == 25 {
                    memberId = ""
                    await revokeAll()
                }
                if [14, 15, 16, 22, 25, 27].contains(sync.errorCode) {
                    if [15, 16].contains(sync.errorCode) { coordinatorConnection = nil }
                    lastError = error
                    continue
                }
                throw error
            }
            let mine: [TopicPartition]
            do {
                mine = try ConsumerProtocol.decodeAssignment(sync.assignment)
            } catch {
                throw SluiceClientError.protocolError(broker: connection.address, reason: "cannot decode the group assignment: \(error)")
            }
            needsRejoin = false
            joinedPartitionCounts = await partitionCounts(of: topics)
            lastMetadataCheckNanos = monotonicNanos()
            let kept = Set(assigned)
            let wanted = Set(mine)
            let revoked = assigned.filter { !wanted.contains($0) }
            if cooperative, !revoked.isEmpty, let listener { await listener.onRevoked(revoked) }
            try await setAssignment(mine)
            startHeartbeat(group: group)
            if let listener { await listener.onAssigned(cooperative ? assigned.filter { !kept.contains($0) } : assigned) }
            if cooperative && !revoked.isEmpty { needsRejoin = true }  // the follow-up rebalance hands them over
            return
        }
        throw lastError ?? SluiceClientError.kafka(code: KafkaErrorCode(27), message: "could not join group '\(group)'")
    }

    private func partitionCounts(of topics: [String]) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for topic in topics {
            if let meta = try? await cluster.topic(topic, forceRefresh: true) { counts[topic] = meta.partitions.count }
        }
        return counts
    }

    /// Rejoins when a subscribed topic gained partitions or appeared since the last join.
    private func checkSubscribedMetadata() async {
        guard let topics = subscription else { return }
        let interval = UInt64(max(config.connection.metadataMaxAgeMillis, 0)) * 1_000_000
        guard nanosElapsed(since: lastMetadataCheckNanos) >= interval else { return }
        lastMetadataCheckNanos = monotonicNanos()
        let counts = await partitionCounts(of: topics)
        // Topics we could not describe just now are ignored: a metadata hiccup is no reason to rebalance.
        if counts.contains(where: { joinedPartitionCounts[$0.key] != $0.value }) { needsRejoin = true }
    }

    /// The leader's plan: decode every member's subscription, count partitions, run the chosen assignor.
    private func leaderAssignments(_ join: JoinGroupResponse) async throws -> [SyncGroupRequest.Assignment] {
        let assignor = PartitionAssignor(rawValue: join.protocolName ?? "") ?? config.assignors[0]
        var subscriptions: [String: [String]] = [:]
        var owned: [String: [TopicPartition]] = [:]
        for member in join.members {
            let decoded = try? ConsumerProtocol.decodeSubscriptionWithOwned(member.metadata)
            subscriptions[member.memberId] = decoded?.topics ?? []
            owned[member.memberId] = decoded?.owned ?? []
        }
        var counts: [String: Int32] = [:]
        for topic in Set(subscriptions.values.flatMap { $0 }) {
            if let meta = try? await cluster.topic(topic, forceRefresh: true) { counts[topic] = Int32(meta.partitions.count) }
        }
        let plan = assignor.assign(subscriptions: subscriptions, owned: owned, partitionCounts: counts)
        return plan.sorted { $0.key < $1.key }.map { .init(memberId: $0.key, assignment: ConsumerProtocol.encodeAssignment($0.value)) }
    }

    private func startHeartbeat(group: String) {
        let generation = self.generation
        let member = memberId
        let interval = UInt64(max(config.heartbeatIntervalMillis, 10)) * 1_000_000
        heartbeatTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                guard let self, !Task.isCancelled else { return }
                guard await self.heartbeat(group: group, generation: generation, member: member) else { return }
            }
        }
    }

    /// One heartbeat; false once the coordinator asked us to rejoin.
    private func heartbeat(group: String, generation: Int32, member: String) async -> Bool {
        guard generation == self.generation, !isClosed else { return false }
        do {
            let connection = try await groupCoordinator(group)
            let response = try await connection.send(HeartbeatRequest(groupId: group, generationId: generation, memberId: member,
                                                                                      groupInstanceId: config.groupInstanceId),
                                                     expecting: HeartbeatResponse.self, timeoutMillis: timeout)
            guard generation == self.generation else { return false }
            switch response.errorCode {
            case 0: return true
            case 22, 27:
                needsRejoin = true
                return false
            case 25:
                memberId = ""
                needsRejoin = true
                return false
            case 15, 16:
                coordinatorConnection = nil
                return true
            default:
                return true
            }
        } catch {
            return true  // transient: the next heartbeat or the next poll finds out
        }
    }
}
