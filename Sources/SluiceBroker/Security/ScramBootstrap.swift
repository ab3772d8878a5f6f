import SluiceCrypto
import Foundation
import SluiceCore
import SluiceWire

/// How a new cluster gets its first administrator: `sasl.bootstrap.users.file` lists
/// `user:password` lines; at start every listed user without a credential for a SCRAM mechanism
/// gets one, through the controller like any AlterUserScramCredentials (forwarded when this node
/// does not lead it). Users that have credentials are left alone, so the file may stay in place
/// and a password changed through the API is not reset by a restart.
extension KafkaBroker {
    func bootstrapScramUsers() {
        guard let path = config.saslBootstrapUsersFile else { return }
        let users: [(name: String, password: String)]
        switch Self.readBootstrapUsers(path) {
        case let .success(read): users = read
        case let .failure(error):
            return Diagnostics.error("sasl.bootstrap.users.file \(path): \(error.description); no user was created from it")
        }
        let existing = Set(((try? replicas.metadata.scramCredentials()) ?? []).map { "\($0.credential.mechanism)/\($0.user)" })
        var upsertions: [AlterUserScramCredentialsRequest.Upsertion] = []
        for user in users {
            for mechanism in ScramMechanism.allCases where !existing.contains("\(mechanism.rawValue)/\(user.name)") {
                let iterations: Int32 = 8192
                let salt = LibCrypto.random(32)
                upsertions.append(.init(name: user.name, mechanism: mechanism.rawValue, iterations: iterations, salt: salt,
                                        saltedPassword: mechanism.saltedPassword(user.password, salt: salt, iterations: iterations)))
            }
        }
        guard !upsertions.isEmpty else { return }
        let names = Set(upsertions.map(\.name)).sorted().joined(separator: ", ")
        var writer = ByteWriter()
        let apiKey = ApiKey.alterUserScramCredentials
        RequestHeader(apiKey: apiKey.rawValue, apiVersion: 0, correlationId: 0, clientId: "sluiced-bootstrap")
            .encode(into: &writer, version: requestHeaderVersion(apiKey: apiKey, version: 0))
        AlterUserScramCredentialsRequest(deletions: [], upsertions: upsertions).encode(into: &writer, version: 0)
        let caller = ControllerForwarder.Caller(host: "127.0.0.1", principal: Principal.node(config.nodeID))
        cluster.forwarder.forward(writer.bytes, caller: caller, timeoutMillis: 60_000) { outcome in
            var failed: [AlterUserScramCredentialsResponse.UserResult]?
            if case let .answered(bytes) = outcome {
                // The answer's header: the correlation id, then (a flexible version) no tagged fields.
                var reader = ByteReader(Array(bytes.dropFirst(5)))
                failed = (try? AlterUserScramCredentialsResponse(from: &reader, version: 0))?.results.filter { $0.errorCode != 0 }
            }
            if let failed, failed.isEmpty {
                Diagnostics.info("sasl.bootstrap.users.file: SCRAM credentials created for \(names)")
            } else {
                Diagnostics.error("sasl.bootstrap.users.file: creating credentials for \(names) failed: \(failed.map { "\($0)" } ?? "no controller answered"); they are tried again at the next start")
            }
        }
    }

    struct BootstrapFileError: Error, CustomStringConvertible {
        var description: String
    }

    /// `user:password` per line; blank lines and `#` comments skipped.
    static func readBootstrapUsers(_ path: String) -> Result<[(name: String, password: String)], BootstrapFileError> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(BootstrapFileError(description: "cannot read it as UTF-8 text"))
        }
        var users: [(name: String, password: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex, trimmed.index(after: colon) != trimmed.endIndex else {
                return .failure(BootstrapFileError(description: "line \(number + 1) is not user:password"))
            }
            users.append((String(trimmed[..<colon]), String(trimmed[trimmed.index(after: colon)...])))
        }
        return .success(users)
    }
}
