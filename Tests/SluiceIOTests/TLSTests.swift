#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import XCTest
@testable import SluiceIO

/// Certificates made once per test run by `tools/tls/make-certs.sh` (the `openssl` command).
enum TestCertificates {
    /// An authority with a server certificate and clients alice and mallory.
    static let directory = make("sluice-tls", clients: ["alice", "mallory"])
    /// A second, unrelated authority ("mallory's") with a client signed by it.
    static let foreignDirectory = make("sluice-tls-foreign", clients: ["mallory"])

    static var ca: String { directory + "/ca.pem" }
    static var server: String { directory + "/server.pem" }
    static func client(_ name: String) -> String { directory + "/\(name).pem" }

    /// Runs tools/tls/make-certs.sh into a fresh temporary directory.
    private static func make(_ prefix: String, clients: [String]) -> String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let directory = NSTemporaryDirectory() + "\(prefix)-\(getpid())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [parts.joined(separator: "/") + "/tools/tls/make-certs.sh", directory] + clients
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return directory
    }
}

/// A blocking TLS client over `TestClient`, speaking length-prefixed frames.
final class TLSTestClient {
    let socket: TestClient
    let tls: TLSStream
    private var plaintext: [UInt8] = []

    init(port: UInt16, context: TLSContext) throws {
        socket = try TestClient(port: port)
        tls = try TLSStream(context: context, serverName: "localhost")
    }

    private func sendOutput() throws {
        var out: [UInt8] = []
        tls.takeOutput(into: &out)
        if !out.isEmpty { try socket.send(out) }
    }

    /// Reads from the socket into the session; false at end of stream.
    private func receive() -> Bool {
        guard let bytes = socket.receiveAvailable(), !bytes.isEmpty else { return false }
        return bytes.withUnsafeBytes { tls.feed($0) }
    }

    func handshake() throws {
        while true {
            var empty: [UInt8] = []
            let outcome = empty.withUnsafeMutableBytes { tls.read(into: $0) }
            try sendOutput()
            if case .failed(let reason) = outcome { throw TLSError(reason) }
            if tls.isEstablished { return }
            guard receive() else { throw TLSError("closed during the handshake") }
        }
    }

    func sendFrame(_ payload: [UInt8]) throws {
        let frame = TestClient.frame(payload)
        var offset = 0
        while offset < frame.count {
            guard let taken = frame.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                throw TLSError("write failed")
            }
            offset += taken
        }
        try sendOutput()
    }

    func readFrame() throws -> [UInt8] {
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            if plaintext.count >= 4 {
                let size = Int(uint32(Array(plaintext[0..<4])))
                if plaintext.count >= 4 + size {
                    let frame = Array(plaintext[4..<(4 + size)])
                    plaintext.removeFirst(4 + size)
                    return frame
                }
            }
            switch scratch.withUnsafeMutableBytes({ tls.read(into: $0) }) {
            case .bytes(let count): plaintext += scratch[0..<count]
            case .needsInput:
                try sendOutput()
                guard receive() else { throw TLSError("closed") }
            case .closed: throw TLSError("closed")
            case .failed(let reason): throw TLSError(reason)
            }
        }
    }
}

final class TLSTests: XCTestCase {
    private func makeServer(clientAuth: TLSClientAuth = .none, tls13Only: Bool = false,
                            _ configure: (inout FrameServer.Configuration) -> Void = { _ in },
                            handler: @escaping FrameHandler) throws -> FrameServer {
        var configuration = FrameServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.tls = try TLSContext(serverCertificateChain: TestCertificates.server, privateKey: TestCertificates.server,
                                           trusted: TestCertificates.ca, clientAuth: clientAuth, tls13Only: tls13Only)
        configure(&configuration)
        return try FrameServer(configuration: configuration, handler: handler)
    }

    private static let echo: FrameHandler = { _, payload, slot in slot.complete(.bytes(payload)) }

    func testFramesOfManySizesRoundTripOverTLS() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        let client = try TLSTestClient(port: server.port, context: try TLSContext(clientTrusting: TestCertificates.ca))
        try client.handshake()
        XCTAssertTrue(["TLSv1.3", "TLSv1.2"].contains(client.tls.protocolVersion))
        var random = SystemRandomNumberGenerator()
        for size in [0, 1, 5, 16_383, 16_384, 16_385, 300_000, 2_000_000] {
            let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            try client.sendFrame(payload)
            XCTAssertEqual(try client.readFrame(), payload, "size \(size)")
        }
    }

    func testFileRegionsAreEncryptedByteExact() throws {
        let path = NSTemporaryDirectory() + "sluice-tls-file-\(UUID().uuidString)"
        let contents = (0..<(300 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(contents)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SharedFileDescriptor.openForReading(path: path)
        let server = try makeServer { _, _, slot in
            slot.complete(.parts([.bytes([0xAA]), .file(FileRegion(descriptor: file, offset: 7, length: 200_000)), .bytes([0xBB])]))
        }
        defer { server.shutdown() }
        let client = try TLSTestClient(port: server.port, context: try TLSContext(clientTrusting: TestCertificates.ca))
        try client.handshake()
        for _ in 0..<3 {
            try client.sendFrame([1])
            XCTAssertEqual(try client.readFrame(), [0xAA] + Array(contents[7..<200_007]) + [0xBB])
        }
    }

    func testRequiredClientCertificateIsVerifiedAndNamesThePeer() throws {
        let subjects = Mutex<[String?]>([])
        let server = try makeServer(clientAuth: .required) { connection, payload, slot in
            subjects.withLock { $0.append(connection.tlsPeerSubject) }
            slot.complete(.bytes(payload))
        }
        defer { server.shutdown() }
        let alice = try TLSContext(clientTrusting: TestCertificates.ca, certificateChain: TestCertificates.client("alice"))
        let client = try TLSTestClient(port: server.port, context: alice)
        try client.handshake()
        try client.sendFrame([7])
        XCTAssertEqual(try client.readFrame(), [7])
        XCTAssertEqual(subjects.withLock { $0 }, ["CN=alice"])

        // No certificate, or one from another authority: no request is ever handled.
        let anonymous = try TLSTestClient(port: server.port, context: try TLSContext(clientTrusting: TestCertificates.ca))
        XCTAssertThrowsError(try { try anonymous.handshake(); try anonymous.sendFrame([1]); _ = try anonymous.readFrame() }())
        let foreign = try TLSContext(clientTrusting: TestCertificates.ca, certificateChain: TestCertificates.foreignDirectory + "/mallory.pem")
        let impostor = try TLSTestClient(port: server.port, context: foreign)
        XCTAssertThrowsError(try { try impostor.handshake(); try impostor.sendFrame([1]); _ = try impostor.readFrame() }())
        XCTAssertEqual(subjects.withLock { $0.count }, 1)
        XCTAssertTrue(eventually { server.tlsFailureCount >= 2 })
    }

    func testClearTextAndStalledHandshakesAreClosed() throws {
        let server = try makeServer({ $0.tlsHandshakeTimeout = .milliseconds(300) }, handler: Self.echo)
        defer { server.shutdown() }
        // A Kafka client speaking clear text to a TLS port: refused, nothing handled.
        let plain = try TestClient(port: server.port)
        try plain.sendFrame([0, 18, 0, 0, 0, 0, 0, 1, 0, 0])
        XCTAssertTrue(plain.waitForClose())
        // Connected and silent, and half a ClientHello: both closed after the timeout.
        let silent = try TestClient(port: server.port)
        let started = Date()
        let half = try TestClient(port: server.port)
        try half.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        XCTAssertTrue(silent.waitForClose())
        XCTAssertTrue(half.waitForClose())
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(eventually { server.tlsFailureCount >= 3 })
    }

    func testTLS13OnlyRefusesTLS12Clients() throws {
        let server = try makeServer(tls13Only: true, handler: Self.echo)
        defer { server.shutdown() }
        let modern = try TLSTestClient(port: server.port, context: try TLSContext(clientTrusting: TestCertificates.ca))
        try modern.handshake()
        XCTAssertEqual(modern.tls.protocolVersion, "TLSv1.3")
        let old = try TLSContext(clientTrusting: TestCertificates.ca, maximumVersion12: true)
        let client = try TLSTestClient(port: server.port, context: old)
        XCTAssertThrowsError(try client.handshake())
    }

    func testAReplacedContextServesNewConnectionsAndKeepsOldOnes() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        let trusting = try TLSContext(clientTrusting: TestCertificates.ca)
        let before = try TLSTestClient(port: server.port, context: trusting)
        try before.handshake()
        server.replaceTLSContext(try TLSContext(serverCertificateChain: TestCertificates.foreignDirectory + "/server.pem",
                                                privateKey: TestCertificates.foreignDirectory + "/server.pem", trusted: nil, clientAuth: .none))
        // The old session goes on; a new client trusting only the first authority now refuses the server.
        try before.sendFrame([1, 2, 3])
        XCTAssertEqual(try before.readFrame(), [1, 2, 3])
        let after = try TLSTestClient(port: server.port, context: trusting)
        XCTAssertThrowsError(try after.handshake())
        let foreignTrusting = try TLSContext(clientTrusting: TestCertificates.foreignDirectory + "/ca.pem")
        let renewed = try TLSTestClient(port: server.port, context: foreignTrusting)
        try renewed.handshake()
        try renewed.sendFrame([4])
        XCTAssertEqual(try renewed.readFrame(), [4])
    }

    func testBadSettingsAreRefusedWithTheReason() {
        XCTAssertThrowsError(try TLSContext(serverCertificateChain: "/nonexistent.pem", privateKey: "/nonexistent.pem",
                                            trusted: nil, clientAuth: .none)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent.pem"), "\(error)")
        }
        XCTAssertThrowsError(try TLSContext(serverCertificateChain: TestCertificates.server, privateKey: TestCertificates.client("alice"),
                                            trusted: nil, clientAuth: .none)) { error in
            XCTAssertTrue("\(error)".contains("private key"), "\(error)")
        }
        XCTAssertThrowsError(try TLSContext(serverCertificateChain: TestCertificates.server, privateKey: TestCertificates.server,
                                            trusted: nil, clientAuth: .required))
    }
}
