// sluice: the admin CLI. Parses the command line (SluiceCommandLine), runs the command against
// the brokers (SluiceClient), prints tables or JSON, and exits with a documented status.
#if canImport(Glibc)
import Glibc
#endif
import SluiceCommandLine

/// Runs one command line and returns the exit status.
@MainActor
func runSluice(_ arguments: [String]) async -> Int32 {
    let outcome: ParseOutcome
    do {
        outcome = try ArgumentParser(root: SluiceCommands.root).parse(arguments)
    } catch {
        Terminal.printError(error.message, fix: error.fix)
        return ExitStatus.usage
    }
    guard case .run(let command) = outcome else {
        if case .help(let text) = outcome { Terminal.standardOutput.write(text) }
        return ExitStatus.success
    }
    var context: CommandContext?
    do {
        let environment = getenv("SLUICE_BROKERS").map { String(cString: $0) }
        let opened = try CommandContext(command: command, environmentBrokers: environment,
                                        environmentCommandConfig: getenv("SLUICE_COMMAND_CONFIG").map { String(cString: $0) })
        context = opened
        let status = try await dispatch(command.path, opened)
        await opened.close()
        Terminal.standardOutput.flush()
        return status
    } catch {
        let failure = CommandFailure.from(error, brokers: context?.brokers ?? [])
        await context?.close()
        Terminal.printError(failure.message, fix: failure.fix)
        return failure.exitCode
    }
}

/// The command for a path of words (the parser only yields paths the spec declares).
@MainActor
func dispatch(_ path: [String], _ context: CommandContext) async throws -> Int32 {
    let leaf = path.last ?? ""
    switch path.first {
    case "cluster": return try await ClusterCommands.run(leaf, context)
    case "quorum": return try await QuorumCommands.run(leaf, context)
    case "topic": return try await TopicCommands.run(leaf, context)
    case "partition": return try await PartitionCommands.run(leaf, context)
    case "produce": return try await ProduceCommand.run(context)
    case "consume": return try await ConsumeCommand.run(context)
    case "group": return try await GroupCommands.run(leaf, context)
    case "dlq": return try await DeadLetterCommands.run(leaf, context)
    case "user": return try await SecurityCommands.runUser(leaf, context)
    case "acl": return try await SecurityCommands.runAcl(leaf, context)
    case "quota": return try await SecurityCommands.runQuota(leaf, context)
    case "top": return try await TopCommand.run(context)
    default: throw undeclaredCommand(path.first ?? "", "")
    }
}

/// A path the command spec declares but no switch runs: a bug in this program, reported as one
/// rather than running some other command.
func undeclaredCommand(_ group: String, _ name: String) -> UsageError {
    UsageError("'sluice \(group) \(name)' is declared but not implemented in this build", fix: "report it; run `sluice --help` for what works")
}

let status = await runSluice(Array(CommandLine.arguments.dropFirst()))
Terminal.standardOutput.flush()
Terminal.standardError.flush()
exit(status)
