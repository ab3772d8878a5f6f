import SluiceClient
import SluiceCommandLine

/// A command that could not do its work: printed as `error: message` plus `fix: ...` on stderr,
/// and the process exits with `exitCode` (1 unless said otherwise).
struct CommandFailure: Error {
    var message: String
    var fix: String
    var exitCode: Int32
    /// The broker's error code behind it, for STATUS columns.
    var code: KafkaErrorCode?

    init(_ message: String, fix: String = "", exitCode: Int32 = 1, code: KafkaErrorCode? = nil) {
        self.message = message
        self.fix = fix
        self.exitCode = exitCode
        self.code = code
    }

    /// A word for a STATUS column: the Kafka error name, else FAILED.
    var status: String { code?.name ?? "FAILED" }
}

/// Exit statuses, as documented in `sluice --help`.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let unhealthy: Int32 = 3
}

extension CommandFailure {
    /// The message and fix for an error of the client, in the user's terms.
    static func from(_ error: any Error, brokers: [String]) -> CommandFailure {
        if let failure = error as? CommandFailure { return failure }
        if let usage = error as? UsageError { return CommandFailure(usage.message, fix: usage.fix, exitCode: ExitStatus.usage) }
        if let reassignment = error as? ReassignmentError { return from(reassignment) }
        guard let client = error as? SluiceClientError else { return CommandFailure("\(error)") }
        let list = brokers.joined(separator: ",")
        switch client {
        case .noBrokerAvailable(let attempts):
            return CommandFailure("no broker reachable: " + (attempts.isEmpty ? list : attempts.joined(separator: "; ")),
                                  fix: "start one with `make run`, or point --brokers (or SLUICE_BROKERS) at a running broker")
        case .connectionFailed:
            return CommandFailure("\(client)",
                                  fix: "start one with `make run`, or point --brokers (or SLUICE_BROKERS) at a running broker")
        case .connectionClosed:
            return CommandFailure("\(client)", fix: "the broker closed the connection; check that \(list) is a Kafka listener and see its log")
        case .timedOut:
            return CommandFailure("\(client)", fix: "the broker is slow or stuck: raise --timeout-ms, or check the broker's log")
        case .protocolError:
            return CommandFailure("\(client)", fix: "is \(list) a Kafka-compatible broker?")
        case .kafka(let code, let message):
            return CommandFailure("\(message) (\(code.name))", fix: fix(for: code), code: code)
        case .invalidArgument(let why):
            return CommandFailure(why, exitCode: ExitStatus.usage)
        case .authenticationFailed:
            return CommandFailure("\(client)", fix: "check sasl.username, sasl.password and sasl.mechanism in the --command-config file")
        case .closed, .cancelled:
            return CommandFailure("\(client)")
        }
    }

    /// What to do about a Kafka error code, where there is something to say.
    private static func fix(for code: KafkaErrorCode) -> String {
        switch code.rawValue {
        case 3: return "list topics with `sluice topic list`"
        case 5, 6, 15, 16: return "the cluster is electing a leader or coordinator; try again in a moment"
        case 17: return "topic names use letters, digits, '.', '_' and '-', at most 249 characters"
        case 36: return "pick another name, or see the topic with `sluice topic describe`"
        case 37: return "a topic's partition count can only grow: give a positive --num"
        case 38: return "use at most as many replicas (-r) as there are brokers (`sluice cluster info`)"
        case 40: return "see the configs a topic has with `sluice topic describe TOPIC`"
        case 39: return "name live brokers, each once (see them with `sluice cluster info`)"
        case 85: return "see the moves under way with `sluice partition list-reassignments`"
        case 68: return "stop the group's consumers first (see them with `sluice group describe`)"
        case 69: return "list groups with `sluice group list`"
        default: return ""
        }
    }

    /// Reassignment failures: what is missing and what to do.
    private static func from(_ error: ReassignmentError) -> CommandFailure {
        let cluster = "start brokers with controller.quorum.voters (`make cluster`; deploy/README.md, \"From one node to three\")"
        switch error {
        case .unknownBroker:
            return CommandFailure("\(error)", fix: "see the brokers and their ids with `sluice cluster info`")
        case let .noSpareBroker(partition, _, live) where live.count <= 1:
            return CommandFailure("reassignment needs a cluster: \(live.first.map { "broker \($0)" } ?? "no broker") is the only live broker, "
                                  + "so the replica of \(partition) has nowhere to go", fix: cluster)
        case .noSpareBroker:
            return CommandFailure("\(error)", fix: "start another broker first (deploy/README.md), then plan again")
        case .notFinished:
            return CommandFailure("\(error)",
                                  fix: "the moves go on without this command: follow them with `sluice partition list-reassignments`, "
                                    + "or wait longer with --wait-timeout-ms")
        }
    }

    /// A topic that does not exist, with the two ways forward.
    static func unknownTopic(_ topic: String) -> CommandFailure {
        CommandFailure("topic '\(topic)' does not exist",
                       fix: "create it with `sluice topic create \(topic)`, or list topics with `sluice topic list`",
                       code: .unknownTopicOrPartition)
    }
}

extension SluiceClientError {
    /// Whether the broker said the topic or partition does not exist.
    var isUnknownTopic: Bool { code == .unknownTopicOrPartition }
}
