#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import SluiceIO

/// The operators' HTTP server with a real socket: what it answers and what it refuses.
final class HTTPServerTests: XCTestCase {
    private func server(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configure(&configuration)
        return try HTTPServer(configuration: configuration) { request in
            request.path == "/hello" ? HTTPResponse(status: 200, text: "hello \(request.headers["x-name"] ?? "")\n")
                                     : HTTPResponse(status: 404, text: "no\n")
        }
    }

    /// Sends `bytes`, reads until the server closes (or `seconds` pass): what came back.
    private func exchange(_ port: UInt16, _ bytes: [UInt8], seconds: Double = 5) throws -> String {
        let client = try TestClient(port: port)
        try client.send(bytes)
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, let chunk = client.receiveAvailable(), !chunk.isEmpty { received += chunk }
        return String(decoding: received, as: UTF8.self)
    }

    func testGetAndHead() throws {
        let http = try server()
        defer { http.shutdown() }
        let got = try exchange(http.port, Array("GET /hello?x=1 HTTP/1.1\r\nHost: a\r\nX-Name: ops\r\n\r\n".utf8))
        XCTAssertTrue(got.hasPrefix("HTTP/1.1 200 OK\r\n"), got)
        XCTAssertTrue(got.hasSuffix("\r\n\r\nhello ops\n"), got)
        XCTAssertTrue(got.contains("Content-Length: 10\r\n") && got.contains("Connection: close\r\n"), got)
        let head = try exchange(http.port, Array("HEAD /hello HTTP/1.0\r\n\r\n".utf8))
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.hasSuffix("\r\n\r\n"), head)
        XCTAssertTrue(try exchange(http.port, Array("GET /other HTTP/1.1\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 404"))
    }

    func testBadRequestsAreAnsweredAndClosed() throws {
        let http = try server { $0.maxRequestBytes = 1024; $0.maxHeaders = 4 }
        defer { http.shutdown() }
        let cases: [(String, String)] = [
            ("GARBAGE\r\n\r\n", "400"),
            ("GET nopath HTTP/1.1\r\n\r\n", "400"),
            ("GET / HTTP/2.0\r\n\r\n", "400"),
            ("POST /hello HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "405"),
            ("GET /hello HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "400"),
            ("GET /hello HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
            ("GET /hello HTTP/1.1\r\nno colon here\r\n\r\n", "400"),
            ("GET /hello HTTP/1.1\r\n" + (0..<5).map { "H\($0): v\r\n" }.joined() + "\r\n", "431"),
            ("GET /hello HTTP/1.1\r\nX: " + String(repeating: "a", count: 2000) + "\r\n\r\n", "431"),
        ]
        for (request, status) in cases {
            let answer = try exchange(http.port, Array(request.utf8))
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 \(status) "), "\(request.prefix(40)) → \(answer.prefix(40))")
        }
        XCTAssertTrue(try exchange(http.port, Array("GET /hello HTTP/1.1\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 200"))
    }

    func testAStalledRequestIsClosedAndTheLimitHolds() throws {
        let http = try server { $0.requestTimeout = .milliseconds(300); $0.maxConnections = 2 }
        defer { http.shutdown() }
        let stalled = try TestClient(port: http.port)
        try stalled.send(Array("GET /hel".utf8))
        let second = try TestClient(port: http.port)
        try second.send(Array("GET /hel".utf8))
        usleep(50_000)
        let third = try TestClient(port: http.port)
        XCTAssertTrue(third.waitForClose(), "a connection past maxConnections is closed at once")
        XCTAssertTrue(stalled.waitForClose(), "a request not whole within the timeout closes its connection")
        XCTAssertTrue(second.waitForClose())
        XCTAssertTrue(try exchange(http.port, Array("GET /hello HTTP/1.1\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 200"))
    }
}
