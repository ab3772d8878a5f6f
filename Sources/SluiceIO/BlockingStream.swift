#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An outbound TCP connection written with blocking calls by the one thread that owns it (a
/// sender thread, not an event loop: it has nothing else to do while the peer is slow).
///
/// Not `Sendable`: it is made, used and dropped on its owner's thread; dropping closes it.
/// Writes time out every `writeSliceMillis` so the owner can notice it is asked to stop while a
/// stalled peer's socket buffer is full. With TLS, a `TLSStream` (client side) sits between the
/// calls and the socket: the handshake happens in `connect`, writes are encrypted and reads
/// decrypted, and the peer's certificate is verified against the context's trusted ones.
public final class BlockingStream {
    /// How long one `send` may block before the owner gets to check whether to go on.
    public static let writeSliceMillis = 200

    private let fd: Int32
    /// `host:port` for messages.
    public let address: String
    private var tls: TLSStream?
    /// Decrypted bytes not yet asked for.
    private var plaintext: [UInt8] = []

    private init(fd: Int32, address: String) {
        self.fd = fd
        self.address = address
    }

    deinit {
        _ = close(fd)
    }

    /// Connects to `host:port` (numeric or a name `getaddrinfo` resolves; each address is tried in
    /// turn), giving up on one after `timeoutMillis`. The socket is close-on-exec with TCP_NODELAY,
    /// since the owner writes whole frames and wants them on the wire now.
    public static func connect(host: String, port: UInt16, timeoutMillis: Int, tls: TLSContext? = nil) throws(SystemError) -> BlockingStream {
        let stream = try connectPlain(host: host, port: port, timeoutMillis: timeoutMillis)
        if let tls { try stream.startTLS(tls, serverName: host, timeoutMillis: timeoutMillis) }
        return stream
    }

    /// The TLS handshake as a client, within `timeoutMillis`. A failure (a certificate not signed
    /// by a trusted authority, a name that does not match) throws ECONNREFUSED naming OpenSSL's reason.
    private func startTLS(_ context: TLSContext, serverName: String, timeoutMillis: Int) throws(SystemError) {
        let session: TLSStream
        do { session = try TLSStream(context: context, serverName: serverName) } catch {
            throw SystemError(call: "TLS(\(error.description))", errno: ENOMEM, path: address)
        }
        tls = session
        let deadline = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        var none: [UInt8] = []
        while true {
            let outcome = none.withUnsafeMutableBytes { session.read(into: $0) }
            try sendPending(shouldContinue: { monotonicNanos() < deadline })
            if case let .failed(reason) = outcome { throw SystemError(call: "TLS handshake(\(reason))", errno: ECONNREFUSED, path: address) }
            if session.isEstablished { return }
            guard try receiveRaw(deadline: deadline) else { throw SystemError(call: "TLS handshake(closed by peer)", errno: ECONNRESET, path: address) }
        }
    }

    /// Sends whatever the TLS session has queued for the peer.
    private func sendPending(shouldContinue: () -> Bool) throws(SystemError) {
        guard let tls, tls.hasOutput else { return }
        var out: [UInt8] = []
        tls.takeOutput(into: &out)
        try sendRaw(out, shouldContinue: shouldContinue)
    }

    /// One `recv` into the TLS session (false: the peer closed).
    private func receiveRaw(deadline: UInt64) throws(SystemError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let got = try recvSome(&chunk, deadline: deadline)
        guard got > 0 else { return false }
        guard chunk.withUnsafeBytes({ tls?.feed(UnsafeRawBufferPointer(rebasing: $0[0..<got])) ?? false }) else {
            throw SystemError(call: "TLS(feed)", errno: ENOMEM, path: address)
        }
        return true
    }

    /// Waits for and reads some bytes before `deadline`; 0 when the peer closed.
    private func recvSome(_ buffer: inout [UInt8], deadline: UInt64) throws(SystemError) -> Int {
        while true {
            let now = monotonicNanos()
            guard now < deadline else { throw SystemError(call: "read(timed out)", errno: ETIMEDOUT, path: address) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got >= 0 { return got }
            if errno != EINTR && errno != EAGAIN { throw SystemError(call: "recv", errno: errno, path: address) }
        }
    }

    /// Plaintext from the TLS session, receiving more until some is there (empty: the peer closed).
    private func receiveDecrypted(deadline: UInt64) throws(SystemError) -> [UInt8] {
        guard let tls else { return [] }
        var scratch = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            switch scratch.withUnsafeMutableBytes({ tls.read(into: $0) }) {
            case .bytes(let count): return Array(scratch[0..<count])
            case .closed: return []
            case .failed(let reason): throw SystemError(call: "TLS(\(reason))", errno: EPROTO, path: address)
            case .needsInput:
                try sendPending(shouldContinue: { true })
                guard try receiveRaw(deadline: deadline) else { return [] }
            }
        }
    }

    private static func connectPlain(host: String, port: UInt16, timeoutMillis: Int) throws(SystemError) -> BlockingStream {
        Socket.ignoreBrokenPipe
        let address = SocketAddress(host: host, port: port).description
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SystemError(call: "getaddrinfo(\(String(cString: gai_strerror(status))))", errno: EADDRNOTAVAIL, path: address)
        }
        defer { freeaddrinfo(list) }
        var lastError = SystemError(call: "connect", errno: EADDRNOTAVAIL, path: address)
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor?.pointee {
            cursor = info.ai_next
            do throws(SystemError) {
                return BlockingStream(fd: try connectOne(info, timeoutMillis: timeoutMillis, address: address), address: address)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// A connected blocking socket to one resolved address.
    private static func connectOne(_ info: addrinfo, timeoutMillis: Int, address: String) throws(SystemError) -> Int32 {
        let fd = try retryingInterrupts("socket", path: address) {
            socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            // Non-blocking only for the connect, so it can time out.
            if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
                guard errno == EINPROGRESS || errno == EINTR else { throw SystemError(call: "connect", errno: errno, path: address) }
                try awaitConnected(fd, timeoutMillis: timeoutMillis, address: address)
            }
            let flags = try retryingInterrupts("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
            _ = try retryingInterrupts("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
            try Socket.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            var slice = timeval(tv_sec: Self.writeSliceMillis / 1000, tv_usec: (Self.writeSliceMillis % 1000) * 1000)
            _ = try retryingInterrupts("setsockopt(SO_SNDTIMEO)") {
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &slice, socklen_t(MemoryLayout<timeval>.size))
            }
            return fd
        } catch {
            _ = close(fd)
            throw error
        }
    }

    private static func awaitConnected(_ fd: Int32, timeoutMillis: Int, address: String) throws(SystemError) {
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = try retryingInterrupts("poll(connect)", path: address) { poll(&pfd, 1, Int32(clamping: timeoutMillis)) }
        guard ready > 0 else { throw SystemError(call: "connect(timed out)", errno: ETIMEDOUT, path: address) }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try retryingInterrupts("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) }
        guard soError == 0 else { throw SystemError(call: "connect", errno: soError, path: address) }
    }

    /// Writes all of `bytes`. While the peer does not take them, asks `shouldContinue` every
    /// `writeSliceMillis`; a `false` abandons the write (throws ECANCELED): the stream then holds
    /// part of a frame and must be dropped, as after any error.
    public func write(_ bytes: [UInt8], shouldContinue: () -> Bool) throws(SystemError) {
        guard let tls else { return try sendRaw(bytes, shouldContinue: shouldContinue) }
        var offset = 0
        while offset < bytes.count {
            guard let taken = bytes.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                throw SystemError(call: "TLS(write)", errno: EPROTO, path: address)
            }
            offset += taken
            try sendPending(shouldContinue: shouldContinue)
        }
    }

    private func sendRaw(_ bytes: [UInt8], shouldContinue: () -> Bool) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }  // never: the loop runs only on bytes
                return send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard shouldContinue() else { throw SystemError(call: "send(stopped)", errno: ECANCELED, path: address) }
            default:
                precondition(code != EBADF && code != EFAULT, "send failed with \(code): a descriptor or buffer bug")
                throw SystemError(call: "send", errno: code, path: address)
            }
        }
    }

    /// Reads one size-prefixed frame (the payload after the int32 size), waiting at most
    /// `timeoutMillis` in all; used for the few frames a peer answers with (a handshake). Throws
    /// on a timeout, a closed connection, or a size outside 0...`maxBytes`.
    public func readFrame(maxBytes: Int, timeoutMillis: Int) throws(SystemError) -> [UInt8] {
        let deadline = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        let header = try read(count: 4, deadline: deadline)
        let size = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard size <= maxBytes else { throw SystemError(call: "read(frame of \(size) bytes)", errno: EMSGSIZE, path: address) }
        return try read(count: size, deadline: deadline)
    }

    /// Reads until the peer closes, at most `maxBytes`, waiting at most `timeoutMillis` in all
    /// (an HTTP/1.0-style answer read whole).
    public func readToEnd(maxBytes: Int, timeoutMillis: Int) throws(SystemError) -> [UInt8] {
        let deadline = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        var out = plaintext
        plaintext = []
        while out.count < maxBytes {
            let more = try receiveSome(deadline: deadline)
            if more.isEmpty { return out }
            out += more
        }
        return out
    }

    /// Exactly `count` bytes (decrypted, with TLS) before `deadline`; bytes read past them wait
    /// in `plaintext` for the next call.
    private func read(count: Int, deadline: UInt64) throws(SystemError) -> [UInt8] {
        while plaintext.count < count {
            let more = try receiveSome(deadline: deadline)
            guard !more.isEmpty else { throw SystemError(call: "read(closed by peer)", errno: ECONNRESET, path: address) }
            plaintext += more
        }
        defer { plaintext.removeFirst(count) }
        return Array(plaintext[0..<count])
    }

    /// Some bytes of the stream (decrypted, with TLS); empty when the peer closed.
    private func receiveSome(deadline: UInt64) throws(SystemError) -> [UInt8] {
        if tls != nil { return try receiveDecrypted(deadline: deadline) }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let got = try recvSome(&chunk, deadline: deadline)
        return Array(chunk[0..<got])
    }

    /// Whether the peer has closed or reset the connection. The peer never sends on these
    /// connections once they are open, so anything readable is an end of stream or an error; checked before a write
    /// so a frame is not handed to a socket whose peer has already gone (it would vanish unseen).
    public var isClosedByPeer: Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, 0)
        let readable = ready > 0 && pfd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
        guard readable, tls != nil else { return readable }
        // With TLS the peer may send session messages (a key update) without closing: take them.
        guard pfd.revents & Int16(POLLHUP | POLLERR) == 0, (try? receiveRaw(deadline: monotonicNanos() + 1_000_000)) == true else { return true }
        var scratch = [UInt8](repeating: 0, count: 4096)
        // Only session housekeeping leaves the stream open; application bytes (from a peer that
        // never sends), a close_notify or a failure end it.
        if case .needsInput = scratch.withUnsafeMutableBytes({ tls?.read(into: $0) ?? .closed }) { return false }
        return true
    }
}
