#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A blocking TCP client for the server tests: frames out, frames in, with a receive timeout so
/// a broken server fails a test instead of hanging it.
final class TestClient {
    let fd: Int32

    /// Connects to `127.0.0.1:port`, optionally from `sourceIP` and with a small receive buffer.
    init(port: UInt16, sourceIP: String? = nil, receiveBufferBytes: Int32? = nil, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.failed("socket", errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let sourceIP {
            var local = Self.address(sourceIP, port: 0)
            let status = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard status == 0 else { close(fd); throw ClientError.failed("bind", errno) }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let status = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { close(fd); throw ClientError.failed("connect", errno) }
    }

    deinit { close(fd) }

    enum ClientError: Error { case failed(String, Int32); case closed; case timedOut }

    private static func address(_ ip: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        _ = inet_pton(AF_INET, ip, &address.sin_addr)
        return address
    }

    /// `payload` with its int32 big-endian size prefix.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        sizePrefix(Int32(payload.count)) + payload
    }

    static func sizePrefix(_ size: Int32) -> [UInt8] {
        let value = UInt32(bitPattern: size)
        return [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// Writes all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ClientError.failed("send", errno)
            }
            sent += count
        }
    }

    func sendFrame(_ payload: [UInt8]) throws {
        try send(Self.frame(payload))
    }

    /// Reads exactly `count` bytes, in reads of at most `chunk` bytes, sleeping `pauseMicroseconds`
    /// between reads (a slow reader).
    func read(count: Int, chunk: Int = 1 << 20, pauseMicroseconds: UInt32 = 0) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var have = 0
        while have < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + have, min(chunk, count - have))
            }
            if got == 0 { throw ClientError.closed }
            if got < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw ClientError.timedOut }
                if errno == ECONNRESET { throw ClientError.closed }
                throw ClientError.failed("read", errno)
            }
            have += got
            if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
        }
        return buffer
    }

    /// Reads one response frame and returns its payload.
    func readFrame(chunk: Int = 1 << 20, pauseMicroseconds: UInt32 = 0) throws -> [UInt8] {
        let prefix = try read(count: 4)
        let size = Int(UInt32(prefix[0]) << 24 | UInt32(prefix[1]) << 16 | UInt32(prefix[2]) << 8 | UInt32(prefix[3]))
        return try read(count: size, chunk: chunk, pauseMicroseconds: pauseMicroseconds)
    }

    /// True if the server closes the connection (EOF or reset) before the receive timeout;
    /// any bytes that arrive first are discarded.
    /// One read: the bytes that arrived, empty at end of stream, nil on a timeout or an error.
    func receiveAvailable() -> [UInt8]? {
        var scratch = [UInt8](repeating: 0, count: 65536)
        let got = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        return got < 0 ? nil : Array(scratch[..<got])
    }

    func waitForClose() -> Bool {
        var scratch = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if got == 0 { return true }
            if got < 0 {
                if errno == EINTR { continue }
                return errno == ECONNRESET || errno == EPIPE
            }
        }
    }

    /// True if nothing arrives and the connection stays open for `milliseconds`.
    func staysOpenAndQuiet(milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) == 0
    }
}

/// Waits until `condition` holds, up to `timeoutSeconds`.
func eventually(timeoutSeconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}

/// Big-endian UInt32 bytes (request numbering in tests).
func bytes(of value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

func uint32(_ bytes: [UInt8]) -> UInt32 {
    UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
}
