import SluiceMeta
import SluiceWire

/// SaslHandshake and SaslAuthenticate (the exchange itself is `SaslAuthenticator`'s), and the
/// SCRAM credential APIs: DescribeUserScramCredentials answered by any node from its replicated
/// metadata, AlterUserScramCredentials carried out by the controller (forwarded there by any node).
extension KafkaBroker {
    func handleSaslHandshake(_ request: SaslHandshakeRequest, _ context: RequestContext) {
        guard let sasl else {
            // Kafka's answer on a listener without SASL.
            return context.respond(.saslHandshake(SaslHandshakeResponse(errorCode: KafkaError.illegalSASLState.code, mechanisms: [])), thenClose: true)
        }
        let (response, close) = sasl.handshake(request, version: context.version, on: context.connection.id)
        context.respond(.saslHandshake(response), thenClose: close)
    }

    func handleSaslAuthenticate(_ request: SaslAuthenticateRequest, _ context: RequestContext) {
        guard let sasl else {
            return context.respond(.saslAuthenticate(SaslAuthenticateResponse(errorCode: KafkaError.illegalSASLState.code,
                                                                              errorMessage: "this listener does not use SASL", authBytes: [])), thenClose: true)
        }
        let (response, close) = sasl.authenticate(request, on: context.connection)
        context.respond(.saslAuthenticate(response), thenClose: close)
    }

    func handleDescribeUserScramCredentials(_ request: DescribeUserScramCredentialsRequest, _ context: RequestContext) {
        typealias Result = DescribeUserScramCredentialsResponse.UserResult
        let stored: [(user: String, credential: ScramCredential)]
        do { stored = try replicas.metadata.scramCredentials() } catch {
            return context.respond(.describeUserScramCredentials(DescribeUserScramCredentialsResponse(
                errorCode: KafkaError.kafkaStorageError.code, errorMessage: "cannot read the credentials: \(error)")))
        }
        let byUser = Dictionary(grouping: stored, by: \.user)
        let asked = request.users?.map(\.name) ?? []
        let names = asked.isEmpty ? byUser.keys.sorted() : asked
        var seen: [String: Int] = [:]
        for name in names { seen[name, default: 0] += 1 }
        let results = names.enumerated().compactMap { index, name -> Result? in
            guard names.firstIndex(of: name) == index else { return nil }
            if seen[name, default: 0] > 1 {
                return Result(user: name, errorCode: KafkaError.duplicateResource.code, errorMessage: "user \(name) is named more than once")
            }
            guard let credentials = byUser[name] else {
                return Result(user: name, errorCode: KafkaError.resourceNotFound.code, errorMessage: "user \(name) has no SCRAM credentials")
            }
            return Result(user: name, errorCode: 0, errorMessage: nil,
                          credentialInfos: credentials.map { .init(mechanism: $0.credential.mechanism, iterations: $0.credential.iterations) })
        }
        context.respond(.describeUserScramCredentials(DescribeUserScramCredentialsResponse(errorCode: 0, errorMessage: nil, results: results)))
    }

    /// Each user's deletions and upsertions are checked together; a user with any bad one gets
    /// its error and none of its changes, the others' changes commit in one controller entry.
    func handleAlterUserScramCredentials(_ request: AlterUserScramCredentialsRequest, _ context: RequestContext) {
        typealias Result = AlterUserScramCredentialsResponse.UserResult
        guard cluster.isControllerLeader else {
            return context.respond(request.failed(.notController, "this node does not lead the controller quorum"))
        }
        let existing = Set(((try? replicas.metadata.scramCredentials()) ?? []).map { "\($0.credential.mechanism)/\($0.user)" })
        let users = Set(request.deletions.map(\.name) + request.upsertions.map(\.name)).sorted()
        var errors: [String: (KafkaError, String)] = [:]
        var commands: [ControllerCommand] = []
        for user in users {
            switch Self.scramChanges(for: user, request, existing: existing) {
            case let .success(changes): commands += changes
            case let .failure(failure): errors[user] = (failure.error, failure.message)
            }
        }
        let refused = errors
        let respond: @Sendable (KafkaError?, String?) -> Void = { commitError, message in
            context.respond(.alterUserScramCredentials(AlterUserScramCredentialsResponse(results: users.map { user in
                if let (error, why) = refused[user] { return Result(user: user, errorCode: error.code, errorMessage: why) }
                return Result(user: user, errorCode: commitError?.code ?? 0, errorMessage: message)
            })))
        }
        guard !commands.isEmpty else { return respond(nil, nil) }
        cluster.propose(commands) { committed in
            committed ? respond(nil, nil) : respond(.requestTimedOut, "the controller did not commit the change in time; retry")
        }
    }

    private struct CredentialFailure: Error {
        var error: KafkaError
        var message: String
    }

    /// The controller commands for one user's part of the request, or why none may be made.
    private static func scramChanges(for user: String, _ request: AlterUserScramCredentialsRequest,
                                     existing: Set<String>) -> Swift.Result<[ControllerCommand], CredentialFailure> {
        guard !user.isEmpty else { return .failure(CredentialFailure(error: .unacceptableCredential, message: "the user name is empty")) }
        let deletions = request.deletions.filter { $0.name == user }
        let upsertions = request.upsertions.filter { $0.name == user }
        let mechanisms = deletions.map(\.mechanism) + upsertions.map(\.mechanism)
        guard Set(mechanisms).count == mechanisms.count else {
            return .failure(CredentialFailure(error: .duplicateResource, message: "a mechanism of user \(user) is named more than once"))
        }
        var commands: [ControllerCommand] = []
        for deletion in deletions {
            guard ScramMechanism(rawValue: deletion.mechanism) != nil else {
                return .failure(CredentialFailure(error: .unsupportedSASLMechanism, message: "unknown SCRAM mechanism \(deletion.mechanism)"))
            }
            guard existing.contains("\(deletion.mechanism)/\(user)") else {
                return .failure(CredentialFailure(error: .resourceNotFound, message: "user \(user) has no credential for mechanism \(deletion.mechanism)"))
            }
            commands.append(.deleteScramCredential(user: user, mechanism: deletion.mechanism))
        }
        for upsertion in upsertions {
            guard let mechanism = ScramMechanism(rawValue: upsertion.mechanism) else {
                return .failure(CredentialFailure(error: .unsupportedSASLMechanism, message: "unknown SCRAM mechanism \(upsertion.mechanism)"))
            }
            guard ScramMechanism.iterationsRange.contains(upsertion.iterations) else {
                return .failure(CredentialFailure(error: .unacceptableCredential,
                                                  message: "iterations must be from \(ScramMechanism.iterationsRange.lowerBound) to \(ScramMechanism.iterationsRange.upperBound)"))
            }
            guard !upsertion.salt.isEmpty, upsertion.salt.count <= 1024, upsertion.saltedPassword.count == mechanism.digestBytes else {
                return .failure(CredentialFailure(error: .unacceptableCredential,
                                                  message: "the salt must be 1 to 1024 bytes and the salted password \(mechanism.digestBytes) bytes for \(mechanism.name)"))
            }
            let credential = ScramCredential.derive(mechanism, saltedPassword: upsertion.saltedPassword, salt: upsertion.salt, iterations: upsertion.iterations)
            commands.append(.upsertScramCredential(user: user, credential: credential))
        }
        return .success(commands)
    }
}

extension AlterUserScramCredentialsRequest {
    func failed(_ error: KafkaError, _ message: String) -> KafkaResponse {
        let users = Set(deletions.map(\.name) + upsertions.map(\.name)).sorted()
        return .alterUserScramCredentials(AlterUserScramCredentialsResponse(results: users.map { .init(user: $0, errorCode: error.code, errorMessage: message) }))
    }
}
