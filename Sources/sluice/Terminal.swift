#if canImport(Glibc)
import Glibc
#endif
import SluiceCommandLine
import Synchronization

/// Set by SIGINT once `Terminal.catchInterrupt()` is on: long loops (consume, redrive) stop cleanly
/// at their next check, commit what they printed and exit; a second Ctrl-C kills the process.
let interruptRequested = Atomic<Bool>(false)

/// Buffered writes to a file descriptor (stdout, stderr) that keep raw bytes raw: record keys and
/// values are written as they are, as kcat does. Not for concurrent use: the CLI writes from the
/// main actor only.
@MainActor
final class OutputChannel {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let flushThresholdBytes = 64 * 1024

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(flushThresholdBytes)
    }

    /// Whether this descriptor is a terminal.
    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= flushThresholdBytes { flush() }
    }

    /// Writes everything buffered. A reader that went away (EPIPE) ends the output quietly, as
    /// `sluice consume | head` expects.
    func flush() {
        var written = 0
        while written < buffer.count {
            let result = buffer[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                return
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The process's standard streams, progress display and clocks.
@MainActor
enum Terminal {
    static let standardOutput = OutputChannel(descriptor: STDOUT_FILENO)
    static let standardError = OutputChannel(descriptor: STDERR_FILENO)

    /// Whether a progress line currently occupies the last stderr line.
    private static var progressShown = false

    /// Prints `error: message` and the fix to stderr.
    static func printError(_ message: String, fix: String) {
        clearProgress()
        standardOutput.flush()
        standardError.write("error: \(message)\n")
        if !fix.isEmpty { standardError.write("fix: \(fix)\n") }
        standardError.flush()
    }

    /// A note for the person at the terminal (stderr, so stdout stays clean for pipes).
    static func note(_ text: String) {
        clearProgress()
        standardError.write(text + "\n")
        standardError.flush()
    }

    /// Shows `line` in place on stderr (carriage return, clear to end of line).
    static func showProgress(_ line: String) {
        standardError.write("\r\u{1B}[K" + line)
        standardError.flush()
        progressShown = true
    }

    /// Removes the progress line, if one is shown.
    static func clearProgress() {
        guard progressShown else { return }
        standardError.write("\r\u{1B}[K")
        standardError.flush()
        progressShown = false
    }

    /// Installs the SIGINT handler that sets `interruptRequested`.
    static func catchInterrupt() {
        signal(SIGINT) { _ in
            interruptRequested.store(true, ordering: .relaxed)
            signal(SIGINT, nil)  // SIG_DFL: a second Ctrl-C ends the process at once
        }
    }

    static var wasInterrupted: Bool { interruptRequested.load(ordering: .relaxed) }

    /// Wall-clock milliseconds since the epoch.
    static func nowMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Monotonic nanoseconds, for progress pacing.
    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// A progress meter that draws only when stderr is a terminal (and, for output that goes to
/// stdout, only when stdout is not that terminal): quiet in pipes and scripts.
@MainActor
struct TerminalProgress {
    private var meter: ProgressMeter
    private let enabled: Bool

    init(verb: String, total: Int64? = nil, alsoWhenStdoutIsTerminal: Bool = true) {
        meter = ProgressMeter(verb: verb, total: total, nowNanos: Terminal.monotonicNanos())
        enabled = Terminal.standardError.isTerminal && (alsoWhenStdoutIsTerminal || !Terminal.standardOutput.isTerminal)
    }

    mutating func update(done: Int64) {
        guard enabled, let line = meter.update(done: done, nowNanos: Terminal.monotonicNanos()) else { return }
        Terminal.showProgress(line)
    }

    func finish() {
        Terminal.clearProgress()
    }
}

/// Reads lines (without their `\n`) from a file descriptor, as bytes, with a bounded line length.
/// Reads block: callers run on the main actor, never on Swift's cooperative pool.
final class LineReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Longer lines are an error, not an unbounded allocation.
    static let lineBytesMax = 16 * 1024 * 1024
    private(set) var lineNumber = 0

    /// Standard input.
    init() {
        descriptor = STDIN_FILENO
        ownsDescriptor = false
    }

    /// A file, opened for reading.
    init(path: String) throws(CommandFailure) {
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw CommandFailure("cannot read \(path): \(String(cString: strerror(errno)))", fix: "check the path given to --file")
        }
        descriptor = opened
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line, nil at the end of input. A last line without `\n` still counts.
    func next() throws(CommandFailure) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            guard buffer.count - start <= Self.lineBytesMax else {
                throw CommandFailure("line \(lineNumber + 1) is longer than \(Self.lineBytesMax) bytes",
                                     fix: "split the input into records of at most message.max.bytes")
            }
            try fill()
        }
    }

    private func fill() throws(CommandFailure) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw CommandFailure("cannot read input: \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEnd = true } else { buffer += chunk[..<count] }
            return
        }
    }
}
