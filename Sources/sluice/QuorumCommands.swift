import SluiceClient
import SluiceCommandLine

/// `sluice quorum describe|add-voter|remove-voter`.
@MainActor
enum QuorumCommands {
    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        switch name {
        case "describe": return try await describe(context)
        case "add-voter": return try await addVoter(context)
        case "remove-voter": return try await removeVoter(context)
        default: throw undeclaredCommand("quorum", name)
        }
    }

    private static func describe(_ context: CommandContext) async throws -> Int32 {
        let quorum = try await context.admin().describeQuorum()
        if context.wantsJSON {
            func members(_ list: [QuorumMember]) -> JSON {
                .array(list.map { .object([("id", .int(Int64($0.id))), ("logEnd", .int($0.logEnd)), ("lastHeardMillis", .int($0.lastHeardMillis))]) })
            }
            context.print(JSON.object([
                ("leader", .int(Int64(quorum.leader))), ("term", .int(Int64(quorum.term))), ("committed", .int(quorum.committed)),
                ("voters", members(quorum.voters)), ("observers", members(quorum.observers)),
            ]))
            return ExitStatus.success
        }
        context.printSection("LEADER", "\(quorum.leader) (term \(quorum.term), committed \(quorum.committed))\n", first: true)
        var table = Table(["NODE", "ROLE", "LOG END", "LAG"])
        for (role, list) in [("voter", quorum.voters), ("observer", quorum.observers)] {
            for member in list {
                let role = member.id == quorum.leader ? "leader" : role
                let lag = member.logEnd < 0 ? "?" : String(max(0, quorum.committed - member.logEnd))
                table.append([String(member.id), role, member.logEnd < 0 ? "?" : String(member.logEnd), lag])
            }
        }
        context.printSection("MEMBERS", table.render())
        return ExitStatus.success
    }

    private static func addVoter(_ context: CommandContext) async throws -> Int32 {
        let node = try nodeID(context)
        let wait = try context.command.integer("wait-timeout-ms", in: Int32(1_000)...Int32(115_000)) ?? 60_000
        defer { Terminal.clearProgress() }
        if Terminal.standardError.isTerminal {
            Terminal.showProgress("waiting for node \(node) to catch up with the controller log and the change to commit (up to \(wait / 1000) s)")
        }
        try await context.admin().addRaftVoter(node, timeoutMillis: wait)
        context.print("node \(node) is a voter of the controller quorum\n")
        return ExitStatus.success
    }

    private static func removeVoter(_ context: CommandContext) async throws -> Int32 {
        let node = try nodeID(context)
        try await context.admin().removeRaftVoter(node)
        context.print("node \(node) is no longer a voter of the controller quorum (it stays a broker and follows the log)\n")
        return ExitStatus.success
    }

    private static func nodeID(_ context: CommandContext) throws(UsageError) -> Int32 {
        let text = context.command.positionals.first ?? ""
        guard let id = Int32(text), id >= 0 else { throw UsageError("NODE must be a node id (0 or more), not '\(text)'", fix: "e.g. sluice quorum add-voter 2") }
        return id
    }
}
