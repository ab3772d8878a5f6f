import Foundation
import SluiceClient
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Why the fixture could not start a broker; fails the test with this message.
struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A real `sluiced` on 127.0.0.1 with its own temp data dir and a free port, for one test.
final class BrokerFixture {
    let port: Int
    let dataDir: URL
    private var process: Process

    var address: String { "127.0.0.1:\(port)" }

    /// `<repo>/.build/debug/sluiced`, found from this file's path.
    static var binaryPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/sluiced").path
    }

    init() throws {
        let binary = Self.binaryPath
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw FixtureError(message: "missing \(binary): build the broker first with `swift build --product sluiced`")
        }
        port = try Self.freePort()
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-client-\(getpid())-\(port)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        process = Process()
        try launch()
    }

    private func launch() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = ["--listeners=127.0.0.1:\(port)", "--log.dirs=\(dataDir.path)", "--group.initial.rebalance.delay.ms=100"]
        // sluiced reads SLUICE_* variables as settings; the test's own environment must not leak in.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLUICE_") }
        let log = dataDir.appendingPathComponent("sluiced.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try waitUntilListening()
    }

    /// Kills the broker (SIGKILL: no clean shutdown), keeping its data.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts the broker again on the same port and data.
    func restart() throws {
        kill()
        try launch()
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !process.isRunning {
                let log = (try? String(contentsOf: dataDir.appendingPathComponent("sluiced.log"), encoding: .utf8)) ?? ""
                throw FixtureError(message: "sluiced exited at start: \(log)")
            }
            if Self.canConnect(port: port) { return }
            usleep(20_000)
        }
        stop()
        throw FixtureError(message: "sluiced did not listen on \(port) within 10 s")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDir)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw FixtureError(message: "cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Base class: a broker per test, killed in tearDown.
class BrokerTestCase: XCTestCase {
    var broker: BrokerFixture!

    override func setUpWithError() throws {
        try super.setUpWithError()
        broker = try BrokerFixture()
    }

    override func tearDown() {
        broker?.stop()
        broker = nil
        super.tearDown()
    }

    var bootstrap: [String] { [broker.address] }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Group settings that rebalance quickly on a test broker.
    func quickGroupConfig(_ groupId: String, assignors: [PartitionAssignor] = [.range, .roundRobin]) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = groupId
        config.heartbeatIntervalMillis = 100
        config.sessionTimeoutMillis = 10_000
        config.rebalanceTimeoutMillis = 5_000
        config.assignors = assignors
        return config
    }
}
