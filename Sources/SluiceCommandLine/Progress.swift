/// A progress line for long operations (redrive, produce from a big file, consume to a file),
/// shown on a terminal at most every `intervalNanos` and never when output is piped; the caller
/// decides where it goes. Time is passed in, so tests need no clock.
public struct ProgressMeter: Sendable {
    /// What is being counted, e.g. `produced`.
    public var verb: String
    /// The total when known (shows a percentage).
    public var total: Int64?
    /// Minimum time between two lines.
    public var intervalNanos: UInt64
    private var lastShownNanos: UInt64?
    private let startNanos: UInt64

    /// A meter started at `nowNanos`.
    public init(verb: String, total: Int64? = nil, nowNanos: UInt64, intervalNanos: UInt64 = 200_000_000) {
        self.verb = verb
        self.total = total
        self.intervalNanos = intervalNanos
        self.startNanos = nowNanos
    }

    /// The line to show for `done` items, or nil when the last one is too recent.
    public mutating func update(done: Int64, nowNanos: UInt64) -> String? {
        if let last = lastShownNanos, nowNanos &- last < intervalNanos { return nil }
        lastShownNanos = nowNanos
        return line(done: done, nowNanos: nowNanos)
    }

    /// `produced 12,345 records (45%, 6,172/s)`.
    public func line(done: Int64, nowNanos: UInt64) -> String {
        var text = "\(verb) \(Self.grouped(done))"
        if let total { text += "/\(Self.grouped(total))" }
        text += " records"
        var details: [String] = []
        if let total, total > 0 { details.append("\(min(100, done * 100 / total))%") }
        let elapsed = nowNanos &- startNanos
        if elapsed >= 1_000_000_000 { details.append("\(Self.grouped(Int64(Double(done) / (Double(elapsed) / 1e9))))/s") }
        return details.isEmpty ? text : "\(text) (\(details.joined(separator: ", ")))"
    }

    /// `1234567` as `1,234,567`.
    public static func grouped(_ number: Int64) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}
