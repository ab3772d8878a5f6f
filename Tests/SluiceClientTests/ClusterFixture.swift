import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Real `sluiced` nodes on 127.0.0.1 forming one cluster: nodes 1-3 are the controller voters,
/// later ones join the controller quorum as learners. Each node has a free client port, a free
/// inter-node port and a data directory of its own; `stop()` ends every process this fixture started.
final class ClusterFixture {
    struct Node {
        var id: Int32
        var clientPort: Int
        var raftPort: Int
        var process: Process
    }

    let baseDir: URL
    private(set) var nodes: [Node] = []
    /// How long the nodes may take to listen and agree on a controller.
    static let formSecondsMax: TimeInterval = 60

    var bootstrap: [String] { nodes.map { "127.0.0.1:\($0.clientPort)" } }

    init(size: Int, votersMax: Int = 3) throws {
        let binary = BrokerFixture.binaryPath
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw FixtureError(message: "missing \(binary): build the broker first with `swift build --product sluiced`")
        }
        baseDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cluster-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: baseDir, withIntermediateDirectories: true)
        var ports: [(Int, Int)] = []
        for _ in 0..<size { ports.append((try BrokerFixture.freePort(), try BrokerFixture.freePort())) }
        let voters = ports.prefix(votersMax).enumerated().map { "\($0.offset + 1)@127.0.0.1:\($0.element.1)" }.joined(separator: ",")
        // Every node proves it holds this secret to every other (cluster.secret.file).
        let secret = baseDir.appendingPathComponent("cluster.secret")
        try Data((UUID().uuidString + UUID().uuidString).utf8).write(to: secret)
        do {
            for (index, (client, raft)) in ports.enumerated() {
                let id = Int32(index + 1)
                let dir = baseDir.appendingPathComponent("node\(id)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = [
                    "--node.id=\(id)", "--listeners=PLAINTEXT://127.0.0.1:\(client),CONTROLLER://127.0.0.1:\(raft)",
                    "--advertised.listeners=PLAINTEXT://127.0.0.1:\(client)", "--controller.quorum.voters=\(voters)",
                    "--log.dirs=\(dir.path)", "--default.replication.factor=3", "--min.insync.replicas=2",
                    "--auto.create.topics.enable=false", "--cluster.secret.file=\(secret.path)",
                ]
                process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLUICE_") }
                let log = baseDir.appendingPathComponent("node\(id).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                nodes.append(Node(id: id, clientPort: client, raftPort: raft, process: process))
            }
            try waitUntilListening()
        } catch {
            stop()
            throw error
        }
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(Self.formSecondsMax)
        for node in nodes {
            while !BrokerFixture.canConnect(port: node.clientPort) {
                guard node.process.isRunning else { throw FixtureError(message: "node \(node.id) exited at start:\n\(tail(node.id))") }
                guard Date() < deadline else { throw FixtureError(message: "node \(node.id) did not listen in time:\n\(tail(node.id))") }
                usleep(50_000)
            }
        }
    }

    /// Kills node `id` with SIGKILL (a crash: no drain, data kept).
    func kill(_ id: Int32) {
        guard let node = nodes.first(where: { $0.id == id }), node.process.isRunning else { return }
        Glibc.kill(node.process.processIdentifier, SIGKILL)
        node.process.waitUntilExit()
    }

    /// The last lines of a node's log, for failure messages.
    func tail(_ id: Int32, lines: Int = 30) -> String {
        let text = (try? String(contentsOf: baseDir.appendingPathComponent("node\(id).log"), encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// SIGTERM to every node this fixture started, a bounded wait, then SIGKILL; removes the data.
    func stop() {
        for node in nodes where node.process.isRunning { node.process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        for node in nodes {
            while node.process.isRunning && Date() < deadline { usleep(50_000) }
            if node.process.isRunning {
                Glibc.kill(node.process.processIdentifier, SIGKILL)
                node.process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: baseDir)
    }
}
