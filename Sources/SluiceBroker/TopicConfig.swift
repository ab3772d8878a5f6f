import SluiceLog

/// Topic-level configs we accept (Kafka's names), their validation, and how they become a
/// `LogConfig`. Anything else is INVALID_CONFIG, never silently ignored.
public enum TopicConfig {
    public static let supportedKeys: Set<String> = [
        "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "max.message.bytes", "cleanup.policy",
    ]

    public struct Invalid: Error, Equatable, Sendable {
        public var message: String
    }

    /// Checks one key and value; returns the value normalized.
    public static func validate(key: String, value: String) throws(Invalid) -> String {
        guard supportedKeys.contains(key) else {
            throw Invalid(message: "unsupported topic config '\(key)'; supported: \(supportedKeys.sorted().joined(separator: ", "))")
        }
        switch key {
        case "cleanup.policy":
            guard value == "delete" else {
                throw Invalid(message: "cleanup.policy '\(value)' is not supported; log compaction is not implemented, use 'delete'")
            }
            return value
        case "retention.ms", "retention.bytes":
            guard let number = Int64(value), number >= -1 else { throw Invalid(message: "\(key) wants a number ≥ -1, got '\(value)'") }
            return String(number)
        case "segment.bytes":
            guard let number = Int64(value), number >= 1024, number <= Int64(Int32.max) else {
                throw Invalid(message: "segment.bytes wants 1024…2147483647, got '\(value)'")
            }
            return String(number)
        case "segment.ms":
            guard let number = Int64(value), number >= 1 else { throw Invalid(message: "segment.ms wants a number ≥ 1, got '\(value)'") }
            return String(number)
        case "max.message.bytes":
            guard let number = Int64(value), number >= 128, number <= Int64(Int32.max) else {
                throw Invalid(message: "max.message.bytes wants 128…2147483647, got '\(value)'")
            }
            return String(number)
        default:
            return value
        }
    }

    /// The log settings of a topic: its own configs over the broker's defaults.
    public static func logConfig(_ configs: [String: String], defaults broker: BrokerConfig) -> LogConfig {
        func number(_ key: String) -> Int64? { configs[key].flatMap { Int64($0) } }
        return LogConfig(
            segmentBytes: Int(number("segment.bytes") ?? Int64(broker.segmentBytes)),
            segmentMillis: number("segment.ms") ?? broker.segmentMillis,
            retentionBytes: number("retention.bytes") ?? broker.retentionBytes,
            retentionMillis: number("retention.ms") ?? broker.retentionMillis,
            maxBatchBytes: Int(number("max.message.bytes") ?? Int64(broker.messageMaxBytes)),
            flushPolicy: .manual)
    }

    /// The effective value of every supported key, and whether it is the broker default.
    public static func effective(_ configs: [String: String], defaults broker: BrokerConfig) -> [(key: String, value: String, isDefault: Bool)] {
        let log = logConfig(configs, defaults: broker)
        let values: [String: String] = [
            "retention.ms": String(log.retentionMillis), "retention.bytes": String(log.retentionBytes),
            "segment.bytes": String(log.segmentBytes), "segment.ms": String(log.segmentMillis),
            "max.message.bytes": String(log.maxBatchBytes), "cleanup.policy": configs["cleanup.policy"] ?? "delete",
        ]
        return values.keys.sorted().map { ($0, values[$0] ?? "", configs[$0] == nil) }
    }
}
