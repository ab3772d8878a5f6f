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
    /// What `offer` did.
    enum Outcome { case accepted, slowPath }

    private struct State {
        var records: [(record: IntakeRecord, partitionCount: Int32)] = []
        var drainScheduled = false
        /// Invariant: 0 <= bufferedBytes; bufferedBytes <= bufferBytesMax except for a single
        /// record larger than the free space reserved by a woken waiter.
        var bufferedBytes = 0
        var waiting = 0
        var closed = false
        var partitionCounts: [String: (count: Int32, fetchedNanos: UInt64)] = [:]
    }

    private let state = Mutex(State())
    private let bufferBytesMax: Int
    /// Set once by the engine: where a scheduled drain goes.
    private let drainTarget = Mutex<(@Sendable () async -> Void)?>(nil)

    init(bufferBytesMax: Int) {
        self.bufferBytesMax = bufferBytesMax
    }

    /// Where scheduled drains run (the engine's `drainIntake`).
    func setDrain(_ drain: @escaping @Sendable () async -> Void) {
        drainTarget.withLock { $0 = drain }
    }

    /// Queues `record` when the fast path applies; `.slowPath` leaves it to the engine.
    func offer(_ record: IntakeRecord, metadataMaxAgeMillis: Int) -> Outcome {
        let now = monotonicNanos()
        let maxAge = UInt64(max(metadataMaxAgeMillis, 0)) * 1_000_000
        let (outcome, schedule) = state.withLock { state -> (Outcome, Bool) in
            guard !state.closed, state.waiting == 0, state.bufferedBytes + record.sizeBytes <= bufferBytesMax,
                  let known = state.partitionCounts[record.topic], now &- known.fetchedNanos < maxAge else { return (.slowPath, false) }
            if let explicit = record.partition, !(0..<known.count).contains(explicit) { return (.slowPath, false) }
            state.bufferedBytes += record.sizeBytes
            state.records.append((record, known.count))
            let schedule = !state.drainScheduled
            state.drainScheduled = true
            return (.accepted, schedule)
        }
        if schedule, let drain = drainTarget.withLock({ $0 }) {
            Task { await drain() }
        }
        return outcome
    }

    /// Takes every queued record (in order) with the partition count it was checked against.
    func take() -> [(record: IntakeRecord, partitionCount: Int32)] {
        state.withLock { state in
            state.drainScheduled = false
            defer { state.records = [] }
            return state.records
        }
    }

    /// The engine learned a topic's partition count.
    func learn(topic: String, partitionCount: Int32, fetchedNanos: UInt64) {
        state.withLock { $0.partitionCounts[topic] = (partitionCount, fetchedNanos) }
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
