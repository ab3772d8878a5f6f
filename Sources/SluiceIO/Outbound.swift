#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// An open file descriptor shared by reference: it stays open while any reference (a
/// `FileRegion` queued on a socket, the log's segment) holds it, and closes when the last one goes.
///
/// Immutable after `init`, hence `Sendable`.
public final class SharedFileDescriptor: Sendable {
    /// The descriptor; valid for the lifetime of this object.
    public let rawValue: Int32
    /// What keeps `rawValue` open when this object does not own it (e.g. the log's `File`).
    private let owner: (any AnyObject & Sendable)?

    /// Takes ownership of `descriptor`: it is closed when this object is deinitialised.
    public init(takingOwnershipOf descriptor: Int32) {
        precondition(descriptor >= 0, "SharedFileDescriptor of a negative descriptor")
        rawValue = descriptor
        owner = nil
    }

    /// Borrows `descriptor`, which `owner` keeps open (and closes); this object retains `owner`
    /// so the descriptor outlives every queued send. Lets the log hand out its `File` without a `dup`.
    public init(borrowing descriptor: Int32, keptOpenBy owner: any AnyObject & Sendable) {
        precondition(descriptor >= 0, "SharedFileDescriptor of a negative descriptor")
        rawValue = descriptor
        self.owner = owner
    }

    /// Opens `path` read-only (close-on-exec).
    public static func openForReading(path: String) throws(SystemError) -> SharedFileDescriptor {
        let descriptor = try retryingInterrupts("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        return SharedFileDescriptor(takingOwnershipOf: descriptor)
    }

    deinit {
        if owner == nil { _ = close(rawValue) }
    }
}

/// `length` bytes of a file starting at `offset`, sent to the socket with `sendfile` (the bytes
/// never enter user space). The file must still hold them when the send happens: a file found
/// shorter closes the connection, since its size prefix has already promised them.
public struct FileRegion: Sendable {
    /// The file.
    public var descriptor: SharedFileDescriptor
    /// First byte, from the start of the file.
    public var offset: Int64
    /// Bytes to send.
    public var length: Int

    /// A region; `offset` and `length` must not be negative.
    public init(descriptor: SharedFileDescriptor, offset: Int64, length: Int) {
        precondition(offset >= 0 && length >= 0, "FileRegion with a negative offset or length")
        self.descriptor = descriptor
        self.offset = offset
        self.length = length
    }
}

/// One piece of a response frame. Byte parts are gathered with `writev` (not concatenated);
/// file parts go out with `sendfile`.
public enum OutboundPart: Sendable {
    /// Bytes in memory (a header, an encoded body).
    case bytes([UInt8])
    /// A range of an open file (record batches straight from a segment).
    case file(FileRegion)

    /// How many bytes this part puts on the wire.
    public var byteCount: Int {
        switch self {
        case .bytes(let bytes): return bytes.count
        case .file(let region): return region.length
        }
    }
}

/// What a handler answers a request frame with.
public enum FrameResponse: Sendable {
    /// No bytes at all (Kafka `acks=0` produce). Later responses do not wait for it.
    case noResponse
    /// A response frame made of these parts. The server writes the int32 big-endian size prefix,
    /// computed from the parts, in front of them.
    case parts([OutboundPart])
    /// Write every earlier response, then close the connection (e.g. a failed `acks=0` produce,
    /// after which Kafka closes so that the producer refreshes its metadata).
    case closeConnection
    /// A last response frame: write it, then close (a failed SASL authentication is answered,
    /// then the connection ends).
    case lastParts([OutboundPart])

    /// A response frame of one byte array.
    public static func bytes(_ bytes: [UInt8]) -> FrameResponse { .parts([.bytes(bytes)]) }
}

/// Identifies a connection for the lifetime of the server (never reused).
public struct ConnectionID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number, assigned in accept order from 1.
    public var rawValue: UInt64
    /// An id from its number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The number as text.
    public var description: String { String(rawValue) }
}

/// What a handler knows about the connection a frame arrived on.
public struct ConnectionContext: Sendable {
    /// The connection.
    public var id: ConnectionID
    /// The client's address.
    public var peer: SocketAddress
    /// On a TLS listener, the subject of the certificate the client presented and the server
    /// verified ("CN=alice,O=example"), set once the handshake is done; nil otherwise.
    public var tlsPeerSubject: String?
    /// The name of the listener the connection came in on (its server's `listenerName`).
    public var listener: String

    /// A context from its parts (the server makes these; tests of handlers may too).
    public init(id: ConnectionID, peer: SocketAddress, tlsPeerSubject: String? = nil, listener: String = "") {
        self.id = id
        self.peer = peer
        self.tlsPeerSubject = tlsPeerSubject
        self.listener = listener
    }
}

/// Called with each whole request frame (the payload after the size prefix), on the connection's
/// event-loop thread. It must not block: it decodes, starts the work, and completes `slot` now or
/// later from any thread.
public typealias FrameHandler = @Sendable (_ connection: ConnectionContext, _ payload: [UInt8], _ slot: ResponseSlot) -> Void

/// Called once, on the connection's event-loop thread, after a connection has closed (by the peer,
/// an error, a limit, idleness or shutdown), so the owner can drop per-connection state. It runs on
/// the same thread as that connection's `FrameHandler` calls and after the last of them: no frame
/// of the connection reaches the handler afterwards. Must not block.
public typealias ConnectionClosedHandler = @Sendable (_ connection: ConnectionContext) -> Void

/// The place for the response to one request. Completed exactly once, from any thread, at any
/// time; the connection writes responses in request order whatever order slots complete in.
/// Completing a slot whose connection has closed does nothing.
///
/// A server slot that is deinitialised without being completed closes its connection: the client
/// would otherwise wait forever for a response that can no longer come in order.
public final class ResponseSlot: Sendable {
    /// Where the response goes.
    private enum Target: Sendable {
        /// A `FrameServer` connection, at this request's position.
        case connection(Connection, sequence: UInt64)
        /// A detached slot (handler unit tests, other transports).
        case callback(@Sendable (FrameResponse) -> Void, connectionID: ConnectionID)
    }

    private let target: Target
    private let completed = Atomic<Bool>(false)

    init(connection: Connection, sequence: UInt64) {
        target = .connection(connection, sequence: sequence)
    }

    /// A slot not tied to a socket: completing it calls `onComplete` once, on the completing
    /// thread. For testing handlers without a server, or for serving them over another transport.
    /// Dropping it uncompleted calls `onComplete(.closeConnection)`.
    public init(connectionID: ConnectionID = ConnectionID(rawValue: 0), onComplete: @escaping @Sendable (FrameResponse) -> Void) {
        target = .callback(onComplete, connectionID: connectionID)
    }

    deinit {
        if markCompleted() { deliver(.closeConnection) }
    }

    /// True for the one caller that flips the slot from open to completed.
    private func markCompleted() -> Bool {
        completed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    private func deliver(_ response: FrameResponse) {
        switch target {
        case .connection(let connection, let sequence):
            connection.deliver(sequence: sequence, response: response)
        case .callback(let onComplete, _):
            onComplete(response)
        }
    }

    /// The connection the request came on.
    public var connectionID: ConnectionID {
        switch target {
        case .connection(let connection, _): return connection.context.id
        case .callback(_, let connectionID): return connectionID
        }
    }

    /// True once the connection has closed: a long-running handler may stop early.
    /// (Always false for a detached slot.)
    public var isConnectionClosed: Bool {
        switch target {
        case .connection(let connection, _): return connection.isClosedForDelivery
        case .callback: return false
        }
    }

    /// True once the slot has been completed (by any thread).
    public var isCompleted: Bool { completed.load(ordering: .acquiring) }

    /// Completes the slot. Completing it twice is a programmer error and stops the process; use
    /// `tryComplete` where two paths race (a long-poll woken by data and by its timeout).
    public func complete(_ response: FrameResponse) {
        precondition(markCompleted(), "ResponseSlot completed twice (connection \(connectionID))")
        deliver(response)
    }

    /// Completes the slot if nothing has yet; returns whether this call did.
    @discardableResult
    public func tryComplete(_ response: FrameResponse) -> Bool {
        guard markCompleted() else { return false }
        deliver(response)
        return true
    }
}
