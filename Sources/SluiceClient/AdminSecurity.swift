import Foundation
import SluiceCrypto
import SluiceWire

/// A user's SCRAM credential as DescribeUserScramCredentials shows it (never the secret).
public struct ScramCredentialDescription: Sendable, Equatable {
    public var user: String
    /// (mechanism name, iterations) for each mechanism the user has a credential for.
    public var credentials: [(mechanism: String, iterations: Int32)]

    public static func == (a: Self, b: Self) -> Bool {
        a.user == b.user && a.credentials.map(\.mechanism) == b.credentials.map(\.mechanism) && a.credentials.map(\.iterations) == b.credentials.map(\.iterations)
    }
}

/// An access control entry, in Kafka's terms.
public struct AclEntry: Sendable, Equatable, Hashable {
    public enum ResourceType: Int8, Sendable, CaseIterable { case topic = 2, group = 3, cluster = 4, transactionalID = 5 }
    public enum Operation: Int8, Sendable, CaseIterable {
        case all = 2, read, write, create, delete, alter, describe, clusterAction, describeConfigs, alterConfigs, idempotentWrite
    }

    public var resourceType: ResourceType
    public var resourceName: String
    /// A prefix of names rather than one name.
    public var prefixed: Bool
    public var principal: String
    public var host: String
    public var operation: Operation
    public var allow: Bool

    public init(resourceType: ResourceType, resourceName: String, prefixed: Bool = false, principal: String, host: String = "*",
                operation: Operation, allow: Bool = true) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.prefixed = prefixed
        self.principal = principal
        self.host = host
        self.operation = operation
        self.allow = allow
    }

    /// Kafka's numbers for the pattern (3 literal, 4 prefixed) and the permission (2 deny, 3 allow).
    var patternType: Int8 { prefixed ? 4 : 3 }
    var permissionType: Int8 { allow ? 3 : 2 }
}

/// Users (SCRAM credentials) and ACLs, through Kafka's APIs.
extension Admin {
    /// Creates or replaces `user`'s credential for `mechanism` (SCRAM-SHA-512 or -256). The
    /// password is salted and hashed here; only the salted password travels (AlterUserScramCredentials).
    public func setScramCredential(user: String, password: String, mechanism: String = "SCRAM-SHA-512", iterations: Int32 = 8192) async throws {
        guard let scram = ScramMechanism(name: mechanism) else { throw SluiceClientError.invalidArgument("mechanism \(mechanism) is not SCRAM-SHA-512 or SCRAM-SHA-256") }
        let salt = LibCrypto.random(32)
        let upsertion = AlterUserScramCredentialsRequest.Upsertion(
            name: user, mechanism: scram.rawValue, iterations: iterations, salt: salt,
            saltedPassword: scram.saltedPassword(password, salt: salt, iterations: iterations))
        try await alterScram(AlterUserScramCredentialsRequest(deletions: [], upsertions: [upsertion]))
    }

    /// Deletes `user`'s credential for `mechanism`.
    public func deleteScramCredential(user: String, mechanism: String = "SCRAM-SHA-512") async throws {
        guard let scram = ScramMechanism(name: mechanism) else { throw SluiceClientError.invalidArgument("mechanism \(mechanism) is not SCRAM-SHA-512 or SCRAM-SHA-256") }
        try await alterScram(AlterUserScramCredentialsRequest(deletions: [.init(name: user, mechanism: scram.rawValue)], upsertions: []))
    }

    private func alterScram(_ request: AlterUserScramCredentialsRequest) async throws {
        try await onController { connection, timeout in
            let response = try await connection.send(request, version: 0, expecting: AlterUserScramCredentialsResponse.self, timeoutMillis: timeout)
            for result in response.results {
                try SluiceClientError.check(result.errorCode, "change the credentials of '\(result.user)'", detail: result.errorMessage)
            }
        }
    }

    /// Every user with SCRAM credentials (or only `users`).
    public func describeScramCredentials(users: [String]? = nil) async throws -> [ScramCredentialDescription] {
        let connection = try await cluster.anyConnection()
        let request = DescribeUserScramCredentialsRequest(users: users?.map { .init(name: $0) })
        let response = try await connection.send(request, version: 0, expecting: DescribeUserScramCredentialsResponse.self, timeoutMillis: timeout)
        try SluiceClientError.check(response.errorCode, "describe credentials", detail: response.errorMessage)
        return try response.results.map { result throws(SluiceClientError) in
            try SluiceClientError.check(result.errorCode, "describe the credentials of '\(result.user)'", detail: result.errorMessage)
            return ScramCredentialDescription(user: result.user, credentials: result.credentialInfos.map {
                (ScramMechanism(rawValue: $0.mechanism)?.name ?? "mechanism \($0.mechanism)", $0.iterations)
            })
        }
    }

    /// Adds ACL entries.
    public func createAcls(_ entries: [AclEntry]) async throws {
        try await onController { connection, timeout in
            let request = CreateAclsRequest(creations: entries.map {
                .init(resourceType: $0.resourceType.rawValue, resourceName: $0.resourceName, resourcePatternType: $0.patternType,
                      principal: $0.principal, host: $0.host, operation: $0.operation.rawValue, permissionType: $0.permissionType)
            })
            let response = try await connection.send(request, version: 1, expecting: CreateAclsResponse.self, timeoutMillis: timeout)
            for result in response.results { try SluiceClientError.check(result.errorCode, "create an ACL", detail: result.errorMessage) }
        }
    }

    /// Every ACL entry, optionally only those naming `principal`.
    public func listAcls(principal: String? = nil) async throws -> [AclEntry] {
        let connection = try await cluster.anyConnection()
        let request = DescribeAclsRequest(resourceTypeFilter: 1, resourceNameFilter: nil, patternTypeFilter: 1, principalFilter: principal,
                                          hostFilter: nil, operation: 1, permissionType: 1)
        let response = try await connection.send(request, version: 1, expecting: DescribeAclsResponse.self, timeoutMillis: timeout)
        try SluiceClientError.check(response.errorCode, "list ACLs", detail: response.errorMessage)
        return response.resources.flatMap { resource in
            resource.acls.compactMap { acl -> AclEntry? in
                guard let type = AclEntry.ResourceType(rawValue: resource.resourceType), let operation = AclEntry.Operation(rawValue: acl.operation) else { return nil }
                return AclEntry(resourceType: type, resourceName: resource.resourceName, prefixed: resource.patternType == 4,
                                principal: acl.principal, host: acl.host, operation: operation, allow: acl.permissionType == 3)
            }
        }
    }

    /// Removes exactly these entries; returns how many were removed.
    @discardableResult
    public func deleteAcls(_ entries: [AclEntry]) async throws -> Int {
        var removed = 0
        try await onController { connection, timeout in
            let request = DeleteAclsRequest(filters: entries.map {
                .init(resourceTypeFilter: $0.resourceType.rawValue, resourceNameFilter: $0.resourceName, patternTypeFilter: $0.patternType,
                      principalFilter: $0.principal, hostFilter: $0.host, operation: $0.operation.rawValue, permissionType: $0.permissionType)
            })
            let response = try await connection.send(request, version: 1, expecting: DeleteAclsResponse.self, timeoutMillis: timeout)
            for result in response.filterResults { try SluiceClientError.check(result.errorCode, "delete ACLs", detail: result.errorMessage) }
            removed = response.filterResults.reduce(0) { $0 + $1.matchingAcls.count }
        }
        return removed
    }
}

/// A client quota entity and its values, as DescribeClientQuotas shows them.
public struct ClientQuota: Sendable, Equatable {
    /// nil: not part of the entity; "": the default entity; else the name.
    public var user: String?
    public var clientID: String?
    public var values: [String: Double]

    public init(user: String?, clientID: String?, values: [String: Double]) {
        self.user = user
        self.clientID = clientID
        self.values = values
    }
}

/// Client quotas (producer_byte_rate, consumer_byte_rate, request_percentage).
extension Admin {
    /// Sets (or with nil removes) quotas of one entity: `user` and/or `clientID`, "" for the default.
    public func setClientQuota(user: String?, clientID: String?, values: [String: Double?]) async throws {
        var entity: [AlterClientQuotasRequest.Entry.Entity] = []
        if let user { entity.append(.init(entityType: "user", entityName: user.isEmpty ? nil : user)) }
        if let clientID { entity.append(.init(entityType: "client-id", entityName: clientID.isEmpty ? nil : clientID)) }
        let ops = values.sorted { $0.key < $1.key }.map { AlterClientQuotasRequest.Entry.Op(key: $0.key, value: $0.value ?? 0, remove: $0.value == nil) }
        let request = AlterClientQuotasRequest(entries: [.init(entity: entity, ops: ops)])
        try await onController { connection, timeout in
            let response = try await connection.send(request, version: 0, expecting: AlterClientQuotasResponse.self, timeoutMillis: timeout)
            for entry in response.entries { try SluiceClientError.check(entry.errorCode, "set a quota", detail: entry.errorMessage) }
        }
    }

    /// Every configured quota.
    public func listClientQuotas() async throws -> [ClientQuota] {
        let connection = try await cluster.anyConnection()
        let response = try await connection.send(DescribeClientQuotasRequest(components: [], strict: false), version: 0,
                                                 expecting: DescribeClientQuotasResponse.self, timeoutMillis: timeout)
        try SluiceClientError.check(response.errorCode, "list quotas", detail: response.errorMessage)
        return (response.entries ?? []).map { entry in
            var quota = ClientQuota(user: nil, clientID: nil, values: [:])
            for part in entry.entity {
                if part.entityType == "user" { quota.user = part.entityName ?? "" }
                if part.entityType == "client-id" { quota.clientID = part.entityName ?? "" }
            }
            for value in entry.values { quota.values[value.key] = value.value }
            return quota
        }
    }
}
