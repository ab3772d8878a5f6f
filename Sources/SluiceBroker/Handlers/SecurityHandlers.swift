import SluiceCrypto
import SluiceMeta
import SluiceWire

/// SaslHandshake and SaslAuthenticate (the exchange itself is `SaslAuthenticator`'s), and the
/// SCRAM credential APIs: DescribeUserScramCredentials answered by any node from its replicated
/// metadata, AlterUserScramCredentials carried out by the controller (forwarded there by any node).
extension KafkaBroker {
    func handleSaslHandshake(_ request: SaslHandshakeRequest, _ context: RequestContext) {
        guard let sasl, config.usesSASL(context.connection.listener) else {
            // Kafka's answer on a listener without SASL.
            return context.respond(.saslHandshake(SaslHandshakeResponse(errorCode: KafkaError.illegalSASLState.code, mechanisms: [])), thenClose: true)
        }
        let (response, close) = sasl.handshake(request, version: context.version, on: context.connection.id)
        context.respond(.saslHandshake(response), thenClose: close)
    }

    func handleSaslAuthenticate(_ request: SaslAuthenticateRequest, _ context: RequestContext) {
        guard let sasl, config.usesSASL(context.connection.listener) else {
            return context.respond(.saslAuthenticate(SaslAuthenticateResponse(errorCode: KafkaError.illegalSASLState.code,
                                                                              errorMessage: "this listener does not use SASL", authBytes: [])), thenClose: true)
        }
        let (response, close) = sasl.authenticate(request, on: context.connection)
        let id = context.connection.id
        let server = clientServer(for: context.connection.listener)
        if sasl.user(of: id) != nil { server?.liftFrameLimit(id) }
        guard close, response.errorCode == KafkaError.saslAuthenticationFailed.code, config.failedAuthenticationDelayMillis > 0 else {
            return context.respond(.saslAuthenticate(response), thenClose: close)
        }
        // Kafka's connection.failed.authentication.delay.ms: the answer now, the close a little
        // later, so clients read the error before they see the connection end; the session
        // refuses anything sent meanwhile.
        context.respond(.saslAuthenticate(response))
        delayed.park(DelayedOperation(keys: [], timeoutMillis: config.failedAuthenticationDelayMillis, isReady: { $0 }) {
            server?.closeConnection(id)
        })
    }

    func handleDescribeUserScramCredentials(_ request: DescribeUserScramCredentialsRequest, _ context: RequestContext) {
        typealias Result = DescribeUserScramCredentialsResponse.UserResult
        guard allowed(context, .describe, .cluster, Principal.clusterResource) else {
            return context.respond(.describeUserScramCredentials(DescribeUserScramCredentialsResponse(
                errorCode: KafkaError.clusterAuthorizationFailed.code, errorMessage: "describing credentials needs Describe on the cluster")))
        }
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
        var answered: Set<String> = []
        let results = names.compactMap { name -> Result? in
            guard answered.insert(name).inserted else { return nil }
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
        guard allowed(context, .alter, .cluster, Principal.clusterResource) else {
            return context.respond(request.failed(.clusterAuthorizationFailed, "changing credentials needs Alter on the cluster"))
        }
        guard cluster.isControllerLeader else {
            return context.respond(request.failed(.notController, "this node does not lead the controller quorum"))
        }
        let existing = Set(((try? replicas.metadata.scramCredentials()) ?? []).map { "\($0.credential.mechanism)/\($0.user)" })
        let users = Set(request.deletions.map(\.name) + request.upsertions.map(\.name)).sorted()
        // Each user's part, found once (a request naming many users stays linear).
        let deletions = Dictionary(grouping: request.deletions, by: \.name)
        let upsertions = Dictionary(grouping: request.upsertions, by: \.name)
        var errors: [String: (KafkaError, String)] = [:]
        var commands: [ControllerCommand] = []
        for user in users {
            switch Self.scramChanges(for: user, deletions: deletions[user] ?? [], upsertions: upsertions[user] ?? [], existing: existing) {
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
    private static func scramChanges(for user: String, deletions: [AlterUserScramCredentialsRequest.Deletion],
                                     upsertions: [AlterUserScramCredentialsRequest.Upsertion],
                                     existing: Set<String>) -> Swift.Result<[ControllerCommand], CredentialFailure> {
        guard !user.isEmpty else { return .failure(CredentialFailure(error: .unacceptableCredential, message: "the user name is empty")) }
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

/// CreateAcls, DescribeAcls, DeleteAcls (Kafka's ACL APIs). Describe is answered by any node from
/// its replicated metadata; create and delete are carried out by the controller (forwarded there).
extension KafkaBroker {
    func handleDescribeAcls(_ request: DescribeAclsRequest, _ context: RequestContext) {
        guard allowed(context, .describe, .cluster, Principal.clusterResource) else {
            return context.respond(.describeAcls(DescribeAclsResponse(errorCode: KafkaError.clusterAuthorizationFailed.code,
                                                                      errorMessage: "DescribeAcls needs Describe on the cluster")))
        }
        let filter = AclFilter(resourceType: request.resourceTypeFilter, resourceName: request.resourceNameFilter, patternType: request.patternTypeFilter,
                               principal: request.principalFilter, host: request.hostFilter, operation: request.operation, permission: request.permissionType)
        if let problem = filter.problem {
            return context.respond(.describeAcls(DescribeAclsResponse(errorCode: KafkaError.invalidRequest.code, errorMessage: problem)))
        }
        let matching = cluster.acls.filter(filter.matches)
        let grouped = Dictionary(grouping: matching) { ResourcePatternKey(type: $0.resourceType, name: $0.resourceName, pattern: $0.patternType) }
        let resources = grouped.keys.sorted { ($0.type, $0.name, $0.pattern) < ($1.type, $1.name, $1.pattern) }.map { key in
            DescribeAclsResponse.Resource(resourceType: key.type, resourceName: key.name, patternType: key.pattern, acls: (grouped[key] ?? []).map {
                .init(principal: $0.principal, host: $0.host, operation: $0.operation, permissionType: $0.permission)
            })
        }
        context.respond(.describeAcls(DescribeAclsResponse(errorCode: 0, errorMessage: nil, resources: resources)))
    }

    func handleCreateAcls(_ request: CreateAclsRequest, _ context: RequestContext) {
        typealias Result = CreateAclsResponse.CreationResult
        guard allowed(context, .alter, .cluster, Principal.clusterResource) else {
            return context.respond(.createAcls(CreateAclsResponse(results: request.creations.map { _ in
                Result(errorCode: KafkaError.clusterAuthorizationFailed.code, errorMessage: "CreateAcls needs Alter on the cluster")
            })))
        }
        guard cluster.isControllerLeader else { return context.respond(request.failed(.notController, "this node does not lead the controller quorum")) }
        var results: [Result] = []
        var valid: [AclBinding] = []
        for creation in request.creations {
            let acl = AclBinding(resourceType: creation.resourceType, resourceName: creation.resourceName, patternType: creation.resourcePatternType,
                                 principal: creation.principal, host: creation.host, operation: creation.operation, permission: creation.permissionType)
            if let problem = Self.aclProblem(acl) {
                results.append(Result(errorCode: KafkaError.invalidRequest.code, errorMessage: problem))
            } else {
                results.append(Result(errorCode: 0, errorMessage: nil))
                valid.append(acl)
            }
        }
        guard !valid.isEmpty else { return context.respond(.createAcls(CreateAclsResponse(results: results))) }
        let answered = results
        cluster.propose([.createAcls(valid)]) { committed in
            context.respond(.createAcls(CreateAclsResponse(results: answered.map { result in
                guard committed, result.errorCode == 0 else {
                    return result.errorCode == 0 ? Result(errorCode: KafkaError.requestTimedOut.code, errorMessage: "the controller did not commit in time; retry") : result
                }
                return result
            })))
        }
    }

    func handleDeleteAcls(_ request: DeleteAclsRequest, _ context: RequestContext) {
        typealias FilterResult = DeleteAclsResponse.FilterResult
        guard allowed(context, .alter, .cluster, Principal.clusterResource) else {
            return context.respond(.deleteAcls(DeleteAclsResponse(filterResults: request.filters.map { _ in
                FilterResult(errorCode: KafkaError.clusterAuthorizationFailed.code, errorMessage: "DeleteAcls needs Alter on the cluster")
            })))
        }
        guard cluster.isControllerLeader else { return context.respond(request.failed(.notController, "this node does not lead the controller quorum")) }
        let existing = cluster.acls
        var removed = Set<AclBinding>()
        let results = request.filters.map { f -> FilterResult in
            let filter = AclFilter(resourceType: f.resourceTypeFilter, resourceName: f.resourceNameFilter, patternType: f.patternTypeFilter,
                                   principal: f.principalFilter, host: f.hostFilter, operation: f.operation, permission: f.permissionType)
            if let problem = filter.problem { return FilterResult(errorCode: KafkaError.invalidRequest.code, errorMessage: problem) }
            let matching = existing.filter(filter.matches)
            removed.formUnion(matching)
            return FilterResult(errorCode: 0, errorMessage: nil, matchingAcls: matching.map {
                .init(errorCode: 0, errorMessage: nil, resourceType: $0.resourceType, resourceName: $0.resourceName, patternType: $0.patternType,
                      principal: $0.principal, host: $0.host, operation: $0.operation, permissionType: $0.permission)
            })
        }
        guard !removed.isEmpty else { return context.respond(.deleteAcls(DeleteAclsResponse(filterResults: results))) }
        cluster.propose([.deleteAcls(Array(removed))]) { committed in
            guard committed else { return context.respond(request.failed(.requestTimedOut, "the controller did not commit in time; retry")) }
            context.respond(.deleteAcls(DeleteAclsResponse(filterResults: results)))
        }
    }

    /// Kafka's checks on a new entry: known, specific values (no "any"), a principal of the form
    /// Type:name, a resource name, and the cluster resource only under its one name.
    static func aclProblem(_ acl: AclBinding) -> String? {
        guard let type = AclResourceType(rawValue: acl.resourceType), type != .any else { return "resource type \(acl.resourceType) cannot be stored" }
        guard let pattern = AclPatternType(rawValue: acl.patternType), pattern == .literal || pattern == .prefixed else {
            return "pattern type \(acl.patternType) cannot be stored (literal or prefixed)"
        }
        guard let operation = AclOperation(rawValue: acl.operation), operation != .any else { return "operation \(acl.operation) cannot be stored" }
        guard let permission = AclPermission(rawValue: acl.permission), permission != .any else { return "permission type \(acl.permission) cannot be stored" }
        guard !acl.resourceName.isEmpty else { return "the resource name is empty" }
        guard let colon = acl.principal.firstIndex(of: ":"), colon != acl.principal.startIndex, acl.principal.index(after: colon) != acl.principal.endIndex else {
            return "principal '\(acl.principal)' is not Type:name (e.g. User:alice)"
        }
        guard !acl.host.isEmpty else { return "the host is empty (use * for any)" }
        if type == .cluster && acl.resourceName != Principal.clusterResource { return "the cluster resource is named \(Principal.clusterResource)" }
        return nil
    }

    /// The ACL check for this request's principal and client address.
    func allowed(_ context: RequestContext, _ operation: AclOperation, _ type: AclResourceType, _ name: String) -> Bool {
        authorizer.allows(context.principal, host: context.connection.peer.host, operation, type, name)
    }
}

private struct ResourcePatternKey: Hashable {
    var type: Int8
    var name: String
    var pattern: Int8
}

extension CreateAclsRequest {
    func failed(_ error: KafkaError, _ message: String) -> KafkaResponse {
        .createAcls(CreateAclsResponse(results: creations.map { _ in .init(errorCode: error.code, errorMessage: message) }))
    }
}

extension DeleteAclsRequest {
    func failed(_ error: KafkaError, _ message: String) -> KafkaResponse {
        .deleteAcls(DeleteAclsResponse(filterResults: filters.map { _ in .init(errorCode: error.code, errorMessage: message) }))
    }
}
