import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads that run request work, so event loops never block on a file, an
/// fsync or SQLite (Kafka's request handler threads). The queue is bounded: `submit` waits
/// when it is full, which pushes back on the event loops and so on the sockets.
public final class WorkerPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var head = 0
        var isStopped = false
        var count: Int { queue.count - head }
    }
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore
    public let threadCount: Int

    public init(threads: Int, queueCapacity: Int = 4096) {
        threadCount = max(1, threads)
        space = DispatchSemaphore(value: queueCapacity)
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.run() }
            thread.name = "sluice-worker-\(index)"
            thread.start()
        }
    }

    /// Queues `work`; waits while the queue is full.
    public func submit(_ work: @escaping @Sendable () -> Void) {
        space.wait()
        let accepted = state.withLock { state -> Bool in
            guard !state.isStopped else { return false }
            state.queue.append(work)
            return true
        }
        if accepted { available.signal() } else { space.signal() }
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
                space.signal()
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
