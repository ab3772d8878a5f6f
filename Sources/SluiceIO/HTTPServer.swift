#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSluiceLinux
import Synchronization

/// A request to the operators' HTTP listener: only what `/metrics`, `/health` and `/ready` need.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The path without its query.
    public var path: String
    /// Header names lower-cased.
    public var headers: [String: String]
}

/// An answer: status, content type, body. Every response closes its connection.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    public init(status: Int, text: String) {
        self.init(status: status, body: Array(text.utf8))
    }
}

/// A small HTTP/1.1 server for operators (metrics, health and readiness), on one event-loop
/// thread of its own, so a slow scraper never shares a thread with the broker's work.
///
/// It answers GET and HEAD; each request is read whole (at most `maxRequestBytes` of request line
/// and headers, at most `maxHeaders` headers, no body) within `requestTimeout`, answered, and the
/// connection closed. A malformed request gets 400, a request too large 431, another method 405,
/// then the connection closes. Beyond `maxConnections` a new connection is accepted and closed.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port: UInt16 = 0
        public var maxRequestBytes = 8 << 10
        public var maxHeaders = 64
        public var maxConnections = 64
        public var requestTimeout: Duration = .seconds(10)

        public init() {}
    }

    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let configuration: Configuration
    public let localAddress: SocketAddress
    public var port: UInt16 { localAddress.port }

    private let loop: EventLoop
    private let thread: LoopThread
    private let acceptor: HTTPAcceptor
    private let stopped = Atomic<Bool>(false)

    /// Binds and starts serving; `handler` runs on the server's loop thread and must not block.
    public init(configuration: Configuration, handler: @escaping Handler) throws(SystemError) {
        Socket.ignoreBrokenPipe
        self.configuration = configuration
        let listener = try Socket.makeListener(host: configuration.host, port: configuration.port, backlog: 128)
        do throws(SystemError) {
            localAddress = try Socket.localAddress(of: listener)
            let loop = try EventLoop(name: "sluice-http")
            self.loop = loop
            let acceptor = HTTPAcceptor(fd: listener, loop: loop, configuration: configuration, handler: handler)
            try acceptor.start()
            self.acceptor = acceptor
            thread = try LoopThread(name: loop.name) { loop.run() }
        } catch {
            _ = close(listener)
            throw error
        }
    }

    /// Stops the loop and closes every connection. Idempotent.
    public func shutdown() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        loop.requestStop()
        thread.join()
    }
}

/// The listening socket and the connections it accepted; everything on the loop thread.
final class HTTPAcceptor: EventLoopChannel, @unchecked Sendable {
    let fd: Int32
    let loop: EventLoop
    let configuration: HTTPServer.Configuration
    let handler: HTTPServer.Handler
    private var token: UInt64 = 0
    private var open = 0
    private var closed = false

    init(fd: Int32, loop: EventLoop, configuration: HTTPServer.Configuration, handler: @escaping HTTPServer.Handler) {
        self.fd = fd
        self.loop = loop
        self.configuration = configuration
        self.handler = handler
    }

    func start() throws(SystemError) {
        token = try loop.register(fd: fd, events: EPOLLIN.rawValue, channel: self)
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            let accepted: (fd: Int32, peer: SocketAddress)
            do throws(SystemError) {
                guard let next = try Socket.accept(listener: fd) else { return }
                accepted = next
            } catch {
                switch error.errno {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    pauseAccepting()
                    return
                default:
                    continue  // that connection only
                }
            }
            guard open < configuration.maxConnections else {
                _ = close(accepted.fd)
                continue
            }
            let connection = HTTPConnection(fd: accepted.fd, acceptor: self)
            guard connection.start() else { continue }
            open += 1
        }
    }

    /// Out of descriptors or memory: stop watching the listener for 100 ms, or the level-triggered
    /// readiness would spin the loop until a descriptor frees.
    private func pauseAccepting() {
        guard (try? loop.modify(fd: fd, token: token, events: 0)) != nil else { return }
        loop.scheduleTimer(afterNs: 100_000_000) { [self] in
            if closed { return }
            try? loop.modify(fd: fd, token: token, events: EPOLLIN.rawValue)
        }
    }

    func connectionClosed() { open -= 1 }

    func loopWillClose() {
        closed = true
        loop.deregister(fd: fd, token: token)
        _ = close(fd)
    }
}

/// One accepted connection: read one request, write one response, close.
final class HTTPConnection: EventLoopChannel, @unchecked Sendable {
    private let fd: Int32
    private unowned let acceptor: HTTPAcceptor
    private var token: UInt64 = 0
    private var received: [UInt8] = []
    private var outgoing: [UInt8] = []
    private var sent = 0
    private var closed = false
    private var timer: UInt64 = 0

    init(fd: Int32, acceptor: HTTPAcceptor) {
        self.fd = fd
        self.acceptor = acceptor
    }

    func start() -> Bool {
        guard let registered = try? acceptor.loop.register(fd: fd, events: EPOLLIN.rawValue, channel: self) else {
            _ = close(fd)
            return false
        }
        token = registered
        timer = acceptor.loop.scheduleTimer(afterNs: acceptor.configuration.requestTimeout.nanosecondsClamped) { [self] in finish() }
        return true
    }

    func handleEvents(_ events: UInt32) {
        if closed { return }
        if !outgoing.isEmpty {
            write()
            return
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                received += buffer[..<count]
                if let response = HTTPParser.response(to: received, configuration: acceptor.configuration, handler: acceptor.handler) {
                    respond(response)
                    return
                }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            finish()  // EOF before a whole request, or an error
            return
        }
    }

    private func respond(_ response: HTTPResponse) {
        outgoing = HTTPParser.encode(response)
        do throws(SystemError) {
            try acceptor.loop.modify(fd: fd, token: token, events: EPOLLOUT.rawValue)
        } catch {
            return finish()
        }
        write()
    }

    private func write() {
        while sent < outgoing.count {
            let count = outgoing.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }  // never: the loop runs only on bytes
                return send(fd, base + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return
            } else {
                break
            }
        }
        finish()
    }

    private func finish() {
        if closed { return }
        closed = true
        acceptor.loop.cancelTimer(timer)
        acceptor.loop.deregister(fd: fd, token: token)
        _ = close(fd)
        acceptor.connectionClosed()
    }

    func loopWillClose() { finish() }
}

/// Reading a request and writing a response: pure functions, tested on their own.
enum HTTPParser {
    /// The answer for the bytes received so far, or nil while the request is still incomplete.
    static func response(to bytes: [UInt8], configuration: HTTPServer.Configuration, handler: HTTPServer.Handler) -> HTTPResponse? {
        guard let end = headerEnd(bytes) else {
            return bytes.count > configuration.maxRequestBytes ? HTTPResponse(status: 431, text: "request header too large\n") : nil
        }
        guard end <= configuration.maxRequestBytes else { return HTTPResponse(status: 431, text: "request header too large\n") }
        switch parse(Array(bytes[..<end]), maxHeaders: configuration.maxHeaders) {
        case .failure(let refusal):
            return refusal.response
        case .success(let request):
            if request.method != "GET" && request.method != "HEAD" { return HTTPResponse(status: 405, text: "only GET and HEAD\n") }
            var answer = handler(request)
            if request.method == "HEAD" { answer.body = [] }
            return answer
        }
    }

    /// The offset just past the blank line ending the headers, if it has arrived.
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 3..<bytes.count where bytes[i] == 0x0A && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A && bytes[i - 3] == 0x0D {
            return i + 1
        }
        return nil
    }

    /// Why a request is refused: the answer it gets.
    struct Refusal: Error {
        var response: HTTPResponse
    }

    static func parse(_ head: [UInt8], maxHeaders: Int) -> Result<HTTPRequest, Refusal> {
        let bad = Refusal(response: HTTPResponse(status: 400, text: "malformed request\n"))
        guard let text = String(validating: head, as: UTF8.self) else { return .failure(bad) }
        // "\r\n" is one Character in Swift; the head ends with two of them.
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast(2)
        guard let requestLine = lines.popFirst() else { return .failure(bad) }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0", parts[1].hasPrefix("/"),
              !parts[0].isEmpty, parts[0].allSatisfy({ $0.isUppercase }) else { return .failure(bad) }
        guard lines.count <= maxHeaders else { return .failure(Refusal(response: HTTPResponse(status: 431, text: "too many headers\n"))) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return .failure(bad) }
            let name = line[..<colon].lowercased()
            guard !name.contains(" ") else { return .failure(bad) }
            headers[name] = String(line[line.index(after: colon)...]).trimming(" \t")
        }
        // No bodies: a request announcing one is refused rather than left half read.
        if let length = headers["content-length"], length != "0" { return .failure(bad) }
        if headers["transfer-encoding"] != nil { return .failure(bad) }
        let path = String(parts[1].split(separator: "?", maxSplits: 1).first ?? "/")
        return .success(HTTPRequest(method: String(parts[0]), path: path, headers: headers))
    }

    static func encode(_ response: HTTPResponse) -> [UInt8] {
        let head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\nContent-Type: \(response.contentType)\r\n"
            + "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + response.body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

extension String {
    /// Trims the given characters from both ends (no Foundation in this module).
    func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
