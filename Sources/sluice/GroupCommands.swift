import SluiceClient
import SluiceCommandLine

/// `sluice group list|describe|reset-offsets|delete`.
@MainActor
enum GroupCommands {
    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        switch name {
        case "list": return try await list(context)
        case "describe": return try await describe(context)
        case "reset-offsets": return try await ResetOffsets.run(context)
        case "delete": return try await delete(context)
        default: throw undeclaredCommand("group", name)
        }
    }

    private static func list(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        let listed = try await admin.listGroups()
        let described = listed.isEmpty ? [] : try await admin.describeGroups(listed.map(\.groupId))
        let byId = Dictionary(described.map { ($0.groupId, $0) }, uniquingKeysWith: { first, _ in first })
        if context.wantsJSON {
            context.print(JSON.array(listed.map { group in
                let description = byId[group.groupId]
                return .object([("group", .string(group.groupId)), ("state", .string(description?.state ?? group.state)),
                                ("members", .int(Int64(description?.members.count ?? 0))), ("protocolType", .string(group.protocolType))])
            }))
            return ExitStatus.success
        }
        var table = Table(["GROUP", "STATE", "MEMBERS"])
        for group in listed {
            let description = byId[group.groupId]
            table.append([group.groupId, description?.state ?? group.state, String(description?.members.count ?? 0)])
        }
        context.print(table.render())
        return ExitStatus.success
    }

    /// One row of `group describe`: Kafka's columns.
    private struct LagRow {
        var partition: TopicPartition?
        var committed: Int64?
        var end: Int64?
        var owner: GroupMember?

        var lag: Int64? {
            guard let committed, let end else { return nil }
            return max(0, end - committed)
        }

        func cells(group: String) -> [String] {
            let text = { (number: Int64?) in number.map(String.init) ?? "-" }
            return [group, partition?.topic ?? "-", partition.map { String($0.partition) } ?? "-", text(committed), text(end), text(lag),
                    owner?.memberId ?? "-", owner?.clientHost ?? "-", owner?.clientId ?? "-"]
        }

        var json: JSON {
            .object([("topic", .optional(partition?.topic)), ("partition", .optional(partition.map { Int64($0.partition) })),
                     ("currentOffset", .optional(committed)), ("logEndOffset", .optional(end)), ("lag", .optional(lag)),
                     ("consumerId", .optional(owner?.memberId)), ("host", .optional(owner?.clientHost)), ("clientId", .optional(owner?.clientId))])
        }
    }

    private static func describe(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        var documents: [JSON] = []
        for (index, groupId) in context.command.positionals.enumerated() {
            guard let description = try await admin.describeGroups([groupId]).first else { throw unknownGroup(groupId) }
            let committed = try await admin.groupOffsets(groupId)
            if description.state == "Dead" && committed.isEmpty { throw unknownGroup(groupId) }
            let rows = try await lagRows(description, committed, admin)
            let totalLag = rows.compactMap(\.lag).reduce(0, +)
            if context.wantsJSON {
                documents.append(.object([
                    ("group", .string(groupId)), ("state", .string(description.state)), ("protocol", .string(description.protocolName)),
                    ("members", .array(description.members.map { member in
                        .object([("consumerId", .string(member.memberId)), ("groupInstanceId", .optional(member.groupInstanceId)),
                                 ("clientId", .string(member.clientId)), ("host", .string(member.clientHost)),
                                 ("assignment", .array(member.assignment.map {
                                     .object([("topic", .string($0.topic)), ("partition", .int(Int64($0.partition)))])
                                 }))])
                    })),
                    ("partitions", .array(rows.map(\.json))), ("totalLag", .int(totalLag)),
                ]))
                continue
            }
            var table = Table(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"])
            for row in rows { table.append(row.cells(group: groupId)) }
            context.print((index > 0 ? "\n" : "") + table.render()
                          + "\ngroup \(groupId): \(description.state), \(counted(description.members.count, "member")), total lag \(totalLag)\n")
        }
        if context.wantsJSON { context.print(JSON.array(documents)) }
        return ExitStatus.success
    }

    /// A row per partition the group committed for or a member owns, then one per member that owns nothing.
    private static func lagRows(_ description: GroupDescription, _ committed: [TopicPartition: Int64], _ admin: Admin) async throws -> [LagRow] {
        var owners: [TopicPartition: GroupMember] = [:]
        for member in description.members { for partition in member.assignment { owners[partition] = member } }
        let partitions = Set(committed.keys).union(owners.keys).sorted()
        let ends = partitions.isEmpty ? [:] : try await admin.listOffsets(partitions, spec: .latest)
        var rows = partitions.map { LagRow(partition: $0, committed: committed[$0], end: ends[$0], owner: owners[$0]) }
        rows += description.members.filter(\.assignment.isEmpty).sorted { $0.memberId < $1.memberId }
            .map { LagRow(partition: nil, committed: nil, end: nil, owner: $0) }
        return rows
    }

    static func unknownGroup(_ group: String) -> CommandFailure {
        CommandFailure("group '\(group)' does not exist", fix: "list groups with `sluice group list`")
    }

    private static func delete(_ context: CommandContext) async throws -> Int32 {
        let admin = try context.admin()
        var table = Table(["GROUP", "STATUS"])
        var firstFailure: CommandFailure?
        for group in context.command.positionals {
            do {
                try await admin.deleteGroups([group])
                table.append([group, "OK"])
            } catch let error as SluiceClientError where error.code != nil {
                var failure: CommandFailure
                switch error.code {
                case .groupIdNotFound?: failure = unknownGroup(group)
                case KafkaErrorCode(68)?:
                    failure = CommandFailure("group '\(group)' still has members",
                                             fix: "stop its consumers first (see them with `sluice group describe \(group)`)")
                default: failure = CommandFailure.from(error, brokers: context.brokers)
                }
                failure.code = error.code
                table.append([group, failure.status])
                firstFailure = firstFailure ?? failure
            }
        }
        context.print(table.render())
        if let firstFailure { throw firstFailure }
        return ExitStatus.success
    }
}
