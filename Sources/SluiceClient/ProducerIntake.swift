import SluiceIO
import Synchronization

/// A record as `send` hands it to the producer, before a partition is chosen.
struct IntakeRecord: Sendable {
    var topic: String
    var partition: Int32?
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [Header]
    var timestamp: Int64?
    var completion: @Sendable (Result<RecordMetadata, SluiceClientError>) -> Void
    /// What the record counts against `bufferBytesMax` (and `batchBytes`): its payload plus a
    /// fixed overhead per record and header.
    let sizeBytes: Int
    /// The record's timestamp as sent: `timestamp`, else the time the producer placed it.
    var createTime: Int64 = -1

    init(topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, headers: [Header], timestamp: Int64?,
         completion: @escaping @Sendable (Result<RecordMetadata, SluiceClientError>) -> Void) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.completion = completion
        var size = 24 + (key?.count ?? 0) + (value?.count ?? 0)
        for header in headers { size += 8 + header.key.utf8.count + (header.value?.count ?? 0) }
        sizeBytes = size
    }
}

/// The producer's fast path: a lock-protected queue in front of the `ProducerEngine` actor.
///
/// A fire-and-forget `send` whose topic's partition count is known and fresh, and that fits in
/// the buffer with no one waiting for space, appends here under the lock and returns without
/// an actor hop; the first record of a run schedules one `drainIntake()` on the engine, which
/// places the whole run at once. Anything else (unknown topic, full buffer, bad partition,
/// closed producer) takes the engine's slow path, which drains this queue first, so records of
/// one task keep their order.
///
/// The byte budget lives here because both paths reserve from it: `bufferedBytes` counts
/// records accepted and not yet completed plus bytes reserved for woken waiters; `waiting` is
/// the number of sends parked in the engine's `spaceWaiters` (the fast path yields to them).
/// Only the engine releases bytes and wakes waiters.
final class ProducerIntake: Sendable {
    private struct State {
        var records: [(record: IntakeRecord, partitionCount: Int32)] = []
        var drainScheduled = false
        /// Invariant: 0 <= bufferedBytes; bufferedBytes <= bufferBytesMax except for a single
        /// record larger than the free space reserved by a woken waiter.
        var bufferedBytes = 0
        var waiting = 0
        var closed = false
        var partitionCounts: [String: (count: Int32, fetchedNanos: UInt64)] = [:]
        /// A coarse clock for metadata age, set by the engine at every drain (reading the clock
        /// per record costs more than the rest of the fast path). It lags by at most one drain.
        var nowNanos: UInt64 = 0
    }

    private let state = Mutex(State())
    private let bufferBytesMax: Int
    /// Set once by the engine: where a scheduled drain goes. In a struct: a bare closure kept in
    /// a `Mutex` gains a reabstraction thunk at every `withLock`, so each drain would get slower.
    private struct Drain { let run: @Sendable () async -> Void }
    private let drainTarget = Mutex<Drain?>(nil)

    init(bufferBytesMax: Int) {
        self.bufferBytesMax = bufferBytesMax
    }

    /// Where scheduled drains run (the engine's `drainIntake`).
    func setDrain(_ drain: @escaping @Sendable () async -> Void) {
        drainTarget.withLock { $0 = Drain(run: drain) }
    }

    /// Queues `record` when the fast path applies and returns nil; otherwise hands it back for
    /// the engine's slow path. Consuming, so an accepted record is moved, not copied.
    func offer(_ record: consuming IntakeRecord, metadataMaxAgeMillis: Int) -> IntakeRecord? {
        let maxAge = UInt64(max(metadataMaxAgeMillis, 0)) * 1_000_000
        var pending: IntakeRecord? = consume record
        let schedule = state.withLock { state -> Bool in
            // Fields are read through the optional, never bound: binding would copy the record.
            let size = pending?.sizeBytes ?? 0
            guard !state.closed, state.waiting == 0, state.bufferedBytes + size <= bufferBytesMax, let topic = pending?.topic,
                  let known = state.partitionCounts[topic], state.nowNanos &- known.fetchedNanos < maxAge else { return false }
            if let explicit = pending?.partition, !(0..<known.count).contains(explicit) { return false }
            guard let taken = pending.take() else { return false }
            state.bufferedBytes += size
            state.records.append((taken, known.count))
            let schedule = !state.drainScheduled
            state.drainScheduled = true
            return schedule
        }
        if schedule, let drain = drainTarget.withLock({ $0 }) {
            Task { await drain.run() }
        }
        return pending
    }

    /// Takes every queued record (in order) with the partition count it was checked against.
    func take() -> [(record: IntakeRecord, partitionCount: Int32)] {
        state.withLock { state in
            state.drainScheduled = false
            defer { state.records = [] }
            return state.records
        }
    }

    /// Advances the coarse clock the fast path judges metadata age by.
    func tick(nowNanos: UInt64) {
        state.withLock { $0.nowNanos = max($0.nowNanos, nowNanos) }
    }

    /// The engine learned a topic's partition count.
    func learn(topic: String, partitionCount: Int32, fetchedNanos: UInt64) {
        state.withLock {
            $0.partitionCounts[topic] = (partitionCount, fetchedNanos)
            $0.nowNanos = max($0.nowNanos, fetchedNanos)
        }
    }

    /// Reserves `bytes` for the slow path; false means the caller must park as a waiter (it is
    /// counted in `waiting` already).
    func reserve(bytes: Int) -> Bool {
        state.withLock { state in
            if state.bufferedBytes + bytes > bufferBytesMax || state.waiting > 0 {
                state.waiting += 1
                return false
            }
            state.bufferedBytes += bytes
            return true
        }
    }

    /// Returns `bytes` and reserves space for the longest prefix of `waiting` (bytes per parked
    /// send, in order) that now fits; returns how many of them to wake.
    func release(bytes: Int, waiting: [Int]) -> Int {
        state.withLock { state in
            state.bufferedBytes -= bytes
            precondition(state.bufferedBytes >= 0, "producer buffer released more bytes than it reserved")
            var woken = 0
            for need in waiting {
                guard state.bufferedBytes + need <= bufferBytesMax else { break }
                state.bufferedBytes += need
                woken += 1
            }
            state.waiting -= woken
            return woken
        }
    }

    /// Later offers take the slow path (which throws `.closed`).
    func close() {
        state.withLock { $0.closed = true }
    }

    /// `count` parked sends were failed instead of woken.
    func cancelWaiting(_ count: Int) {
        state.withLock { $0.waiting -= count }
    }
}
