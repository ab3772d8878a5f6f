import Foundation
import SluiceClient
import SluiceCommandLine

/// `sluice user create|list|delete` and `sluice acl create|list|delete`.
@MainActor
enum SecurityCommands {
    static func runUser(_ name: String, _ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        let mechanism = context.command.string("mechanism") ?? "SCRAM-SHA-512"
        switch name {
        case "create":
            guard let password = context.command.string("password") ?? ProcessInfo.processInfo.environment["SLUICE_PASSWORD"], !password.isEmpty else {
                throw UsageError("no password", fix: "give --password, or set SLUICE_PASSWORD (kept out of the shell history)")
            }
            let iterations: Int = try context.command.integer("iterations", in: 4096...16384) ?? 8192
            try await admin.setScramCredential(user: context.firstArgument, password: password, mechanism: mechanism, iterations: Int32(iterations))
            context.print("user \(context.firstArgument): \(mechanism) credential set\n")
        case "delete":
            try await admin.deleteScramCredential(user: context.firstArgument, mechanism: mechanism)
            context.print("user \(context.firstArgument): \(mechanism) credential deleted\n")
        case "list":
            let users = try await admin.describeScramCredentials()
            if context.wantsJSON {
                context.print(JSON.array(users.map { user in
                    .object([("user", .string(user.user)), ("mechanisms", .array(user.credentials.map {
                        .object([("mechanism", .string($0.mechanism)), ("iterations", .int(Int64($0.iterations)))])
                    }))])
                }))
                return ExitStatus.success
            }
            var table = Table(["USER", "MECHANISM", "ITERATIONS"])
            for user in users { for credential in user.credentials { table.append([user.user, credential.mechanism, String(credential.iterations)]) } }
            context.print(table.render())
        default: throw undeclaredCommand("user", name)
        }
        return ExitStatus.success
    }

    static func runAcl(_ name: String, _ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        switch name {
        case "create":
            try await admin.createAcls([try entry(context)])
            context.print("ACL created\n")
        case "delete":
            let removed = try await admin.deleteAcls([try entry(context)])
            guard removed > 0 else { throw CommandFailure("no such ACL", fix: "`sluice acl list` shows the entries as they are stored") }
            context.print("ACL deleted\n")
        case "list":
            let entries = try await admin.listAcls(principal: context.command.string("principal"))
            if context.wantsJSON {
                context.print(JSON.array(entries.map { entry in
                    .object([("principal", .string(entry.principal)), ("permission", .string(entry.allow ? "ALLOW" : "DENY")),
                             ("operation", .string(operationName(entry.operation))), ("resourceType", .string(typeName(entry.resourceType))),
                             ("resource", .string(entry.resourceName)), ("pattern", .string(entry.prefixed ? "PREFIXED" : "LITERAL")),
                             ("host", .string(entry.host))])
                }))
                return ExitStatus.success
            }
            var table = Table(["PRINCIPAL", "PERMISSION", "OPERATION", "RESOURCE-TYPE", "RESOURCE", "PATTERN", "HOST"])
            for entry in entries {
                table.append([entry.principal, entry.allow ? "ALLOW" : "DENY", operationName(entry.operation), typeName(entry.resourceType),
                              entry.resourceName, entry.prefixed ? "PREFIXED" : "LITERAL", entry.host])
            }
            context.print(table.render())
        default: throw undeclaredCommand("acl", name)
        }
        return ExitStatus.success
    }

    static func runQuota(_ name: String, _ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        switch name {
        case "set":
            let user = context.command.string("user"), client = context.command.string("client-id")
            guard user != nil || client != nil else { throw UsageError("name the entity: --user and/or --client-id") }
            var values: [String: Double?] = [:]
            for (option, key) in [("producer-byte-rate", "producer_byte_rate"), ("consumer-byte-rate", "consumer_byte_rate"),
                                  ("request-percentage", "request_percentage")] {
                guard let text = context.command.string(option) else { continue }
                if text == "none" { values[key] = .some(nil); continue }
                guard let value = Double(text), value > 0, value.isFinite else { throw UsageError("--\(option) wants a positive number or none, got '\(text)'") }
                values[key] = value
            }
            guard !values.isEmpty else { throw UsageError("give at least one of --producer-byte-rate, --consumer-byte-rate, --request-percentage") }
            try await admin.setClientQuota(user: user, clientID: client, values: values)
            context.print("quota set\n")
        case "list":
            let quotas = try await admin.listClientQuotas()
            func name(_ part: String?) -> String { part.map { $0.isEmpty ? "<default>" : $0 } ?? "-" }
            if context.wantsJSON {
                context.print(JSON.array(quotas.map(quotaJSON)))
                return ExitStatus.success
            }
            var table = Table(["USER", "CLIENT-ID", "QUOTA", "VALUE"])
            for quota in quotas.sorted(by: { (name($0.user), name($0.clientID)) < (name($1.user), name($1.clientID)) }) {
                for (key, value) in quota.values.sorted(by: { $0.key < $1.key }) {
                    table.append([name(quota.user), name(quota.clientID), key, value == value.rounded() ? String(Int64(value)) : String(value)])
                }
            }
            context.print(table.render())
        default: throw undeclaredCommand("quota", name)
        }
        return ExitStatus.success
    }

    private static func quotaJSON(_ quota: ClientQuota) -> JSON {
        let user: JSON = quota.user.map { JSON.string($0) } ?? .null
        let client: JSON = quota.clientID.map { JSON.string($0) } ?? .null
        let values: [(String, JSON)] = quota.values.sorted { $0.key < $1.key }.map { ($0.key, JSON.int(Int64($0.value.rounded()))) }
        return .object([("user", user), ("clientId", client), ("quotas", .object(values))])
    }

    /// The entry the options describe; exactly one resource and an operation are required.
    private static func entry(_ context: CommandContext) throws(UsageError) -> AclEntry {
        let command = context.command
        guard let principal = command.string("principal"), principal.contains(":") else {
            throw UsageError("--principal is required, as Type:name", fix: "e.g. --principal User:alice")
        }
        guard let operationText = command.string("operation"), let operation = operations[operationText.lowercased()] else {
            throw UsageError("--operation must be one of \(operations.keys.sorted().joined(separator: ", "))")
        }
        var resources: [(AclEntry.ResourceType, String)] = []
        if let topic = command.string("topic") { resources.append((.topic, topic)) }
        if let group = command.string("group") { resources.append((.group, group)) }
        if command.flag("cluster") { resources.append((.cluster, "kafka-cluster")) }
        guard resources.count == 1, let (type, name) = resources.first else {
            throw UsageError("name exactly one resource: --topic NAME, --group NAME or --cluster")
        }
        return AclEntry(resourceType: type, resourceName: name, prefixed: command.flag("prefixed"), principal: principal,
                        host: command.string("host") ?? "*", operation: operation, allow: !command.flag("deny"))
    }

    private static let operations: [String: AclEntry.Operation] = [
        "all": .all, "read": .read, "write": .write, "create": .create, "delete": .delete, "alter": .alter, "describe": .describe,
        "cluster-action": .clusterAction, "describe-configs": .describeConfigs, "alter-configs": .alterConfigs, "idempotent-write": .idempotentWrite,
    ]

    private static func operationName(_ operation: AclEntry.Operation) -> String {
        operations.first { $0.value == operation }?.key ?? "\(operation.rawValue)"
    }

    private static func typeName(_ type: AclEntry.ResourceType) -> String {
        switch type {
        case .topic: return "topic"
        case .group: return "group"
        case .cluster: return "cluster"
        case .transactionalID: return "transactional-id"
        }
    }
}
