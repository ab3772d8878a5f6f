/// `sluice dlq redrive --filter`: which dead letters to touch. Every filter must match.
///
/// `FIELD=TEXT` matches exactly, `FIELD~TEXT` when the field contains TEXT, `FIELD!=TEXT` when it
/// does not equal TEXT. Fields: `key`, `value`, `error` (the `sluice.error` header),
/// `original-topic` (`sluice.original.topic`), `partition` (of the dead-letter record),
/// `header.NAME` (any header).
public struct RecordFilter: Sendable, Equatable {
    /// What a filter compares.
    public enum Field: Sendable, Equatable {
        /// The record key as text.
        case key
        /// The record value as text.
        case value
        /// The `sluice.error` header.
        case error
        /// The `sluice.original.topic` header.
        case originalTopic
        /// The dead-letter record's partition.
        case partition
        /// Any header, by name.
        case header(String)
    }

    /// How it compares.
    public enum Comparison: String, Sendable, Equatable {
        /// `FIELD=TEXT`: exactly equal.
        case equals = "="
        /// `FIELD~TEXT`: contains.
        case contains = "~"
        /// `FIELD!=TEXT`: not equal (a missing field is not equal to anything).
        case notEquals = "!="
    }

    /// The field.
    public var field: Field
    /// The comparison.
    public var comparison: Comparison
    /// The text compared with.
    public var text: String

    /// The header the retrying consumer writes the error into (`RetryingConsumer.errorHeader`; this
    /// module cannot import the client, and the golden tests check the two agree).
    public static let errorHeader = "sluice.error"
    /// The header with the topic a dead letter first came from.
    public static let originalTopicHeader = "sluice.original.topic"

    /// Parses `FIELD=TEXT`, `FIELD~TEXT` or `FIELD!=TEXT`.
    public static func parse(_ text: String) throws(UsageError) -> RecordFilter {
        let fix = "write FIELD=TEXT, FIELD~TEXT (contains) or FIELD!=TEXT; fields: key, value, error, original-topic, partition, header.NAME"
        let operators: [(String, Comparison)] = [("!=", .notEquals), ("=", .equals), ("~", .contains)]
        guard let (range, comparison) = operators.compactMap({ symbol, comparison in
            text.firstRange(of: symbol).map { ($0, comparison) }
        }).min(by: { $0.0.lowerBound < $1.0.lowerBound }) else {
            throw UsageError("bad filter '\(text)'", fix: fix)
        }
        let name = String(text[..<range.lowerBound])
        let field: Field
        switch name {
        case "key": field = .key
        case "value": field = .value
        case "error": field = .error
        case "original-topic": field = .originalTopic
        case "partition": field = .partition
        case _ where name.hasPrefix("header.") && name.count > 7: field = .header(String(name.dropFirst(7)))
        default: throw UsageError("bad filter '\(text)': unknown field '\(name)'", fix: fix)
        }
        return RecordFilter(field: field, comparison: comparison, text: String(text[range.upperBound...]))
    }

    /// Whether `record` passes.
    public func matches(_ record: RecordView) -> Bool {
        let actual: String?
        switch field {
        case .key: actual = record.key.map(RecordView.text)
        case .value: actual = record.value.map(RecordView.text)
        case .error: actual = record.header(Self.errorHeader)
        case .originalTopic: actual = record.header(Self.originalTopicHeader)
        case .partition: actual = String(record.partition)
        case .header(let name): actual = record.header(name)
        }
        switch comparison {
        case .equals: return actual == text
        case .notEquals: return actual != text
        case .contains: return actual?.contains(text) ?? false
        }
    }
}
