import Foundation
import SluiceIO
import Synchronization

/// The diagnostics log (not to be confused with the partition log): one line per event on
/// stderr: time, level, message. Lines are written whole with one
/// `write`, so lines from different threads never interleave.
public enum Diagnostics {
    public enum Level: String, Sendable {
        case debug = "DEBUG", info = "INFO", warn = "WARN", error = "ERROR"
    }

    /// `diagnostics.format`: text lines for people, or one JSON object per line for machines.
    public enum Format: String, Sendable {
        case text, json
    }

    private static let style = Mutex<(format: Format, node: Int32?)>((.text, nil))

    /// Sets the line format and the node id every line carries (called once at start).
    public static func configure(format: Format, node: Int32) {
        style.withLock { $0 = (format, node) }
    }

    /// `text` made safe for one log line when a client or peer chose it: between `quote`s, cut
    /// to `limit` characters so it cannot flood the log, and with everything but printable ASCII
    /// escaped as `\u{…}` (a newline, a Unicode line separator or a terminal escape would
    /// otherwise forge or hide lines).
    public static func quoted(_ text: String, quote: Unicode.Scalar = "\"", limit: Int = 64) -> String {
        var out = String(quote)
        var kept = 0
        for scalar in text.unicodeScalars {
            guard kept < limit else { return out + String(quote) + "… (cut at \(limit) characters)" }
            switch scalar {
            case quote, "\\": out += "\\" + String(scalar)
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
            kept += 1
        }
        return out + String(quote)
    }

    /// Whether the `n`th occurrence of a repeating fault is one to log: the 1st, 10th, 100th…,
    /// so a fault that persists leaves a few lines, not one per occurrence.
    public static func isLogged(occurrence n: Int) -> Bool {
        guard n > 0 else { return false }
        var rest = n
        while rest % 10 == 0 { rest /= 10 }
        return rest == 1
    }

    /// Whether a count that moved over `occurrences` at once passed a logged one (1, 10, 100…).
    public static func isLogged(anyOf occurrences: ClosedRange<Int>) -> Bool {
        var power = 1
        while power < occurrences.lowerBound {
            guard power <= Int.max / 10 else { return false }
            power *= 10
        }
        return occurrences.contains(power)
    }

    public static func info(_ message: @autoclosure () -> String) { write(.info, message()) }
    public static func warn(_ message: @autoclosure () -> String) { write(.warn, message()) }
    public static func error(_ message: @autoclosure () -> String) { write(.error, message()) }

    public static func write(_ level: Level, _ message: String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                           parts.tm_hour, parts.tm_min, parts.tm_sec, Int(now.tv_nsec / 1_000_000))
        let (format, node) = style.withLock { $0 }
        let line: String
        switch format {
        case .text:
            line = "\(stamp) \(level.rawValue) \(message)\n"
        case .json:
            var fields: [String: Any] = ["time": stamp, "level": level.rawValue.lowercased(), "message": message]
            if let node { fields["node"] = node }
            let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self) + "\n"
        }
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = Foundation.write(2, buffer.baseAddress, buffer.count - 1)
        }
    }
}

extension FrameServer.Pressure {
    /// One line for the log: what ran out and what to do about it.
    var explanation: String {
        switch self {
        case .descriptorsExhausted:
            return "out of file descriptors: new connections wait (accepting pauses briefly); raise the limit (ulimit -n, LimitNOFILE=) or lower max.connections / log.open.files.max"
        case .requestBytesExhausted:
            return "request-byte budget full: connections wait unread until answers free room; raise queued.max.request.bytes if memory allows, or find the slow or flooding clients"
        case .relieved:
            return "resources available again"
        }
    }
}
