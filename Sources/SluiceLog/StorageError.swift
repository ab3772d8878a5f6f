import SluiceIO
import SluiceWire

/// Failures of the partition log. Operating errors only: broken invariants stop the process.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A batch offered for append is malformed (length, magic, codec, CRC).
    case invalidBatch(WireError)
    /// Stored bytes failed validation when read; they are never returned.
    case corruptBatch(segment: String, position: Int64, reason: WireError)
    /// The requested offset is below the log start or above the log end.
    case offsetOutOfRange(requested: Int64, logStart: Int64, logEnd: Int64)
    /// A system call on the log's files failed.
    case io(SystemError)
    /// The log was closed.
    case closed

    public var description: String {
        switch self {
        case let .invalidBatch(why): return "invalid record batch: \(why)"
        case let .corruptBatch(segment, position, why): return "corrupt batch in \(segment) at byte \(position): \(why)"
        case let .offsetOutOfRange(requested, start, end): return "offset \(requested) is outside the log [\(start), \(end))"
        case let .io(error): return "I/O error: \(error)"
        case .closed: return "the log is closed"
        }
    }
}

extension StorageError {
    /// Runs file work, turning its `SystemError` into `StorageError.io`.
    static func io<T>(_ body: () throws(SystemError) -> T) throws(StorageError) -> T {
        do { return try body() } catch { throw .io(error) }
    }
}
