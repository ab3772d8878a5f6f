import Foundation
import Synchronization

/// Counters, gauges and histograms with labels, written by the broker's threads and rendered in
/// the Prometheus text format (or OpenMetrics) when scraped. Each family keeps its series behind
/// one lock, taken for a moment per update: no allocation once a series exists.
final class MetricsRegistry: Sendable {
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// One named family: its help, kind, label names and how to render its current series.
    struct Family: Sendable {
        let name: String
        let help: String
        let kind: Kind
        let render: @Sendable (_ openMetrics: Bool) -> [String]
    }

    private let families = Mutex<[Family]>([])

    func register(_ family: Family) {
        families.withLock { $0.append(family) }
    }

    /// A gauge (or a counter kept elsewhere) whose series `read` computes when scraped.
    func gauge(_ name: String, _ help: String, kind: Kind = .gauge, labels: [String] = [], read: @escaping @Sendable () -> [([String], Double)]) {
        register(.init(name: name, help: help, kind: kind) { _ in
            read().map { values, value in "\(name)\(MetricsRegistry.labels(labels, values)) \(MetricsRegistry.number(value))" }
        })
    }

    /// The text exposition of every family: Prometheus 0.0.4, or OpenMetrics 1.0 (counters' samples
    /// end in `_total` there too, the family name does not; the text ends with `# EOF`).
    func render(openMetrics: Bool) -> String {
        var out = ""
        for family in families.withLock({ $0 }) {
            let typeName = openMetrics && family.kind == .counter && family.name.hasSuffix("_total")
                ? String(family.name.dropLast("_total".count)) : family.name
            out += "# HELP \(typeName) \(family.help)\n# TYPE \(typeName) \(family.kind.rawValue)\n"
            for line in family.render(openMetrics) { out += line + "\n" }
        }
        if openMetrics { out += "# EOF\n" }
        return out
    }

    static func labels(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let pairs = zip(names, values).map { name, value in
            var escaped = ""
            for ch in value {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(ch)
                }
            }
            return "\(name)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A counter per label set.
final class CounterFamily: Sendable {
    let name: String
    let labelNames: [String]
    private let values = Mutex<[[String]: Double]>([:])

    init(_ registry: MetricsRegistry, _ name: String, _ help: String, labels: [String] = []) {
        self.name = name
        labelNames = labels
        registry.register(.init(name: name, help: help, kind: .counter) { [self] _ in
            values.withLock { $0 }.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { labels, value in
                "\(name)\(MetricsRegistry.labels(labelNames, labels)) \(MetricsRegistry.number(value))"
            }
        })
    }

    func add(_ amount: Double = 1, _ labels: [String] = []) {
        values.withLock { $0[labels, default: 0] += amount }
    }
}

/// A histogram per label set, over fixed bucket bounds.
final class HistogramFamily: Sendable {
    private struct Series {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }

    let bounds: [Double]
    private let series = Mutex<[[String]: Series]>([:])

    /// Seconds from 50 µs to 10 s, roughly ×2.5 apart.
    static let latencyBounds: [Double] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    init(_ registry: MetricsRegistry, _ name: String, _ help: String, labels: [String] = [], bounds: [Double] = HistogramFamily.latencyBounds) {
        self.bounds = bounds
        registry.register(.init(name: name, help: help, kind: .histogram) { [self] _ in
            var lines: [String] = []
            for (values, s) in series.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                var cumulative: UInt64 = 0
                for (i, bound) in bounds.enumerated() {
                    cumulative += s.counts[i]
                    lines.append("\(name)_bucket\(MetricsRegistry.labels(labels + ["le"], values + [MetricsRegistry.number(bound)])) \(cumulative)")
                }
                lines.append("\(name)_bucket\(MetricsRegistry.labels(labels + ["le"], values + ["+Inf"])) \(s.count)")
                lines.append("\(name)_sum\(MetricsRegistry.labels(labels, values)) \(MetricsRegistry.number(s.sum))")
                lines.append("\(name)_count\(MetricsRegistry.labels(labels, values)) \(s.count)")
            }
            return lines
        })
    }

    func observe(_ value: Double, _ labels: [String] = []) {
        let bucket = bounds.firstIndex { value <= $0 } ?? bounds.count
        let empty = bounds.count + 1
        series.withLock { all in
            // In place: the default is built only for a new label set.
            all[labels, default: Series(counts: Array(repeating: 0, count: empty))].counts[bucket] += 1
            all[labels, default: Series(counts: Array(repeating: 0, count: empty))].sum += value
            all[labels, default: Series(counts: Array(repeating: 0, count: empty))].count += 1
        }
    }
}
