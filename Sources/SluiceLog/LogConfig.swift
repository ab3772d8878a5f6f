import SluiceCore

/// When appended bytes are made durable with `fdatasync`.
public enum FlushPolicy: Equatable, Sendable {
    /// Every append is synced before `append` returns.
    case everyAppend
    /// A sync whenever this many bytes are unsynced.
    case everyBytes(Int)
    /// A sync once the oldest unsynced append is this old (checked by `flushIfDue`).
    case everyMillis(Int64)
    /// Only explicit `sync()` calls (the broker's group commit for acks=all).
    case manual
}

/// Per-partition settings (Kafka's topic configs of the same meaning).
public struct LogConfig: Equatable, Sendable {
    /// `segment.bytes`: roll once the active segment would grow past this.
    public var segmentBytes: Int
    /// `segment.ms`: roll once the active segment is this old (and not empty).
    public var segmentMillis: Int64
    /// `index.interval.bytes`: log bytes between sparse index entries.
    public var indexIntervalBytes: Int
    /// `retention.bytes`: delete whole old segments while the log is bigger; −1 keeps all.
    public var retentionBytes: Int64
    /// `retention.ms`: delete whole segments whose newest record is older; −1 keeps all.
    public var retentionMillis: Int64
    /// `max.message.bytes`: the largest batch accepted.
    public var maxBatchBytes: Int
    public var flushPolicy: FlushPolicy

    public init(segmentBytes: Int = Limits.segmentBytesDefault, segmentMillis: Int64 = 7 * 24 * 3_600_000,
                indexIntervalBytes: Int = Limits.indexIntervalBytesDefault, retentionBytes: Int64 = -1,
                retentionMillis: Int64 = 7 * 24 * 3_600_000, maxBatchBytes: Int = Limits.messageBytesMaxDefault,
                flushPolicy: FlushPolicy = .manual) {
        self.segmentBytes = segmentBytes
        self.segmentMillis = segmentMillis
        self.indexIntervalBytes = indexIntervalBytes
        self.retentionBytes = retentionBytes
        self.retentionMillis = retentionMillis
        self.maxBatchBytes = maxBatchBytes
        self.flushPolicy = flushPolicy
    }
}

/// Where the log gets the time: injected so tests can drive rolls and retention.
public protocol LogClock: Sendable {
    /// Wall-clock milliseconds since the epoch.
    func nowMillis() -> Int64
}
