/// One sample of the Prometheus text format: a series and its value.
public struct MetricSample: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var value: Double

    public init(name: String, labels: [String: String] = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// Reads the Prometheus text exposition format (what every node's `/metrics` serves): comment
/// lines are skipped, a malformed line is skipped too (a view must not die of one bad series).
public enum PrometheusText {
    public static func parse(_ text: String) -> [MetricSample] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return MetricSample(name: String(series), value: value) }
            guard series.hasSuffix("}") else { return nil }
            return MetricSample(name: String(series[..<brace]), labels: labels(series[series.index(after: brace)..<series.index(before: series.endIndex)]),
                                value: value)
        }
    }

    /// `a="x",b="y\"z"`: names, then quoted values with \\, \" and \n escapes.
    private static func labels(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingPrefix(",")
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { break }
            rest = rest.dropFirst()
            var value = ""
            var escaped = false
            while let ch = rest.first {
                rest = rest.dropFirst()
                if escaped {
                    value.append(ch == "n" ? "\n" : ch)
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    break
                } else {
                    value.append(ch)
                }
            }
            out[String(name)] = value
        }
        return out
    }
}

/// `sluice top`'s picture of the cluster from two scrapes of every node, `seconds` apart: pure, so
/// it is tested without a terminal.
public struct TopView: Sendable {
    /// One node's scrape: its address and its samples (nil when it did not answer).
    public struct Scrape: Sendable {
        public var node: String
        public var samples: [MetricSample]?

        public init(node: String, samples: [MetricSample]?) {
            self.node = node
            self.samples = samples
        }
    }

    public var before: [Scrape]
    public var after: [Scrape]
    public var seconds: Double

    public init(before: [Scrape], after: [Scrape], seconds: Double) {
        self.before = before
        self.after = after
        self.seconds = seconds
    }

    private static func total(_ samples: [MetricSample]?, _ name: String, where match: ([String: String]) -> Bool = { _ in true }) -> Double {
        (samples ?? []).filter { $0.name == name && match($0.labels) }.reduce(0) { $0 + $1.value }
    }

    private func rate(_ node: Int, _ name: String, where match: @escaping ([String: String]) -> Bool = { _ in true }) -> Double {
        guard seconds > 0, node < before.count, node < after.count else { return 0 }
        return max(0, Self.total(after[node].samples, name, where: match) - Self.total(before[node].samples, name, where: match)) / seconds
    }

    /// The lines to show, at most `height` of at most `width` characters.
    public func render(width: Int, height: Int) -> [String] {
        var lines = ["NODE                    UP   PRODUCE rec/s  PRODUCE MB/s  FETCH MB/s  LEADS  UNDER-REPL  OFFLINE  CONNS"]
        for (i, scrape) in after.enumerated() {
            guard let samples = scrape.samples else {
                lines.append(pad(scrape.node, 24) + "down")
                continue
            }
            let leads = Self.total(samples, "sluice_partitions", where: { $0["role"] == "leader" })
            let under = Self.total(samples, "sluice_partitions_led", where: { $0["state"] == "under_replicated" })
            let offline = Self.total(samples, "sluice_partitions", where: { $0["role"] == "offline" })
            lines.append(pad(scrape.node, 24) + pad("yes", 5) + number(rate(i, "sluice_produce_records_total"), 15)
                         + number(rate(i, "sluice_produce_bytes_total") / 1e6, 14, decimals: 1)
                         + number(rate(i, "sluice_fetch_bytes_total") / 1e6, 12, decimals: 1)
                         + number(leads, 7) + number(under, 12) + number(offline, 9)
                         + number(Self.total(samples, "sluice_connections_open"), 7))
        }
        lines.append("")
        lines.append("BUSIEST TOPICS (produce rec/s)")
        var topics: [String: Double] = [:]
        for i in after.indices {
            for sample in after[i].samples ?? [] where sample.name == "sluice_produce_records_total" {
                guard let topic = sample.labels["topic"] else { continue }
                topics[topic, default: 0] += rate(i, "sluice_produce_records_total", where: { $0["topic"] == topic })
            }
        }
        for (topic, value) in topics.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(5) {
            lines.append("  " + pad(topic, 40) + number(value, 12))
        }
        lines.append("")
        lines.append("LARGEST LAG (records)")
        var lag: [String: Double] = [:]
        for scrape in after {
            for sample in scrape.samples ?? [] where sample.name == "sluice_consumer_lag_records" {
                lag[sample.labels["group"] ?? "?", default: 0] += sample.value
            }
        }
        for (group, value) in lag.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(5) {
            lines.append("  " + pad(group, 40) + number(value, 12))
        }
        return lines.prefix(max(0, height)).map { String($0.prefix(max(0, width))) }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func number(_ value: Double, _ width: Int, decimals: Int = 0) -> String {
        let scale = decimals == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        let text = decimals == 0 ? String(Int64(rounded)) : String(rounded)
        return String(repeating: " ", count: max(1, width - text.count)) + text
    }
}
