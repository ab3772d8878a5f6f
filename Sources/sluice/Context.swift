import SluiceClient
import SluiceCommandLine

/// What every command gets: its parsed arguments, the brokers and connection settings, and
/// the admin client (one per process, connected on first use).
@MainActor
final class CommandContext {
    let command: ParsedCommand
    let brokers: [String]
    let connection: ConnectionConfig
    private var openAdmin: Admin?

    init(command: ParsedCommand, environmentBrokers: String?, environmentCommandConfig: String? = nil) throws(UsageError) {
        self.command = command
        brokers = try ValueParsing.brokers(option: command.string("brokers"), environment: environmentBrokers)
        var connection = ConnectionConfig()
        connection.clientId = "sluice-cli"
        if let timeout: Int = try command.integer("timeout-ms", in: 1...3_600_000) {
            connection.requestTimeoutMillis = timeout
            connection.connectTimeoutMillis = min(connection.connectTimeoutMillis, timeout)
        }
        if let file = command.string("command-config") ?? environmentCommandConfig {
            try SecurityConfig.apply(file: file, to: &connection)
        }
        self.connection = connection
    }

    /// Whether `--json` was given.
    var wantsJSON: Bool { command.flag("json") }

    /// The first positional argument (commands whose spec requires it).
    var firstArgument: String { command.positionals.first ?? "" }

    /// The admin client.
    func admin() throws -> Admin {
        if let openAdmin { return openAdmin }
        let admin = try Admin(bootstrap: brokers, config: connection)
        openAdmin = admin
        return admin
    }

    /// Closes what was opened.
    func close() async {
        await openAdmin?.close()
        openAdmin = nil
    }

    /// Writes text to stdout.
    func print(_ text: String) { Terminal.standardOutput.write(text) }

    /// Writes a JSON document and a newline to stdout.
    func print(_ json: JSON) { Terminal.standardOutput.write(json.renderedBytes() + [UInt8(ascii: "\n")]) }

    /// A titled section as rpk prints them: `TITLE`, a rule of `=`, the body, a blank line between sections.
    func printSection(_ title: String, _ body: String, first: Bool = false) {
        print((first ? "" : "\n") + title + "\n" + String(repeating: "=", count: title.count) + "\n" + body)
    }

    /// The topic's description; a missing topic is a `CommandFailure` that says how to create it.
    func existingTopic(_ name: String) async throws -> TopicDescription {
        do {
            guard let topic = try await admin().describeTopics([name]).first else { throw CommandFailure.unknownTopic(name) }
            return topic
        } catch let error as SluiceClientError where error.isUnknownTopic {
            throw CommandFailure.unknownTopic(name)
        }
    }

    /// Log start and log end offsets of partitions.
    func offsetRange(_ partitions: [TopicPartition]) async throws -> (starts: [TopicPartition: Int64], ends: [TopicPartition: Int64]) {
        guard !partitions.isEmpty else { return ([:], [:]) }
        let admin = try admin()
        return (try await admin.listOffsets(partitions, spec: .earliest), try await admin.listOffsets(partitions, spec: .latest))
    }
}

extension TopicDescription {
    /// Its partitions as topic-partitions.
    var topicPartitions: [TopicPartition] { partitions.map { TopicPartition(name, $0.partition) } }

    /// The replication factor (of partition 0; Kafka topics keep one factor).
    var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
}

extension RecordView {
    /// The command line's view of a consumed record.
    init(_ record: ConsumerRecord) {
        self.init(topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp,
                  key: record.key, value: record.value, headers: record.headers.map { (key: $0.key, value: $0.value) })
    }
}

/// Runs `body`, then `close` whether `body` threw or not: the async `defer` that producers and
/// consumers need (their `close()` is async).
@MainActor
func closing<Result>(_ close: () async -> Void, _ body: () async throws -> Result) async throws -> Result {
    let result: Result
    do {
        result = try await body()
    } catch {
        await close()
        throw error
    }
    await close()
    return result
}

/// `1 topic`, `3 topics`.
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

/// `[0,1,2]` as Kafka's tools print replica lists.
func nodeList(_ ids: [Int32]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
