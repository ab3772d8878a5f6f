import CSluiceSQLite
import SluiceCore
import Synchronization

/// A value bound to or read from a SQLite statement.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var integer: Int64? { if case let .integer(v) = self { return v } else { return nil } }
    public var text: String? { if case let .text(v) = self { return v } else { return nil } }
    /// A REAL column (an INTEGER one too: SQLite stores whole-valued reals as integers).
    public var real: Double? {
        switch self {
        case let .real(v): return v
        case let .integer(v): return Double(v)
        default: return nil
        }
    }
    public var blob: [UInt8]? {
        switch self {
        case let .blob(v): return v
        case .null: return nil
        case let .text(v): return Array(v.utf8)
        default: return nil
        }
    }
}

/// A SQLite failure: the call, SQLite's result code and message.
public struct DatabaseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "sqlite error \(code): \(message)" }
    /// Whether the file, or the disk beneath it, can no longer be trusted: an I/O error (a failed
    /// fsync among them, whose lost pages a later fsync would not report), corruption, a file
    /// that is not a database, a closed connection. What was written must not be tried again
    /// as if nothing happened.
    public var isDamage: Bool { [SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_MISUSE].contains(code & 0xFF) }
}

/// One SQLite connection, serialized by a mutex: every statement and transaction runs under it.
/// WAL journal with `synchronous=FULL`, so a committed transaction survives power loss.
public final class Database: Sendable {
    /// The open handle and its statement cache; only touched under `connection`'s lock.
    final class Connection {
        let handle: OpaquePointer
        var statements: [String: OpaquePointer] = [:]
        var isOpen = true
        init(handle: OpaquePointer) { self.handle = handle }

        func close() {
            guard isOpen else { return }
            isOpen = false
            for statement in statements.values { sqlite3_finalize(statement) }
            statements.removeAll()
            sqlite3_close(handle)
        }
    }
    private let connection: Mutex<Connection>
    public let path: String

    /// Opens (creating) the database at `path` in WAL mode; every commit is fsynced.
    public init(path: String) throws(DatabaseError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close(handle) }
            throw DatabaseError(code: result, message: "\(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5_000)
        self.path = path
        self.connection = Mutex(Connection(handle: handle))
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
    }

    deinit { connection.withLock { $0.close() } }

    /// Closes the handle; later calls fail.
    public func close() { connection.withLock { $0.close() } }

    /// Runs one statement and returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(DatabaseError) -> [[SQLValue]] {
        try connection.withLock { (connection) throws(DatabaseError) -> [[SQLValue]] in try Self.run(connection, sql, bindings) }
    }

    /// Runs `body` inside one transaction: all its statements commit together or none do.
    ///
    /// `fsync: false` commits without waiting for the disk (`synchronous=NORMAL` for this one
    /// transaction): still atomic, and it survives the process being killed (the write-ahead log
    /// is in the kernel's cache), but a power loss may undo it. Only for state that can be rebuilt
    /// from a durable source, such as a Raft state machine that records its applied index in the
    /// same transaction and replays its log after it. The next fsynced commit, or a checkpoint,
    /// makes it durable too.
    public func transaction<T>(fsync: Bool = true, _ body: (Transaction) throws -> T) throws -> T {
        try connection.withLock { connection in
            if !fsync { _ = try Self.run(connection, "PRAGMA synchronous=NORMAL", []) }
            do {
                _ = try Self.run(connection, "BEGIN IMMEDIATE", [])
                let result = try body(Transaction(connection: connection))
                _ = try Self.run(connection, "COMMIT", [])
                if !fsync { try Self.restoreFullSync(connection) }
                return result
            } catch {
                _ = try? Self.run(connection, "ROLLBACK", [])
                if !fsync && connection.isOpen { try Self.restoreFullSync(connection) }
                throw error
            }
        }
    }

    /// Back to fsynced commits after one that was not; if that fails every later commit would
    /// skip its fsync, so the connection is closed and refuses them all instead.
    private static func restoreFullSync(_ connection: Connection) throws(DatabaseError) {
        do {
            _ = try run(connection, "PRAGMA synchronous=FULL", [])
        } catch {
            connection.close()
            throw error
        }
    }

    fileprivate static func run(_ connection: Connection, _ sql: String, _ bindings: [SQLValue]) throws(DatabaseError) -> [[SQLValue]] {
        guard connection.isOpen else { throw DatabaseError(code: SQLITE_MISUSE, message: "database closed") }
        let statement: OpaquePointer
        if let cached = connection.statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            let result = sqlite3_prepare_v2(connection.handle, sql, -1, &prepared, nil)
            guard result == SQLITE_OK, let prepared else { throw error(connection.handle, result, sql) }
            connection.statements[sql] = prepared
            statement = prepared
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in bindings.enumerated() {
            let position = Int32(index + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(statement, position)
            case let .integer(v): result = sqlite3_bind_int64(statement, position, v)
            case let .real(v): result = sqlite3_bind_double(statement, position, v)
            case let .text(v): result = sqlite3_bind_text(statement, position, v, -1, transientDestructor)
            case let .blob(v):
                result = v.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), transientDestructor) }
            }
            guard result == SQLITE_OK else { throw error(connection.handle, result, sql) }
        }
        var rows: [[SQLValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return rows }
            guard step == SQLITE_ROW else { throw error(connection.handle, step, sql) }
            let columns = sqlite3_column_count(statement)
            var row: [SQLValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, column)))
                case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(statement, column))))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    if let base = sqlite3_column_blob(statement, column), count > 0 {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: base, count: count))))
                    } else {
                        row.append(.blob([]))
                    }
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
    }

    private static func error(_ handle: OpaquePointer, _ code: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(code: code, message: String(cString: sqlite3_errmsg(handle)) + " in: " + sql)
    }
}

/// Statements inside `Database.transaction`; valid only within its closure.
public struct Transaction {
    fileprivate let connection: Database.Connection

    @discardableResult
    public func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(DatabaseError) -> [[SQLValue]] {
        try Database.run(connection, sql, bindings)
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
