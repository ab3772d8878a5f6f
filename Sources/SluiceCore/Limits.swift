/// Named limits shared across layers. Units are at the end of every name.
public enum Limits {
    /// Kafka's default `message.max.bytes` (largest record batch accepted), 1 MiB + overhead.
    public static let messageBytesMaxDefault: Int = 1_048_588
    /// Kafka's default `socket.request.max.bytes`.
    public static let requestBytesMaxDefault: Int = 100 * 1024 * 1024
    /// Default segment size before a roll (`segment.bytes`).
    public static let segmentBytesDefault: Int = 1024 * 1024 * 1024
    /// Bytes of log between two sparse offset-index entries (`index.interval.bytes`).
    public static let indexIntervalBytesDefault: Int = 4096
}
