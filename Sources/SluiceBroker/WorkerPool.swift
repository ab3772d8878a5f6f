import Dispatch
import Foundation
import SluiceIO
import Synchronization

/// A fixed set of threads that run request work, so event loops never block on a file, an
/// fsync or SQLite (Kafka's request handler threads). `submit` never waits, whoever calls it
/// (an event loop, the Raft thread waking parked requests): the queue is bounded by what feeds
/// it, each with its own limit — one task per connection with requests waiting (its
/// `SerialQueue`; `max.connections`), one per parked request becoming ready (parked requests
/// are bounded by the bytes a connection may have unanswered, `queued.max.request.bytes`), and
/// one per forwarded admin request. Back-pressure on a busy connection is the request-byte
/// budget: a connection over it is not read until its requests are answered.
///
/// The Raft host runs its fsyncs on a second pool at a lower priority (`niceness`), bounded
/// differently: one sync at a time, one job per partition log it covers.
public final class WorkerPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var head = 0
        var isStopped = false
        var count: Int { queue.count - head }
    }
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    public let threadCount: Int

    /// `niceness` above 0 lowers the threads' CPU priority (Linux `nice`, per thread; a thread
    /// cannot raise it back, so such a pool is only for work that should yield, and a thread a
    /// job starts would inherit it).
    public init(threads: Int, name: String = "sluice-worker", niceness: Int32 = 0) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                nameCurrentThread("\(name)-\(index)")
                // Linux: PRIO_PROCESS with id 0 is the calling thread, not the whole process.
                if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
                self.run()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `work` (dropped once stopped). Never waits.
    public func submit(_ work: @escaping @Sendable () -> Void) {
        let accepted = state.withLock { state -> Bool in
            guard !state.isStopped else { return false }
            state.queue.append(work)
            return true
        }
        if accepted { available.signal() }
    }

    /// Lets queued work finish, then ends the threads.
    public func stop() {
        state.withLock { $0.isStopped = true }
        for _ in 0..<threadCount { available.signal() }
    }

    private func run() {
        while true {
            available.wait()
            let next = state.withLock { state -> (@Sendable () -> Void)?? in
                guard state.count > 0 else { return state.isStopped ? .some(nil) : nil }
                let work = state.queue[state.head]
                state.head += 1
                if state.head > 1024 && state.head * 2 > state.queue.count {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                return .some(work)
            }
            switch next {
            case .none: continue
            case .some(.none): return
            case let .some(.some(work)):
                work()
            }
        }
    }
}

/// Runs one connection's requests one after another, in arrival order, on a `WorkerPool`:
/// a request starts only after the previous one's synchronous part returned, so a pipelined
/// idempotent producer's batches reach the log in the order it sent them.
public final class SerialQueue: Sendable {
    private struct State {
        var pending: [@Sendable () -> Void] = []
        var isRunning = false
    }
    private let state = Mutex(State())
    private let pool: WorkerPool

    public init(pool: WorkerPool) { self.pool = pool }

    public func submit(_ work: @escaping @Sendable () -> Void) {
        let start = state.withLock { state -> Bool in
            state.pending.append(work)
            if state.isRunning { return false }
            state.isRunning = true
            return true
        }
        if start { pool.submit { [self] in drain() } }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [@Sendable () -> Void] in
                let taken = state.pending
                state.pending.removeAll()
                if taken.isEmpty { state.isRunning = false }
                return taken
            }
            if batch.isEmpty { return }
            for work in batch { work() }
        }
    }
}

/// Runs `body` for every index in `0..<count` on up to `threads` new threads at once, and returns
/// when all are done. For per-partition file work at a clean stop and when replicas open (each
/// waits on the device's fsyncs): one after another, 2,000 partitions took seconds; side by side
/// the waits overlap.
func sideBySide(_ count: Int, threads: Int = 16, name: String, _ body: @escaping @Sendable (Int) -> Void) {
    if count <= 1 {
        for index in 0..<count { body(index) }  // no thread to start for one
        return
    }
    let started = min(max(1, threads), count)
    let done = DispatchGroup()
    for first in 0..<started {
        done.enter()
        let thread = Thread {
            nameCurrentThread("\(name)-\(first)")
            for index in stride(from: first, to: count, by: started) { body(index) }
            done.leave()
        }
        thread.name = "\(name)-\(first)"
        thread.start()
    }
    done.wait()
}
