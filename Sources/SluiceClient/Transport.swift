#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SluiceIO
import SluiceWire
import Synchronization

/// Called once per request on the connection's I/O thread with the whole response frame
/// (header + body, without the size prefix), or with an empty frame for requests that get no
/// response (acks=0 produce) once they are written. Handlers must be quick: they resume a
/// continuation or hand work to a task.
typealias ResponseHandler = @Sendable (Result<[UInt8], SluiceClientError>) -> Void

/// The largest response frame we accept; anything larger is a corrupt stream.
let responseBytesMax = 256 * 1024 * 1024

/// One TCP connection to one broker, driven by a dedicated I/O thread running a `poll` loop over
/// the socket and a wake-up pipe. Requests queue from any thread; the I/O thread writes them in
/// order (pipelined: many may be in flight) and matches responses by correlation id. A request
/// that outlives its deadline closes the connection, because later responses would queue behind
/// it anyway (Kafka answers each connection in order).
///
/// Thread ownership: the socket and the read/write buffers belong to the I/O thread only;
/// everything shared sits in `state` behind its `Mutex`.
final class BrokerConnection: Sendable {
    /// `host:port`, for messages.
    let address: String
    let host: String
    let port: Int
    let clientId: String
    /// TLS for this connection, or nil for clear text.
    private let tls: TLSContext?
    private let state: Mutex<State>
    /// Read end (I/O thread) and write end (any thread) of the wake-up pipe.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct Pending {
        var correlationId: Int32
        var api: ApiKey
        var deadlineNanos: UInt64
        var timeoutMillis: Int
        /// nil once the waiter was cancelled; the response is then dropped.
        var handler: ResponseHandler?
    }

    private struct Outgoing {
        var frame: [UInt8]
        /// For requests without a response: called after the frame is written.
        var onWritten: ResponseHandler?
    }

    private struct State {
        var nextCorrelationId: Int32 = 1
        var outbox: [Outgoing] = []
        /// Requests written or queued that expect a response, in wire order.
        var pending: [Pending] = []
        /// Set once the connection failed or was closed; every later request fails with it.
        var failure: SluiceClientError?
        var closeRequested = false
        /// Broker-advertised version ranges by API key, filled by the ApiVersions handshake.
        var brokerVersions: [Int16: ClosedRange<Int16>] = [:]
    }

    /// Starts connecting at once on a new I/O thread; requests may be queued immediately.
    init(host: String, port: Int, clientId: String, connectTimeoutMillis: Int, tls: TLSContext? = nil) throws(SluiceClientError) {
        self.host = host
        self.port = port
        self.tls = tls
        self.address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        self.clientId = clientId
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw .connectionFailed(broker: "\(host):\(port)", reason: SystemError(call: "pipe2", errno: errno).description)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        state = Mutex(State())
        _ = ignoreSigpipe
        let timeout = connectTimeoutMillis
        spawnThread { [self] in self.run(connectTimeoutMillis: timeout) }
    }

    deinit {
        // No one can call wake() any more; the I/O thread (which held a reference) has exited.
        Glibc.close(wakeWrite)
    }

    /// Whether the connection failed or was closed.
    var isClosed: Bool { state.withLock { $0.failure != nil || $0.closeRequested } }

    /// Closes the socket; waiting requests fail with `connectionClosed`.
    func close() {
        state.withLock { $0.closeRequested = true }
        wake()
    }

    // MARK: versions

    /// Records the broker's advertised ranges (from ApiVersions).
    func setBrokerVersions(_ ranges: [Int16: ClosedRange<Int16>]) {
        state.withLock { $0.brokerVersions = ranges }
    }

    /// The highest version of `api` both sides speak, or nil.
    func version(for api: ApiKey) -> Int16? {
        let broker = state.withLock { $0.brokerVersions[api.rawValue] }
        guard let broker, let ours = ClientVersions.supported[api] else { return nil }
        let high = min(broker.upperBound, ours.upperBound)
        let low = max(broker.lowerBound, ours.lowerBound)
        return high >= low ? high : nil
    }

    /// The negotiated version, or a protocol error naming the API.
    func requireVersion(_ api: ApiKey) throws(SluiceClientError) -> Int16 {
        guard let version = version(for: api) else {
            throw .protocolError(broker: address, reason: "no common version of \(api.name) (client speaks \(ClientVersions.supported[api].map { "\($0)" } ?? "none"))")
        }
        return version
    }

    // MARK: requests

    /// Queues a request; `handler` runs exactly once on the I/O thread (or right here when the
    /// connection has already failed). Returns the correlation id. `expectResponse: false` is for
    /// acks=0 produce: the handler runs after the write with an empty frame.
    @discardableResult
    func enqueue(api: ApiKey, version: Int16, body: [UInt8], expectResponse: Bool = true, timeoutMillis: Int,
                 handler: @escaping ResponseHandler) -> Int32 {
        var header = ByteWriter(capacity: 32 + clientId.utf8.count)
        let headerVersion = requestHeaderVersion(apiKey: api, version: version)
        let result: Result<Int32, SluiceClientError> = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            if state.closeRequested { return .failure(.connectionClosed(broker: address, reason: "closed by the client")) }
            let id = state.nextCorrelationId
            state.nextCorrelationId = id == Int32.max ? 1 : id + 1
            RequestHeader(apiKey: api.rawValue, apiVersion: version, correlationId: id, clientId: clientId)
                .encode(into: &header, version: headerVersion)
            var frame = ByteWriter(capacity: 4 + header.count + body.count)
            frame.writeInt32(Int32(clamping: header.count + body.count))
            frame.writeRaw(header.bytes)
            frame.writeRaw(body)
            if expectResponse {
                let deadline = monotonicNanos() + UInt64(max(timeoutMillis, 1)) * 1_000_000
                state.pending.append(Pending(correlationId: id, api: api, deadlineNanos: deadline, timeoutMillis: timeoutMillis, handler: handler))
                state.outbox.append(Outgoing(frame: frame.bytes, onWritten: nil))
            } else {
                state.outbox.append(Outgoing(frame: frame.bytes, onWritten: handler))
            }
            return .success(id)
        }
        switch result {
        case .success(let id):
            wake()
            return id
        case .failure(let error):
            handler(.failure(error))
            return -1
        }
    }

    /// Drops the waiter of a request (task cancellation); its response will be ignored.
    func abandon(correlationId: Int32) -> ResponseHandler? {
        state.withLock { state in
            guard let index = state.pending.firstIndex(where: { $0.correlationId == correlationId }) else { return nil }
            let handler = state.pending[index].handler
            state.pending[index].handler = nil
            return handler
        }
    }

    /// Sends a request and suspends until its response frame arrives.
    func roundTrip(api: ApiKey, version: Int16, body: [UInt8], expectResponse: Bool = true, timeoutMillis: Int) async throws -> [UInt8] {
        let idBox = Mutex<Int32?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: SluiceClientError.cancelled)
                    return
                }
                let id = enqueue(api: api, version: version, body: body, expectResponse: expectResponse, timeoutMillis: timeoutMillis) { result in
                    continuation.resume(with: result.mapError { $0 as any Error })
                }
                idBox.withLock { $0 = id }
            }
        } onCancel: {
            guard let id = idBox.withLock({ $0 }) else { return }
            abandon(correlationId: id)?(.failure(.cancelled))
        }
    }

    /// Encodes `request` at the negotiated (or given) version, sends it and decodes the response.
    func send<Request: ApiMessage, Response: ApiMessage>(
        _ request: Request, version: Int16? = nil, expecting: Response.Type, timeoutMillis: Int
    ) async throws -> Response {
        let chosen = try version ?? requireVersion(Request.apiKey)
        var writer = ByteWriter(capacity: 128)
        request.encode(into: &writer, version: chosen)
        let frame = try await roundTrip(api: Request.apiKey, version: chosen, body: writer.bytes, timeoutMillis: timeoutMillis)
        return try decodeResponse(frame, api: Request.apiKey, version: chosen, as: Response.self)
    }

    /// Decodes a response frame (header + body) of `api` at `version`.
    func decodeResponse<Response: ApiMessage>(_ frame: [UInt8], api: ApiKey, version: Int16, as: Response.Type) throws(SluiceClientError) -> Response {
        var reader = ByteReader(frame)
        do {
            _ = try ResponseHeader(from: &reader, version: responseHeaderVersion(apiKey: api, version: version))
            return try Response(from: &reader, version: version)
        } catch {
            throw .protocolError(broker: address, reason: "cannot decode \(api.name) v\(version) response: \(error)")
        }
    }

    // MARK: I/O thread

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // EAGAIN: a wake-up is already pending, which is enough
    }

    /// Fails the connection: every waiter gets `error` (the one whose deadline passed may get a
    /// more specific one through `special`).
    private func fail(_ error: SluiceClientError, special: (Int32, SluiceClientError)? = nil) {
        let (pending, outbox) = state.withLock { state -> ([Pending], [Outgoing]) in
            if state.failure == nil { state.failure = error }
            defer { state.pending = []; state.outbox = [] }
            return (state.pending, state.outbox)
        }
        for entry in pending {
            let specific = special.flatMap { $0.0 == entry.correlationId ? $0.1 : nil } ?? error
            entry.handler?(.failure(specific))
        }
        for entry in outbox { entry.onWritten?(.failure(error)) }
    }

    private func run(connectTimeoutMillis: Int) {
        let fd: Int32
        do {
            fd = try connectSocket(timeoutMillis: connectTimeoutMillis)
        } catch {
            fail(error)
            Glibc.close(wakeRead)
            return
        }
        defer {
            Glibc.close(fd)
            Glibc.close(wakeRead)
            // The write end is closed in deinit: other threads may still call wake() until then.
        }
        var session: TLSStream?
        if let tls {
            switch handshake(fd, tls, deadline: monotonicNanos() + UInt64(max(1, connectTimeoutMillis)) * 1_000_000) {
            case .success(let established): session = established
            case .failure(let error):
                fail(error)
                return
            }
        }
        var writeQueue: [Outgoing] = []
        var writeOffset = 0
        var readBuffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var plaintext = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let (newOut, closing) = state.withLock { state -> ([Outgoing], Bool) in
                defer { state.outbox = [] }
                return (state.outbox, state.closeRequested)
            }
            if closing {
                fail(.connectionClosed(broker: address, reason: "closed by the client"))
                return
            }
            if let session {
                // New frames become ciphertext in order, behind what is still being sent.
                var cipher: [UInt8] = []
                for outgoing in newOut {
                    var offset = 0
                    while offset < outgoing.frame.count {
                        guard let taken = outgoing.frame.withUnsafeBytes({ session.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                            fail(.connectionClosed(broker: address, reason: "TLS session failed while writing"))
                            return
                        }
                        offset += taken
                    }
                    session.takeOutput(into: &cipher)
                    outgoing.onWritten?(.success([]))
                }
                if !cipher.isEmpty { writeQueue.append(Outgoing(frame: cipher, onWritten: nil)) }
            } else {
                writeQueue.append(contentsOf: newOut)
            }
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN) | (writeQueue.isEmpty ? 0 : Int16(POLLOUT)), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, 100)
            if ready < 0 && errno != EINTR {
                fail(.connectionClosed(broker: address, reason: SystemError(call: "poll", errno: errno).description))
                return
            }
            if fds[1].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &sink, 64) > 0 {}
            }
            // Write as much as the socket takes.
            while let first = writeQueue.first {
                let remaining = first.frame.count - writeOffset
                let written = first.frame.withUnsafeBytes { raw in
                    Glibc.send(fd, raw.baseAddress.map { $0 + writeOffset }, remaining, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if written < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
                    fail(.connectionClosed(broker: address, reason: SystemError(call: "send", errno: errno).description))
                    return
                }
                writeOffset += written
                if writeOffset == first.frame.count {
                    writeQueue.removeFirst()
                    writeOffset = 0
                    first.onWritten?(.success([]))
                }
            }
            // Read what arrived.
            if fds[0].revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
                while true {
                    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if count > 0, let session {
                        guard chunk.withUnsafeBytes({ session.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }),
                              decrypt(session, into: &readBuffer, scratch: &plaintext) else {
                            fail(.connectionClosed(broker: address, reason: "TLS session failed or was closed by the broker"))
                            return
                        }
                        var answer: [UInt8] = []  // the session's own replies (a key update)
                        session.takeOutput(into: &answer)
                        if !answer.isEmpty { writeQueue.append(Outgoing(frame: answer, onWritten: nil)) }
                        if count < chunk.count { break }
                        continue
                    }
                    if count > 0 {
                        readBuffer.append(contentsOf: chunk[0..<count])
                        if count < chunk.count { break }
                        continue
                    }
                    if count == 0 {
                        fail(.connectionClosed(broker: address, reason: "the broker closed the connection"))
                        return
                    }
                    if errno == EAGAIN || errno == EWOULDBLOCK { break }
                    if errno == EINTR { continue }
                    fail(.connectionClosed(broker: address, reason: SystemError(call: "recv", errno: errno).description))
                    return
                }
                if let error = deliverFrames(&readBuffer) {
                    fail(error)
                    return
                }
            }
            // Deadlines: the oldest request that expired closes the connection.
            let now = monotonicNanos()
            let expired = state.withLock { state in state.pending.first { $0.deadlineNanos <= now } }
            if let expired {
                let timeout = SluiceClientError.timedOut(broker: address, api: expired.api.name, millis: expired.timeoutMillis)
                fail(.connectionClosed(broker: address, reason: "closed after a \(expired.api.name) request timed out"),
                     special: (expired.correlationId, timeout))
                return
            }
        }
    }

    /// The TLS handshake as a client, before `deadline`; the broker's certificate is verified
    /// against the context's trusted authorities and its address or name.
    private func handshake(_ fd: Int32, _ context: TLSContext, deadline: UInt64) -> Result<TLSStream, SluiceClientError> {
        let session: TLSStream
        do { session = try TLSStream(context: context, serverName: host) } catch {
            return .failure(.connectionFailed(broker: address, reason: error.description))
        }
        var none: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let outcome = none.withUnsafeMutableBytes { session.read(into: $0) }
            var out: [UInt8] = []
            session.takeOutput(into: &out)
            var sent = 0
            while sent < out.count {
                let n = out.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, out.count - sent, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno != EINTR && errno != EAGAIN { return .failure(.connectionFailed(broker: address, reason: "TLS handshake: send failed")) }
                if n > 0 { sent += n }
            }
            if case let .failed(reason) = outcome { return .failure(.connectionFailed(broker: address, reason: "TLS handshake failed: \(reason)")) }
            if session.isEstablished { return .success(session) }
            let now = monotonicNanos()
            guard now < deadline else { return .failure(.connectionFailed(broker: address, reason: "TLS handshake timed out")) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1)) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return .failure(.connectionFailed(broker: address, reason: "the broker closed the connection during the TLS handshake")) }
            if count > 0 { _ = chunk.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } }
        }
    }

    /// Moves every decrypted byte into `buffer`; false when the session failed or was closed.
    private func decrypt(_ session: TLSStream, into buffer: inout [UInt8], scratch: inout [UInt8]) -> Bool {
        while true {
            switch scratch.withUnsafeMutableBytes({ session.read(into: $0) }) {
            case .bytes(let count): buffer.append(contentsOf: scratch[0..<count])
            case .needsInput: return true
            case .closed, .failed: return false
            }
        }
    }

    /// Hands every complete frame in `buffer` to its waiter; returns an error for a broken stream.
    private func deliverFrames(_ buffer: inout [UInt8]) -> SluiceClientError? {
        var position = 0
        defer { if position > 0 { buffer.removeFirst(position) } }
        while buffer.count - position >= 8 {
            let size = Int(readBigEndianInt32(buffer, at: position))
            guard size >= 4, size <= responseBytesMax else {
                return .protocolError(broker: address, reason: "response frame size \(size) is out of range")
            }
            guard buffer.count - position - 4 >= size else { break }
            let frame = Array(buffer[(position + 4)..<(position + 4 + size)])
            position += 4 + size
            let correlationId = readBigEndianInt32(frame, at: 0)
            let entry = state.withLock { state -> Pending? in
                guard let index = state.pending.firstIndex(where: { $0.correlationId == correlationId }) else { return nil }
                return state.pending.remove(at: index)
            }
            guard let entry else {
                return .protocolError(broker: address, reason: "response with unknown correlation id \(correlationId)")
            }
            entry.handler?(.success(frame))
        }
        return nil
    }

    /// A connected, non-blocking, close-on-exec TCP socket, or `connectionFailed` naming the
    /// broker and the errno text.
    private func connectSocket(timeoutMillis: Int) throws(SluiceClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectionFailed(broker: address, reason: "cannot resolve host: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor?.pointee {
            cursor = info.ai_next
            let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = SystemError(call: "socket", errno: errno).description
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return fd }
            if errno != EINPROGRESS {
                lastError = SystemError(call: "connect", errno: errno).description
                Glibc.close(fd)
                continue
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: timeoutMillis))
            if ready == 0 {
                lastError = "connect timed out after \(timeoutMillis) ms"
                Glibc.close(fd)
                continue
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if ready > 0 && soError == 0 { return fd }
            lastError = SystemError(call: "connect", errno: soError != 0 ? soError : errno).description
            Glibc.close(fd)
        }
        throw .connectionFailed(broker: address, reason: lastError)
    }
}

private func readBigEndianInt32(_ bytes: [UInt8], at index: Int) -> Int32 {
    Int32(bitPattern: UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3]))
}

/// A write to a socket the peer reset must fail with EPIPE, not kill the process; we also pass
/// MSG_NOSIGNAL, this covers anything else.
private let ignoreSigpipe: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Starts a detached pthread running `body`.
func spawnThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        nameCurrentThread("sluice-client")
        Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, box)
    precondition(status == 0, "pthread_create failed with \(status)")
    pthread_detach(thread)
}

/// The version ranges this client can build and read correctly, per API. Upper bounds stop where
/// a request changes shape in a way we do not handle (batched OffsetFetch v8, FindCoordinator v4,
/// DeleteTopics by id v6).
enum ClientVersions {
    static let supported: [ApiKey: ClosedRange<Int16>] = [
        .produce: 3...9, .fetch: 4...12, .listOffsets: 1...7, .metadata: 1...12,
        .offsetCommit: 2...8, .offsetFetch: 1...7, .findCoordinator: 0...3,
        .describeGroups: 0...5, .listGroups: 0...4, .deleteGroups: 0...2, .apiVersions: 0...4,
        .createTopics: 0...7, .deleteTopics: 0...5, .deleteRecords: 0...2, .initProducerId: 0...4,
        .describeConfigs: 0...4, .createPartitions: 0...3, .incrementalAlterConfigs: 0...1,
        .joinGroup: 0...9, .syncGroup: 0...5, .heartbeat: 0...4, .leaveGroup: 0...5,
        .alterPartitionReassignments: 0...0, .listPartitionReassignments: 0...0,
        .describeQuorum: 0...1, .addRaftVoter: 0...1, .removeRaftVoter: 0...0,
        .saslHandshake: 1...1, .saslAuthenticate: 0...2,
    ]
}
