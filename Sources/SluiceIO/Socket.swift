#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSluiceLinux

/// A peer or local TCP address as text: the numeric host (IPv4 dotted or IPv6) and the port.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// Numeric host, e.g. `127.0.0.1` or `::1`.
    public var host: String
    /// TCP port.
    public var port: UInt16

    /// An address from its parts.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with IPv6 hosts in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Runs a non-blocking system call: EINTR is retried, EAGAIN/EWOULDBLOCK becomes `nil`
/// ("would block"), EBADF/EFAULT crash (our bug), anything else throws. SwiftNIO's convention.
@inline(__always)
func retryingInterruptsUnlessWouldBlock<T: FixedWidthInteger>(_ call: String, _ body: () -> T) throws(SystemError) -> T? {
    do throws(SystemError) {
        return try retryingInterrupts(call, body)
    } catch {
        if error.errno == EAGAIN || error.errno == EWOULDBLOCK { return nil }
        throw error
    }
}

/// Socket system calls used by the event loops. Every function here is a thin wrapper: no state.
enum Socket {
    /// Ignore SIGPIPE once per process, as SwiftNIO does on Linux: `writev` and `sendfile` to a
    /// socket the peer has reset must fail with EPIPE, not kill the broker.
    static let ignoreBrokenPipe: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// A non-blocking, close-on-exec listening TCP socket bound to `host:port` (port 0: the kernel
    /// picks one; `localAddress(of:)` tells which).
    static func makeListener(host: String, port: UInt16, backlog: Int32) throws(SystemError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw SystemError(call: "getaddrinfo(\(reason))", errno: EADDRNOTAVAIL, path: host)
        }
        defer { freeaddrinfo(list) }

        let info = first.pointee
        let fd = try retryingInterrupts("socket", path: host) {
            socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            try setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            _ = try retryingInterrupts("bind", path: "\(host):\(port)") { bind(fd, info.ai_addr, info.ai_addrlen) }
            _ = try retryingInterrupts("listen", path: "\(host):\(port)") { listen(fd, backlog) }
            return fd
        } catch {
            _ = close(fd)
            throw error
        }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket. `nil`: none pending.
    static func accept(listener: Int32) throws(SystemError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemError) -> Int32? in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemError) -> Int32? in
                try retryingInterruptsUnlessWouldBlock("accept") { Glibc.accept(listener, address, &length) }
            }
        }
        guard let fd else { return nil }
        // `accept4` needs _GNU_SOURCE, which the Glibc module map does not define: set the flags
        // afterwards. The close-on-exec window is harmless here (we never fork while serving).
        do throws(SystemError) {
            _ = try retryingInterrupts("fcntl(F_SETFD)") { fcntl(fd, F_SETFD, FD_CLOEXEC) }
            let flags = try retryingInterrupts("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
            _ = try retryingInterrupts("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        } catch {
            _ = close(fd)
            throw error
        }
        return (fd, address(from: storage))
    }

    /// The address a socket is bound to.
    static func localAddress(of fd: Int32) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemError) -> Int32 in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemError) -> Int32 in
                try retryingInterrupts("getsockname") { getsockname(fd, address, &length) }
            }
        }
        return address(from: storage)
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        _ = try retryingInterrupts("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Numeric text form of an IPv4 or IPv6 socket address.
    static func address(from storage: sockaddr_storage) -> SocketAddress {
        var storage = storage
        let family = Int32(storage.ss_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafePointer(to: &storage) { pointer -> SocketAddress in
            switch family {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var raw = v4.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                    return SocketAddress(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                         port: UInt16(bigEndian: v4.pointee.sin_port))
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var raw = v6.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    return SocketAddress(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                         port: UInt16(bigEndian: v6.pointee.sin6_port))
                }
            default:
                return SocketAddress(host: "unknown", port: 0)
            }
        }
    }
}
