import Foundation
import SluiceIO

/// The operators' HTTP endpoints (`admin.listeners`): `/metrics`, `/health`, `/ready`.
extension KafkaBroker {
    func operatorResponse(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/metrics":
            let openMetrics = request.headers["accept"]?.contains("application/openmetrics-text") == true
            return HTTPResponse(status: 200,
                                contentType: openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                                         : "text/plain; version=0.0.4; charset=utf-8",
                                body: Array(metrics.registry.render(openMetrics: openMetrics).utf8))
        case "/health":
            return json(200, ["status": "alive", "node": config.nodeID, "uptimeSeconds": Int(nanosElapsed(since: metrics.startedNanos) / 1_000_000_000)])
        case "/ready":
            let checks = readinessChecks()
            let failing = checks.filter { !$0.value }.map(\.key).sorted()
            return json(failing.isEmpty ? 200 : 503, ["ready": failing.isEmpty, "node": config.nodeID, "checks": checks, "failing": failing])
        default:
            return HTTPResponse(status: 404, text: "not found; try /metrics, /health or /ready\n")
        }
    }

    /// Whether this node answers for `group` (its coordinator).
    func coordinates(_ group: String) -> Bool {
        cluster.isCoordinator(for: group)
    }

    /// Ready means: clients are being served, the node is registered and unfenced, the
    /// controller is known, and the log directory takes a write.
    func readinessChecks() -> [String: Bool] {
        ["listening": !clientServers.isEmpty, "logDirWritable": logDirectoryTakesWrites(),
         "registered": cluster.isRegistered, "controllerKnown": cluster.controllerLeader != nil]
    }

    private func logDirectoryTakesWrites() -> Bool {
        let path = config.logDirectory + "/.ready-probe"
        do {
            try FileSystem.writeAtomically(Array("ok\n".utf8), to: path)
            try FileSystem.remove(path)
            return true
        } catch {
            return false
        }
    }

    private func json(_ status: Int, _ object: [String: Any]) -> HTTPResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HTTPResponse(status: status, contentType: "application/json", body: Array(body) + [0x0A])
    }
}
