import Foundation
import SluiceCore
import SluiceIO
import Synchronization

/// A request parked until something happens or its deadline passes (Kafka's purgatory): a Fetch
/// waiting for `minBytes`, an answer held back by a quota's throttle or a failed authentication's
/// delay. (Produce and offset commits wait in their Raft group instead.)
public final class DelayedOperation: Sendable {
    let keys: [TopicPartition]
    let deadlineNanos: UInt64
    private let completed = Atomic<Bool>(false)
    /// Returns true if the operation can finish now; `force` means the deadline passed.
    private let isReady: @Sendable (_ force: Bool) -> Bool
    private let finish: @Sendable () -> Void

    public init(keys: [TopicPartition], timeoutMillis: Int64, isReady: @escaping @Sendable (_ force: Bool) -> Bool, finish: @escaping @Sendable () -> Void) {
        self.keys = keys
        self.deadlineNanos = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        self.isReady = isReady
        self.finish = finish
    }

    public var isCompleted: Bool { completed.load(ordering: .acquiring) }

    /// Finishes the operation if it is ready (or forced) and nobody finished it yet.
    @discardableResult
    func attempt(force: Bool) -> Bool {
        if isCompleted { return true }
        guard force || isReady(false) else { return false }
        guard completed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return true }
        finish()
        return true
    }
}

/// Holds delayed operations by the partitions they watch and by deadline. `notify(_:)` after a
/// partition's high watermark moves; a timer thread completes what expires.
public final class DelayedOperations: Sendable {
    private struct State {
        var watchers: [TopicPartition: [DelayedOperation]] = [:]
        var byDeadline: [DelayedOperation] = []
        var isStopped = false
    }
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let pool: WorkerPool

    /// `pool` runs completions, so a notifier (the Raft thread) never does a fetch's work.
    public init(pool: WorkerPool) {
        self.pool = pool
        let thread = Thread { [self] in
            nameCurrentThread("sluice-delayed")
            self.expireLoop()
        }
        thread.name = "sluice-delayed"
        thread.start()
    }

    /// Parks `operation` unless it can complete at once. Checks again after registering, so a
    /// notification that raced with the registration is not lost.
    public func park(_ operation: DelayedOperation) {
        if operation.attempt(force: false) { return }
        // Stopped: nobody would expire it; answer with what there is now.
        let parked = state.withLock { state -> Bool in
            if state.isStopped { return false }
            for key in operation.keys { state.watchers[key, default: []].append(operation) }
            state.byDeadline.append(operation)
            return true
        }
        guard parked else {
            _ = operation.attempt(force: true)
            return
        }
        wake.signal()
        if operation.attempt(force: false) { return }
    }

    /// Re-checks the operations watching `key` on the worker pool.
    public func notify(_ key: TopicPartition) {
        let watching = state.withLock { state -> [DelayedOperation] in
            let list = state.watchers[key] ?? []
            state.watchers[key] = list.filter { !$0.isCompleted }
            return list
        }
        for operation in watching where !operation.isCompleted {
            pool.submit { operation.attempt(force: false) }
        }
    }

    public func stop() {
        state.withLock { $0.isStopped = true }
        wake.signal()
    }

    private func expireLoop() {
        while true {
            let (expired, nextDeadline, stopped) = state.withLock { state -> ([DelayedOperation], UInt64?, Bool) in
                let now = monotonicNanos()
                var expired: [DelayedOperation] = []
                var keep: [DelayedOperation] = []
                for operation in state.byDeadline where !operation.isCompleted {
                    if operation.deadlineNanos <= now || state.isStopped { expired.append(operation) } else { keep.append(operation) }
                }
                state.byDeadline = keep
                if !expired.isEmpty {
                    let gone = Set(expired.map(ObjectIdentifier.init))
                    for key in Array(state.watchers.keys) {
                        let remaining = state.watchers[key]?.filter { !$0.isCompleted && !gone.contains(ObjectIdentifier($0)) } ?? []
                        state.watchers[key] = remaining.isEmpty ? nil : remaining
                    }
                }
                return (expired, keep.map(\.deadlineNanos).min(), state.isStopped)
            }
            for operation in expired { pool.submit { operation.attempt(force: true) } }
            if stopped { return }
            if let nextDeadline {
                let now = monotonicNanos()
                let wait = nextDeadline > now ? nextDeadline - now : 0
                _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(wait, 1_000_000_000))))
            } else {
                wake.wait()
            }
        }
    }
}
