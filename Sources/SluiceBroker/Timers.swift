import Dispatch
import Foundation
import SluiceIO
import Synchronization

/// The broker's one clock for periodic work: group session checks, retention, broker heartbeats
/// and the forwarder's retries all run from here, instead of each from a thread of its own that
/// sleeps in a loop. One `sluice-timers` thread waits for the earliest deadline (woken early
/// when a task is added or the timers stop) and runs what is due. A task must be short and must
/// not block: it hands real work to the thread that owns it (the Raft thread, the worker pool).
/// A task that falls behind (the process was paused) runs once, then keeps its period from now.
public final class Timers: Sendable {
    private struct Task {
        var due: UInt64
        var periodNanos: UInt64
        var body: @Sendable () -> Void
    }

    private let tasks = Mutex<(list: [Task], stopped: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    public init() {
        let thread = Thread { [self] in
            nameCurrentThread("sluice-timers")
            run()
        }
        thread.name = "sluice-timers"
        thread.start()
    }

    /// Runs `body` every `millis` milliseconds (at least 1), the first time one period from now.
    public func every(millis: Int64, _ body: @escaping @Sendable () -> Void) {
        let period = UInt64(max(1, millis)) * 1_000_000
        tasks.withLock { $0.list.append(Task(due: monotonicNanos() + period, periodNanos: period, body: body)) }
        wake.signal()
    }

    /// Ends the thread after the task running now, if any; no task runs afterwards. Idempotent.
    public func stop() {
        let first = tasks.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + 5)
    }

    private func run() {
        while true {
            let now = monotonicNanos()
            let (due, next, stopped) = tasks.withLock { state -> ([@Sendable () -> Void], UInt64?, Bool) in
                var due: [@Sendable () -> Void] = []
                for index in state.list.indices where state.list[index].due <= now {
                    due.append(state.list[index].body)
                    let next = state.list[index].due + state.list[index].periodNanos
                    state.list[index].due = next > now ? next : now + state.list[index].periodNanos
                }
                return (due, state.list.map(\.due).min(), state.stopped)
            }
            if stopped { break }
            for body in due { body() }
            if !due.isEmpty { continue }
            let waitNanos = next.map { $0 > now ? $0 - now : 0 } ?? 1_000_000_000
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(waitNanos, 1_000_000_000))))
        }
        finished.signal()
    }
}
