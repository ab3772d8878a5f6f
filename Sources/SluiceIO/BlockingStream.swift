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
/// stalled peer's socket buffer is full.
public final class BlockingStream {
    /// How long one `send` may block before the owner gets to check whether to go on.
    public static let writeSliceMillis = 200

    private let fd: Int32
    /// `host:port` for messages.
    public let address: String

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
    public static func connect(host: String, port: UInt16, timeoutMillis: Int) throws(SystemError) -> BlockingStream {
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
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while out.count < maxBytes {
            let now = monotonicNanos()
            guard now < deadline else { throw SystemError(call: "read(timed out)", errno: ETIMEDOUT, path: address) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready <= 0 { continue }
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { return out }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw SystemError(call: "recv", errno: errno, path: address)
            }
            out += chunk[..<got]
        }
        return out
    }

    private func read(count: Int, deadline: UInt64) throws(SystemError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let now = monotonicNanos()
            guard now < deadline else { throw SystemError(call: "read(timed out)", errno: ETIMEDOUT, path: address) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let got = out.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }  // never: the loop runs only on bytes
                return recv(fd, base + offset, count - offset, 0)
            }
            if got > 0 {
                offset += got
            } else if got == 0 {
                throw SystemError(call: "read(closed by peer)", errno: ECONNRESET, path: address)
            } else if errno != EINTR && errno != EAGAIN {
                throw SystemError(call: "recv", errno: errno, path: address)
            }
        }
        return out
    }

    /// Whether the peer has closed or reset the connection. The peer never sends on these
    /// connections once they are open, so anything readable is an end of stream or an error; checked before a write
    /// so a frame is not handed to a socket whose peer has already gone (it would vanish unseen).
    public var isClosedByPeer: Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, 0)
        return ready > 0 && pfd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
    }
}
