import SluiceCrypto
import SluiceWire

/// SASL after connecting (KIP-152): SaslHandshake v1 names the mechanism, SaslAuthenticate
/// carries the exchange. SCRAM also checks the broker's final signature, so a broker that does
/// not hold the user's credential is not trusted either.
extension Cluster {
    static func authenticate(_ connection: BrokerConnection, _ credentials: SASLCredentials, timeoutMillis: Int) async throws {
        let handshake = try await connection.send(SaslHandshakeRequest(mechanism: credentials.mechanism), version: 1,
                                                  expecting: SaslHandshakeResponse.self, timeoutMillis: timeoutMillis)
        guard handshake.errorCode == 0 else {
            throw SluiceClientError.authenticationFailed(broker: connection.address,
                                                        reason: "mechanism \(credentials.mechanism) refused; the broker offers \(handshake.mechanisms.joined(separator: ", "))")
        }
        let version = connection.version(for: .saslAuthenticate) ?? 0
        func step(_ bytes: [UInt8]) async throws -> [UInt8] {
            let answer = try await connection.send(SaslAuthenticateRequest(authBytes: bytes), version: version,
                                                   expecting: SaslAuthenticateResponse.self, timeoutMillis: timeoutMillis)
            guard answer.errorCode == 0 else {
                throw SluiceClientError.authenticationFailed(broker: connection.address, reason: answer.errorMessage ?? "error \(answer.errorCode)")
            }
            return answer.authBytes
        }
        if credentials.mechanism == "PLAIN" {
            _ = try await step(Array("\0\(credentials.username)\0\(credentials.password)".utf8))
            return
        }
        guard let mechanism = ScramMechanism(name: credentials.mechanism) else {
            throw SluiceClientError.invalidArgument("SASL mechanism \(credentials.mechanism) is not one of SCRAM-SHA-512, SCRAM-SHA-256, PLAIN")
        }
        var scram = ScramClient(mechanism: mechanism, user: credentials.username, password: credentials.password)
        let serverFirst = try await step(scram.clientFirst())
        let final: [UInt8]
        switch scram.clientFinal(serverFirst) {
        case let .success(bytes): final = bytes
        case let .failure(error): throw SluiceClientError.authenticationFailed(broker: connection.address, reason: error.description)
        }
        let serverFinal = try await step(final)
        if case let .failure(error) = scram.verifyServerFinal(serverFinal) {
            throw SluiceClientError.authenticationFailed(broker: connection.address, reason: error.description)
        }
    }
}
