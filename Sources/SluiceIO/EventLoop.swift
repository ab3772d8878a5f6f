#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSluiceLinux
import Synchronization

/// Work posted to an event loop from any thread; it runs on the loop thread.
typealias EventLoopTask = @Sendable () -> Void

/// A descriptor registered with an event loop. Every method runs on the loop thread.
protocol EventLoopChannel: AnyObject {
    /// epoll reported `events` (EPOLLIN, EPOLLOUT, EPOLLERR, …) for this channel.
    func handleEvents(_ events: UInt32)
    /// The loop is stopping: close the descriptor and deregister.
    func loopWillClose()
}

/// An object other threads wake on its loop (e.g. a connection whose response slots were
/// completed). Callers post one at most once until it has been delivered, which bounds the queue.
protocol EventLoopNotifiable: AnyObject, Sendable {
    /// Runs on the loop thread after `EventLoop.notify(_:)`.
    func loopDidNotify()
}

/// Monotonic clock in nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    _ = clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

extension Duration {
    /// Whole nanoseconds, clamped at zero and at `UInt64.max`.
    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let (wholeSeconds, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        return wholeSeconds &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

/// One epoll thread. It owns the descriptors registered with it; other threads reach it only
/// through the mailbox (a bounded task queue plus a notify list) and an eventfd wake-up.
///
/// Mutable state other than `mailbox` and `threadID` is owned by the loop thread, which is why the
/// class is `@unchecked Sendable`: `mailbox` is a `Mutex`, `threadID` an `Atomic`, the rest is only
/// touched from `run()` and from calls that assert `inLoopThread`.
final class EventLoop: @unchecked Sendable {
    /// Pending cross-thread work. Guarded by `mailbox`'s own lock.
    private struct Mailbox {
        var tasks: [EventLoopTask] = []
        var notified: [any EventLoopNotifiable] = []
        var stopRequested = false
        /// Set once, when the loop tears down; after that nothing is accepted and the eventfd
        /// is no longer written (it is about to be closed).
        var closed = false
        var isEmpty: Bool { tasks.isEmpty && notified.isEmpty && !stopRequested }
    }

    /// A coarse loop timer; a loop holds a handful (idle sweeps, accept back-off), not one per request.
    private struct Timer {
        var id: UInt64
        var deadlineNs: UInt64
        var body: () -> Void
    }

    private static let wakeToken: UInt64 = 0
    private static let eventsMax = 256

    let name: String
    private let epollFD: Int32
    private let wakeFD: Int32
    private let mailbox = Mutex(Mailbox())
    private let tasksMax: Int
    private let threadID = Atomic<UInt>(0)

    // Owned by the loop thread.
    private var channels: [UInt64: any EventLoopChannel] = [:]
    private var timers: [Timer] = []
    private var nextToken: UInt64 = 1
    private var nextTimerID: UInt64 = 1
    private var running = true
    /// True once the loop has begun tearing down: registrations must close their descriptor instead.
    private(set) var isClosing = false

    /// Creates the epoll instance and eventfd; `run()` must then be called on a dedicated thread.
    init(name: String, tasksMax: Int = 4096) throws(SystemError) {
        self.name = name
        self.tasksMax = tasksMax
        epollFD = try retryingInterrupts("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do throws(SystemError) {
            wakeFD = try retryingInterrupts("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        } catch {
            _ = close(epollFD)
            throw error
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        do throws(SystemError) {
            _ = try retryingInterrupts("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) }
        } catch {
            _ = close(wakeFD)
            _ = close(epollFD)
            throw error
        }
    }

    /// True when called on this loop's thread.
    var inLoopThread: Bool {
        let id = threadID.load(ordering: .acquiring)
        return id != 0 && pthread_equal(pthread_self(), pthread_t(id)) != 0
    }

    /// True on the loop thread, or on any thread before the loop thread has started (set-up code
    /// may register descriptors then; thread creation orders those writes before the loop's reads).
    private var ownedByCaller: Bool {
        let id = threadID.load(ordering: .acquiring)
        return id == 0 || pthread_equal(pthread_self(), pthread_t(id)) != 0
    }

    // MARK: Cross-thread entry points

    /// Queues `task` to run on the loop thread. Returns false when the mailbox is full
    /// (`tasksMax`) or the loop has closed; the task is then dropped, not run.
    @discardableResult
    func execute(_ task: @escaping EventLoopTask) -> Bool {
        mailbox.withLock { box in
            if box.closed || box.tasks.count >= tasksMax { return false }
            let wasEmpty = box.isEmpty
            box.tasks.append(task)
            if wasEmpty { wake() }
            return true
        }
    }

    /// Schedules `target.loopDidNotify()` on the loop thread. The caller guarantees that each target
    /// is pending at most once, so the list is bounded by the number of targets. Dropped silently
    /// once the loop has closed.
    func notify(_ target: any EventLoopNotifiable) {
        mailbox.withLock { box in
            if box.closed { return }
            let wasEmpty = box.isEmpty
            box.notified.append(target)
            if wasEmpty { wake() }
        }
    }

    /// Asks the loop to stop: it closes every registered channel and `run()` returns.
    func requestStop() {
        mailbox.withLock { box in
            if box.closed || box.stopRequested { return }
            let wasEmpty = box.isEmpty
            box.stopRequested = true
            if wasEmpty { wake() }
        }
    }

    /// Writes the eventfd. Only called with the mailbox lock held and `closed == false`, so the
    /// descriptor is still open.
    private func wake() {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is already due to wake. Ignore it.
        _ = try? retryingInterruptsUnlessWouldBlock("write(eventfd)") { write(wakeFD, &one, 8) }
    }

    // MARK: Loop-thread API

    /// Registers `fd` for `events`; returns the token that identifies it in later calls.
    func register(fd: Int32, events: UInt32, channel: any EventLoopChannel) throws(SystemError) -> UInt64 {
        precondition(ownedByCaller, "EventLoop.register off the loop thread")
        let token = nextToken
        nextToken += 1
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = try retryingInterrupts("epoll_ctl(ADD)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
        channels[token] = channel
        return token
    }

    /// Changes the events watched for a registered descriptor.
    func modify(fd: Int32, token: UInt64, events: UInt32) throws(SystemError) {
        precondition(ownedByCaller, "EventLoop.modify off the loop thread")
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = try retryingInterrupts("epoll_ctl(MOD)") { epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) }
    }

    /// Removes a descriptor; call before closing it.
    func deregister(fd: Int32, token: UInt64) {
        precondition(ownedByCaller, "EventLoop.deregister off the loop thread")
        channels[token] = nil
        var event = epoll_event()
        _ = try? retryingInterrupts("epoll_ctl(DEL)") { epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event) }
    }

    /// Runs `body` on the loop thread after `delayNs`. Returns an id for `cancelTimer`.
    @discardableResult
    func scheduleTimer(afterNs delayNs: UInt64, _ body: @escaping () -> Void) -> UInt64 {
        precondition(ownedByCaller, "EventLoop.scheduleTimer off the loop thread")
        let id = nextTimerID
        nextTimerID += 1
        let now = monotonicNanoseconds()
        let (deadline, overflow) = now.addingReportingOverflow(delayNs)
        timers.append(Timer(id: id, deadlineNs: overflow ? .max : deadline, body: body))
        return id
    }

    /// Cancels a pending timer; a no-op if it already ran.
    func cancelTimer(_ id: UInt64) {
        precondition(ownedByCaller, "EventLoop.cancelTimer off the loop thread")
        timers.removeAll { $0.id == id }
    }

    // MARK: The loop

    /// What `/proc/self/fd` says a descriptor refers to (a socket, a path, an anonymous inode).
    static func describeDescriptor(_ descriptor: Int32) -> String {
        var target = [CChar](repeating: 0, count: 512)
        let length = readlink("/proc/self/fd/\(descriptor)", &target, target.count - 1)
        guard length > 0 else { return "closed" }
        return String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The thread body: wait, dispatch readiness, drain the mailbox, fire timers; until stopped.
    func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Self.eventsMax)
        defer { events.deallocate() }
        while running {
            let count: Int32
            do throws(SystemError) {
                let timeout = timeoutMilliseconds()
                count = try retryingInterrupts("epoll_wait") { epoll_wait(epollFD, events, Int32(Self.eventsMax), timeout) }
            } catch {
                // EBADF and EFAULT stop the process inside `retryingInterrupts`; what reaches here
                // is EINVAL: the epoll number was closed by someone else and reused by a
                // descriptor that is not an epoll instance. Name what holds it now, to find them.
                fatalError("\(name): \(error); descriptor \(epollFD) is now \(Self.describeDescriptor(epollFD))")
            }
            for index in 0..<Int(count) {
                let event = events[index]
                let token = event.data.u64
                if token == Self.wakeToken {
                    drainWakeFD()
                } else if let channel = channels[token] {
                    channel.handleEvents(event.events)
                }
            }
            drainMailbox()
            fireDueTimers()
        }
        tearDown()
    }

    private func timeoutMilliseconds() -> Int32 {
        guard let earliest = timers.lazy.map(\.deadlineNs).min() else { return -1 }
        let now = monotonicNanoseconds()
        if earliest <= now { return 0 }
        // Round up so the loop never wakes just before a deadline and spins.
        let milliseconds = (earliest - now + 999_999) / 1_000_000
        return Int32(min(milliseconds, UInt64(Int32.max)))
    }

    private func drainWakeFD() {
        var counter: UInt64 = 0
        _ = try? retryingInterruptsUnlessWouldBlock("read(eventfd)") { read(wakeFD, &counter, 8) }
    }

    private func drainMailbox() {
        let (tasks, notified, stop) = mailbox.withLock { box in
            let taken = (box.tasks, box.notified, box.stopRequested)
            box.tasks.removeAll(keepingCapacity: true)
            box.notified.removeAll(keepingCapacity: true)
            return taken
        }
        for task in tasks { task() }
        for target in notified { target.loopDidNotify() }
        if stop { running = false }
    }

    private func fireDueTimers() {
        if timers.isEmpty { return }
        let now = monotonicNanoseconds()
        let due = timers.filter { $0.deadlineNs <= now }
        if due.isEmpty { return }
        timers.removeAll { $0.deadlineNs <= now }
        for timer in due { timer.body() }
    }

    private func tearDown() {
        isClosing = true
        let (tasks, notified) = mailbox.withLock { box in
            box.closed = true
            let taken = (box.tasks, box.notified)
            box.tasks = []
            box.notified = []
            return taken
        }
        // Late tasks still run so that what they own (e.g. a just-accepted socket) is closed:
        // registrations see `isClosing` and close instead.
        for task in tasks { task() }
        for target in notified { target.loopDidNotify() }
        for channel in Array(channels.values) { channel.loopWillClose() }
        channels.removeAll()
        timers.removeAll()
        _ = close(wakeFD)
        _ = close(epollFD)
    }
}

/// A started pthread running one closure; `join()` waits for it.
final class LoopThread: Sendable {
    private final class Body {
        let name: String
        let run: @Sendable () -> Void
        init(_ name: String, _ run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }

    private let handle: pthread_t

    /// Starts a thread named `name` (as `nameCurrentThread` does) running `body`.
    init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Body(name, body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let body = Unmanaged<Body>.fromOpaque(argument).takeRetainedValue()
            nameCurrentThread(body.name)
            body.run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemError(call: "pthread_create", errno: status)
        }
        handle = thread
    }

    /// Waits for the thread to finish. Call once.
    func join() {
        _ = pthread_join(handle, nil)
    }
}

/// Names the calling thread as the operating system sees it (`top -H`, `ps -L`, perf), so an
/// operator can tell which of the broker's threads spends the CPU. Foundation's `Thread.name`
/// does not reach the kernel on Linux, and Linux keeps 15 bytes: a longer name loses its
/// "sluice-" prefix first ("sluice-client-net-0" shows as "client-net-0"), then its end.
public func nameCurrentThread(_ name: String) {
    let shown = name.utf8.count > 15 && name.hasPrefix("sluice-") ? String(name.dropFirst("sluice-".count)) : name
    shown.withCString { sluice_name_current_thread($0) }
}
