/// Where `sluice consume` starts in each partition.
public enum ConsumeStart: Sendable, Equatable {
    /// The log start offset (`beginning`).
    case beginning
    /// The log end offset: only new records (`end`).
    case end
    /// An absolute offset (`N`), clamped to the partition's range.
    case offset(Int64)
    /// `N` records before the end (`-N`), clamped to the log start.
    case fromEnd(Int64)
    /// The first record at or after a time, ms since the epoch (`@T`).
    case timestamp(Int64)
}

/// `sluice consume -o`: kcat's offset words plus time ranges.
///
/// | text | meaning |
/// |---|---|
/// | `beginning` (`earliest`, `oldest`, `start`) | the log start |
/// | `end` (`latest`, `newest`) | the log end: only new records |
/// | `N` or `+N` | offset N |
/// | `-N` | the last N records of each partition |
/// | `@T` | from time T (ms since the epoch, ISO-8601, or `-15m` back from now) |
/// | `@T1:T2` | records with T1 <= timestamp < T2, then exit |
public struct ConsumeOffsetSpec: Sendable, Equatable {
    /// Where to start.
    public var start: ConsumeStart
    /// With `@T1:T2`: stop a partition at its first record at or after T2.
    public var stopTimestamp: Int64?

    /// A spec from its parts.
    public init(start: ConsumeStart, stopTimestamp: Int64? = nil) {
        self.start = start
        self.stopTimestamp = stopTimestamp
    }

    static let accepted = "beginning, end, N, -N, @TIMESTAMP or @T1:T2 (TIMESTAMP: ms since the epoch, 2024-05-01T12:00:00Z, or -15m)"

    /// Parses `-o TEXT`; `nowMillis` anchors times like `-15m`.
    public static func parse(_ text: String, nowMillis: Int64) throws(UsageError) -> ConsumeOffsetSpec {
        switch text.lowercased() {
        case "beginning", "earliest", "oldest", "start": return ConsumeOffsetSpec(start: .beginning)
        case "end", "latest", "newest": return ConsumeOffsetSpec(start: .end)
        default: break
        }
        let bad = UsageError("bad offset '\(text)'", fix: "-o takes \(accepted)")
        if text.hasPrefix("@") {
            let body = String(text.dropFirst())
            if let single = DateTime.parseTimestamp(body, nowMillis: nowMillis) { return ConsumeOffsetSpec(start: .timestamp(single)) }
            // A range: split at the one colon whose two sides both read as times (ISO times contain colons too).
            for colon in body.indices where body[colon] == ":" {
                if let from = DateTime.parseTimestamp(String(body[..<colon]), nowMillis: nowMillis),
                   let until = DateTime.parseTimestamp(String(body[body.index(after: colon)...]), nowMillis: nowMillis) {
                    guard from < until else {
                        throw UsageError("bad offset '\(text)': the range ends before it starts", fix: "write @EARLIER:LATER")
                    }
                    return ConsumeOffsetSpec(start: .timestamp(from), stopTimestamp: until)
                }
            }
            throw bad
        }
        if text.hasPrefix("-") {
            guard let count = Int64(text.dropFirst()), count >= 0 else { throw bad }
            return ConsumeOffsetSpec(start: .fromEnd(count))
        }
        guard let offset = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text), offset >= 0 else { throw bad }
        return ConsumeOffsetSpec(start: .offset(offset))
    }

    /// The starting offset of a partition holding `logStart..<logEnd`, for every start but a timestamp
    /// (which needs the broker's time index; nil here).
    public func startOffset(logStart: Int64, logEnd: Int64) -> Int64? {
        switch start {
        case .beginning: return logStart
        case .end: return logEnd
        case .offset(let offset): return min(max(offset, logStart), logEnd)
        case .fromEnd(let count): return max(logStart, logEnd - count)
        case .timestamp: return nil
        }
    }
}

/// `sluice group reset-offsets`: Kafka's `--to-earliest|--to-latest|--to-offset|--to-datetime|--shift-by`.
public enum ResetStrategy: Sendable, Equatable {
    /// `--to-earliest`: the log start.
    case earliest
    /// `--to-latest`: the log end.
    case latest
    /// `--to-offset N`, clamped to the partition's range.
    case offset(Int64)
    /// `--to-datetime T`: the first offset at or after T (the log end when none).
    case datetime(Int64)
    /// `--shift-by N`: the committed offset plus N (may be negative), clamped.
    case shift(Int64)

    /// The new offset of one partition. `offsetAtTime` is the broker's answer for `.datetime`
    /// (nil or negative when no record is that new). Throws for `.shift` without a committed offset,
    /// as Kafka's tool does: there is nothing to shift from.
    public func newOffset(partition: String, committed: Int64?, logStart: Int64, logEnd: Int64,
                          offsetAtTime: Int64? = nil) throws(UsageError) -> Int64 {
        let clamp = { (offset: Int64) in min(max(offset, logStart), logEnd) }
        switch self {
        case .earliest: return logStart
        case .latest: return logEnd
        case .offset(let offset): return clamp(offset)
        case .datetime:
            guard let found = offsetAtTime, found >= 0 else { return logEnd }
            return clamp(found)
        case .shift(let delta):
            guard let committed else {
                throw UsageError("cannot shift the offset of \(partition): the group has no committed offset there",
                                 fix: "use --to-earliest, --to-latest, --to-offset or --to-datetime for it")
            }
            let (sum, overflow) = committed.addingReportingOverflow(delta)
            return clamp(overflow ? (delta < 0 ? logStart : logEnd) : sum)
        }
    }
}

/// A topic and, optionally, some of its partitions: `orders`, `orders:0,2`, `orders:0-3`.
public struct TopicSelection: Sendable, Equatable {
    /// Topic name.
    public var topic: String
    /// Selected partitions; nil for all of them.
    public var partitions: [Int32]?

    /// A selection from its parts.
    public init(topic: String, partitions: [Int32]? = nil) {
        self.topic = topic
        self.partitions = partitions
    }

    /// Parses `TOPIC[:P,P-Q,...]`.
    public static func parse(_ text: String) throws(UsageError) -> TopicSelection {
        let bad = UsageError("bad topic selection '\(text)'", fix: "write TOPIC, TOPIC:0,1,2 or TOPIC:0-3")
        guard let colon = text.lastIndex(of: ":") else {
            guard !text.isEmpty else { throw bad }
            return TopicSelection(topic: text)
        }
        let topic = String(text[..<colon])
        guard !topic.isEmpty else { throw bad }
        var partitions: [Int32] = []
        for part in text[text.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = bounds.first.flatMap({ Int32($0) }), low >= 0 else { throw bad }
            let high = bounds.count == 2 ? Int32(bounds[1]) : low
            guard let high, high >= low, high - low < 100_000 else { throw bad }
            partitions += Array(low...high)
        }
        return TopicSelection(topic: topic, partitions: Array(Set(partitions)).sorted())
    }
}
