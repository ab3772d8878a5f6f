import Foundation
import SluiceCore
import SluiceIO

/// Broker settings. Read from a Kafka-style `key=value` file, then `SLUICE_<KEY>` environment
/// variables (dots become underscores, upper case: `SLUICE_LOG_DIRS`), then `--key=value` flags.
/// An unknown key is an error, not silence.
public struct BrokerConfig: Equatable, Sendable {
    public var nodeID: Int32 = 0
    /// The client listeners of `listeners`, in their order. The first is the node's registered
    /// address (what a node that predates several listeners, or a tool reading the brokers
    /// table, uses).
    public var clientListeners = [ClientListener(name: "PLAINTEXT", host: "127.0.0.1", port: 9092)]
    /// `advertised.listeners`, by listener name.
    public var advertisedListeners: [String: AdvertisedAddress] = [:]
    public var logDirectory = "data"
    public var numPartitions: Int32 = 1
    /// Nil: min(3, live brokers): 1 in a cluster of one.
    public var defaultReplicationFactor: Int16?
    public var autoCreateTopics = true
    public var messageMaxBytes = Limits.messageBytesMaxDefault
    public var socketRequestMaxBytes = Limits.requestBytesMaxDefault
    /// Connections on the client listener; by default a quarter of the descriptor limit.
    public var maxConnections = Self.defaultBudget.connections
    /// Partition replicas this node may hold. Descriptors do not bound it (segment files open on
    /// demand within `logOpenFilesMax`); memory and start-up time do.
    public var maxPartitions = 100_000
    /// Segment `.log` files kept open for reuse (`log.open.files.max`); by default what the
    /// descriptor limit leaves after connections and a reserve.
    public var logOpenFilesMax = Self.defaultBudget.openFiles
    public var maxConnectionsPerIP = Int(Int32.max)
    public var connectionsMaxIdleMillis: Int64 = 600_000
    /// Bytes of client requests being read or handled at once (Kafka's queued.max.request.bytes).
    public var queuedMaxRequestBytes = 512 << 20
    /// A request whose first byte arrived must be whole within this (slow-loris bound).
    public var requestReadTimeoutMillis: Int64 = 30_000
    public var segmentBytes = Limits.segmentBytesDefault
    public var segmentMillis: Int64 = 7 * 24 * 3_600_000
    public var retentionMillis: Int64 = 7 * 24 * 3_600_000
    public var retentionBytes: Int64 = -1
    public var retentionCheckIntervalMillis: Int64 = 300_000
    public var ioThreads = 4
    public var networkThreads = 2
    public var groupInitialRebalanceDelayMillis: Int64 = 3_000
    public var groupMinSessionTimeoutMillis: Int32 = 6_000
    public var groupMaxSessionTimeoutMillis: Int32 = 1_800_000
    public var offsetsRetentionMinutes: Int64 = 7 * 24 * 60
    public var groupMaxSize = 1_000
    /// How many idempotent-producer ids each partition keeps, and for how long
    /// (`max.producer.ids.per.partition`, `producer.id.expiration.ms`).
    public var producerLimits = ProducerStateTable.Limits()
    /// The inter-node listener (`CONTROLLER://host:port` in `listeners`): Raft traffic of the
    /// controller quorum and of every partition. Nil on a cluster of one that other nodes do not join.
    public var interNodeHost: String?
    public var interNodePort: UInt16?
    /// `cluster.id` as configured: nil takes the data directory's, or makes one at the first start.
    public var clusterID: String?
    /// `controller.quorum.voters` as configured; empty means a cluster of one (see `quorumVoters`).
    public var controllerQuorumVoters: [QuorumVoter] = []
    public var minInsyncReplicas = 1
    /// A follower behind the leader's log end for longer than this leaves the in-sync set.
    public var replicaLagTimeMaxMillis: Int64 = 30_000
    public var rack: String?
    /// A broker that has not heartbeated to the controller for this long is fenced.
    public var brokerSessionTimeoutMillis: Int64 = 3_000
    public var brokerHeartbeatIntervalMillis: Int64 = 200
    /// How long a starting node waits to be registered before it serves clients anyway.
    public var registrationWaitMillis: Int64 = 15_000
    /// One Raft tick; elections time out after `raftElectionTimeoutMillis` (randomized up to 2×).
    public var raftTickMillis: Int64 = 50
    public var raftElectionTimeoutMillis: Int64 = 600
    /// Controller log entries kept before they are compacted into a snapshot of the metadata store.
    public var controllerCompactionEntries = 10_000
    /// Partitions of `__consumer_offsets` (a group's coordinator is the leader of one of them).
    public var offsetsTopicPartitions: Int32 = 16
    /// `segment.bytes` of `__consumer_offsets` when it is created: its log is cut behind a
    /// snapshot of the partition's offsets in whole closed segments (Kafka's default size).
    public var offsetsTopicSegmentBytes = 100 << 20
    /// `admin.listeners`: where `/metrics`, `/health` and `/ready` are served over HTTP; nil: off.
    public var adminListenHost: String?
    public var adminListenPort: UInt16?
    /// `metrics.partition.series`: one series per partition in /metrics (off: per-topic only).
    public var metricsPerPartition = false
    /// `diagnostics.format`: text or json diagnostics lines.
    public var diagnosticsFormat: Diagnostics.Format = .text
    /// `cluster.secret.file`: the shared secret every inter-node connection proves it holds.
    public var clusterSecretFile: String?
    /// `cluster.insecure=true`: run a cluster without peer authentication (logged at every start).
    public var clusterInsecure = false
    /// `listener.security.protocol.map` entries given (NAME → PLAINTEXT or SSL).
    public var securityProtocolMap: [String: String] = [:]
    /// TLS of the client listener (used when its protocol is SSL or SASL_SSL).
    public var tls = TLSSettings()
    /// `sasl.enabled.mechanisms` of a SASL listener.
    public var saslMechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-512"]
    /// `sasl.plain.allow.cleartext=true`: PLAIN on SASL_PLAINTEXT (passwords in clear text).
    public var saslPlainAllowCleartext = false
    /// `connection.failed.authentication.delay.ms`: how long after a failed authentication's
    /// answer its connection is closed.
    public var failedAuthenticationDelayMillis: Int64 = 100
    /// `sasl.server.max.receive.size`: the largest frame read from a client not yet authenticated.
    public var saslMaxReceiveBytes = 524_288
    /// `sasl.bootstrap.users.file`: `user:password` lines made SCRAM users at start if missing.
    public var saslBootstrapUsersFile: String?

    /// `authorizer.class.name` names Kafka's standard authorizer: ACLs are enforced.
    public var authorizerEnabled = false
    /// `super.users`: principals every check allows (`User:admin;User:ops`).
    public var superUsers: Set<String> = []
    /// `allow.everyone.if.no.acl.found`: a resource no ACL names is open to all (off: closed).
    public var allowEveryoneIfNoAclFound = false

    /// A client listener: `NAME://host:port` in `listeners`; NAME is a protocol (PLAINTEXT, SSL,
    /// SASL_PLAINTEXT, SASL_SSL) or a name `listener.security.protocol.map` maps to one.
    public struct ClientListener: Equatable, Sendable {
        public var name: String
        public var host: String
        public var port: UInt16
    }

    /// The address Metadata gives out for a listener.
    public struct AdvertisedAddress: Equatable, Sendable {
        public var host: String
        public var port: UInt16
    }

    /// The first client listener's bind host and name (see `clientListeners`).
    public var listenHost: String { clientListeners[0].host }
    public var clientListenerName: String { clientListeners[0].name }

    /// The `advertised.listeners` entry of a listener: the one of its name, or, with a single
    /// client listener, the single entry whatever its name (as before several were served).
    public func advertisedEntry(of listener: String) -> AdvertisedAddress? {
        if let entry = advertisedListeners[listener] { return entry }
        return clientListeners.count == 1 && advertisedListeners.count == 1 ? advertisedListeners.values.first : nil
    }

    /// Where clients are told to reach `listener`, given the port it is bound to.
    public func advertisedAddress(of listener: ClientListener, boundPort: UInt16) -> AdvertisedAddress {
        let entry = advertisedEntry(of: listener.name)
        let host = entry?.host ?? (listener.host == "0.0.0.0" ? "127.0.0.1" : listener.host)
        let own = boundPort != 0 ? boundPort : listener.port
        let port = entry.map { $0.port != 0 ? $0.port : own } ?? own
        return AdvertisedAddress(host: host, port: port)
    }

    /// The security protocol of a listener: its name mapped through
    /// `listener.security.protocol.map`, or the name itself when it names a protocol.
    public func securityProtocol(of listener: String) -> String? {
        securityProtocolMap[listener] ?? (["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].contains(listener) ? listener : nil)
    }

    /// Whether connections of `listener` authenticate with SASL.
    public func usesSASL(_ listener: String) -> Bool { securityProtocol(of: listener)?.hasPrefix("SASL_") == true }

    /// Whether connections of `listener` are TLS.
    public func usesTLS(_ listener: String) -> Bool { ["SSL", "SASL_SSL"].contains(securityProtocol(of: listener) ?? "") }

    /// Whether some client listener authenticates with SASL.
    public var anyListenerUsesSASL: Bool { clientListeners.contains { usesSASL($0.name) } }

    /// Where a TLS listener's certificates come from, and what it asks of clients.
    public struct TLSSettings: Equatable, Sendable {
        /// `ssl.keystore.location`: PEM with the private key and the certificate chain (leaf first).
        public var keystoreLocation: String?
        /// `ssl.certificate.location` / `ssl.key.location`: the chain and key in separate PEM files.
        public var certificateLocation: String?
        public var keyLocation: String?
        /// `ssl.key.password`: the passphrase of an encrypted private key.
        public var keyPassword: String?
        /// `ssl.truststore.location`: PEM certificates that client certificates must chain to.
        public var truststoreLocation: String?
        public var clientAuth: TLSClientAuth = .none
        /// `ssl.enabled.protocols` is TLSv1.3 alone (else TLSv1.2 and TLSv1.3).
        public var tls13Only = false
        public var handshakeTimeoutMillis: Int64 = 10_000
    }


    /// Mutual TLS for the inter-node listener when `listener.security.protocol.map` says
    /// CONTROLLER:SSL: this node's certificate (`ssl.keystore.location`, which must allow client
    /// and server use) and the cluster's authority (`ssl.truststore.location`), required of every
    /// peer in both directions. (nil, nil) for a clear-text inter-node channel.
    public func makeInterNodeTLSContexts() throws(ConfigError) -> (server: TLSContext?, client: TLSContext?) {
        guard securityProtocolMap["CONTROLLER"] == "SSL" else { return (nil, nil) }
        guard let chain = tls.certificateLocation ?? tls.keystoreLocation, let trusted = tls.truststoreLocation else {
            throw ConfigError(description: "CONTROLLER:SSL needs ssl.keystore.location (this node's certificate) and ssl.truststore.location (the cluster's authority)")
        }
        let key = tls.keyLocation ?? tls.keystoreLocation ?? chain
        do {
            let server = try TLSContext(serverCertificateChain: chain, privateKey: key, keyPassword: tls.keyPassword, trusted: trusted,
                                        clientAuth: .required, tls13Only: tls.tls13Only)
            let client = try TLSContext(clientTrusting: trusted, certificateChain: chain, privateKey: key, keyPassword: tls.keyPassword)
            return (server, client)
        } catch {
            throw ConfigError(description: "TLS of listener CONTROLLER: \(error.description)")
        }
    }

    /// The TLS context of the client listeners that serve TLS (one set of `ssl.*` files for all
    /// of them), loaded from the configured files; nil when none does. Called at start and on
    /// SIGHUP (a reload).
    public func makeTLSContext() throws(ConfigError) -> TLSContext? {
        guard let tlsListener = clientListeners.first(where: { usesTLS($0.name) })?.name else { return nil }
        guard let chain = tls.certificateLocation ?? tls.keystoreLocation else {
            throw ConfigError(description: "listener \(tlsListener) is SSL but neither ssl.keystore.location nor ssl.certificate.location is set")
        }
        let key = tls.keyLocation ?? tls.keystoreLocation ?? chain
        if tls.clientAuth != .none && tls.truststoreLocation == nil {
            throw ConfigError(description: "ssl.client.auth=\(tls.clientAuth.rawValue) needs ssl.truststore.location (the certificates client certificates must chain to)")
        }
        do {
            return try TLSContext(serverCertificateChain: chain, privateKey: key, keyPassword: tls.keyPassword,
                                  trusted: tls.truststoreLocation, clientAuth: tls.clientAuth, tls13Only: tls.tls13Only)
        } catch {
            throw ConfigError(description: "TLS of listener \(tlsListener): \(error.description)")
        }
    }

    /// One member of the controller quorum: `id@host:port`.
    public struct QuorumVoter: Equatable, Sendable {
        public var nodeID: Int32
        public var host: String
        public var port: UInt16
    }

    /// The controller quorum: the configured voters, or this node alone. A node started without
    /// `controller.quorum.voters` is a cluster of one and runs the same code as a larger cluster;
    /// its voter entry has port 0 (no inter-node listener is needed to reach itself).
    public var quorumVoters: [QuorumVoter] {
        controllerQuorumVoters.isEmpty ? [QuorumVoter(nodeID: nodeID, host: listenHost, port: 0)] : controllerQuorumVoters
    }

    /// Whether other nodes take part: then the inter-node listener and peer authentication are required.
    public var hasPeers: Bool { !controllerQuorumVoters.isEmpty }

    public init() {}

    /// The host and port clients are told to connect to, for the first client listener.
    public var advertised: (host: String, port: UInt16) {
        let address = advertisedAddress(of: clientListeners[0], boundPort: 0)
        return (address.host, address.port)
    }

    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Every key this broker understands, with how to apply it (see `BrokerSetting`).
    static let keys: [String: BrokerSetting] = Dictionary(uniqueKeysWithValues: BrokerSetting.all.map { ($0.key, $0) })

    /// Every setting as a Markdown table (key, values, default, meaning): `sluiced --settings`,
    /// and the README's list, which a test keeps equal to it.
    public static var settingsTable: String { BrokerSetting.markdownTable() }

    /// `listeners`: the client listeners (at most `clientListenersMax`) and, in a cluster, the
    /// inter-node one.
    mutating func setListeners(_ value: String) throws(ConfigError) {
        let parsed = try Self.listeners(value, "listeners")
        let names = parsed.map(\.0)
        guard Set(names).count == names.count else { throw ConfigError(description: "listeners names a listener twice: '\(value)'") }
        let clients = parsed.filter { $0.0 != "CONTROLLER" }.map { ClientListener(name: $0.0, host: $0.1, port: $0.2) }
        guard !clients.isEmpty else { throw ConfigError(description: "listeners has no client listener (only CONTROLLER), got '\(value)'") }
        guard clients.count <= Self.clientListenersMax else {
            throw ConfigError(description: "listeners: at most \(Self.clientListenersMax) client listeners per node, got \(clients.count) in '\(value)'")
        }
        let bound = clients.filter { $0.port != 0 }.map { "\($0.host):\($0.port)" }
        guard Set(bound).count == bound.count else { throw ConfigError(description: "listeners: two listeners on one address in '\(value)'") }
        clientListeners = clients
        interNodeHost = nil
        interNodePort = nil
        for (name, host, port) in parsed where name == "CONTROLLER" { (interNodeHost, interNodePort) = (host, port) }
    }

    /// Client listeners one node serves at most (each is a server with its own threads).
    public static let clientListenersMax = 8

    /// `advertised.listeners`: `NAME://host:port,...`, one per client listener at most.
    mutating func setAdvertisedListeners(_ value: String) throws(ConfigError) {
        var entries: [String: AdvertisedAddress] = [:]
        for (name, host, port) in try Self.listeners(value, "advertised.listeners") {
            guard name != "CONTROLLER" else { throw ConfigError(description: "advertised.listeners names CONTROLLER; it lists client listeners only") }
            guard entries[name] == nil else { throw ConfigError(description: "advertised.listeners names \(name) twice: '\(value)'") }
            entries[name] = AdvertisedAddress(host: host, port: port)
        }
        advertisedListeners = entries
    }

    /// `listener.security.protocol.map`: `NAME:PROTOCOL,...`.
    mutating func setSecurityProtocolMap(_ value: String) throws(ConfigError) {
        var map: [String: String] = [:]
        for entry in value.split(separator: ",") {
            let parts = entry.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].contains(parts[1]) else {
                throw ConfigError(description: "listener.security.protocol.map wants NAME:PROTOCOL entries (PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), got '\(entry)'")
            }
            map[parts[0]] = parts[1]
        }
        securityProtocolMap = map
    }

    /// The listener names and their protocols agree with what is served.
    private func validateListenerProtocols() throws(ConfigError) {
        for listener in clientListeners {
            guard let clientProtocol = securityProtocol(of: listener.name) else {
                throw ConfigError(description: "listener \(listener.name) has no security protocol: add \(listener.name):PLAINTEXT or \(listener.name):SSL to listener.security.protocol.map")
            }
            if clientProtocol == "SASL_PLAINTEXT" && saslMechanisms.contains("PLAIN") && !saslPlainAllowCleartext {
                throw ConfigError(description: "sasl.enabled.mechanisms has PLAIN on a SASL_PLAINTEXT listener (\(listener.name)), which sends passwords in clear text; use SASL_SSL, drop PLAIN, or set sasl.plain.allow.cleartext=true")
            }
        }
        for listener in clientListeners {
            let address = advertisedAddress(of: listener, boundPort: 0)
            guard (1...255).contains(listener.name.utf8.count), (1...255).contains(address.host.utf8.count) else {
                throw ConfigError(description: "listeners: a listener name and its advertised host must be 1-255 bytes, got \(listener.name) at '\(address.host)'")
            }
        }
        if clientListeners.count > 1 && socketRequestMaxBytes > queuedMaxRequestBytes / clientListeners.count {
            throw ConfigError(description: "queued.max.request.bytes (\(queuedMaxRequestBytes)) is shared by \(clientListeners.count) client listeners: each share must hold one socket.request.max.bytes (\(socketRequestMaxBytes)) request; raise the one or lower the other")
        }
        let names = Set(clientListeners.map(\.name))
        if clientListeners.count > 1, let stray = advertisedListeners.keys.sorted().first(where: { !names.contains($0) }) {
            throw ConfigError(description: "advertised.listeners names \(stray), which is not a client listener in listeners (\(clientListeners.map(\.name).joined(separator: ", ")))")
        }
        if let controller = securityProtocolMap["CONTROLLER"], controller != "PLAINTEXT" && controller != "SSL" {
            throw ConfigError(description: "listener CONTROLLER is \(controller) in listener.security.protocol.map; the inter-node listener is PLAINTEXT or SSL (mutual TLS), authenticated by cluster.secret.file")
        }
        _ = try makeInterNodeTLSContexts()
        _ = try makeTLSContext()
        if authorizerEnabled && clusterInsecure && hasPeers {
            throw ConfigError(description: "authorizer.class.name with cluster.insecure=true: anyone reaching the inter-node port could act as a node and pass every ACL check; set cluster.secret.file")
        }
    }

    /// Applies one `key=value` setting.
    public mutating func set(_ key: String, _ value: String) throws(ConfigError) {
        guard let setting = Self.keys[key] else {
            throw ConfigError(description: "unknown config key '\(key)'; known keys: \(Self.keys.keys.sorted().joined(separator: ", "))")
        }
        try setting.apply(&self, value.trimmingCharacters(in: .whitespaces))
    }

    /// Loads a properties file: `key=value` lines, `#` and `!` comments, blank lines ignored.
    public mutating func load(propertiesFile path: String) throws(ConfigError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(description: "cannot read config file \(path)")
        }
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(description: "\(path):\(number + 1): expected key=value, got '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            do { try set(key, String(line[line.index(after: equals)...])) } catch {
                throw ConfigError(description: "\(path):\(number + 1): \(error.description)")
            }
        }
    }

    /// The settings of `sluiced ARGUMENTS`: `--config FILE` files in order, then `SLUICE_<KEY>`
    /// variables from `environment`, then `--key value` settings (and `--override key=value`)
    /// in order; every flag takes its value after `=` or as the next argument. Checked as a whole.
    public init(commandLine arguments: [String], environment: [String: String]) throws(ConfigError) {
        var files: [String] = []
        var settings: [(String, String)] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ConfigError(description: "unexpected argument '\(argument)'; settings are --key=value or --key value, e.g. sluiced --listeners=127.0.0.1:9092 --log.dirs=data")
            }
            var name = String(argument.dropFirst(2))
            var value: String
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            } else if let next = rest.popFirst() {
                value = next
            } else {
                throw ConfigError(description: "--\(name) needs a value, e.g. --\(name)=VALUE or --\(name) VALUE")
            }
            switch name {
            case "config":
                files.append(value)
            case "override":
                guard let equals = value.firstIndex(of: "=") else {
                    throw ConfigError(description: "--override needs key=value, e.g. --override log.dirs=data; got '\(value)'")
                }
                settings.append((String(value[..<equals]), String(value[value.index(after: equals)...])))
            default:
                settings.append((name, value))
            }
        }
        self.init()
        for file in files { try load(propertiesFile: file) }
        try load(environment: environment)
        for (key, value) in settings { try set(key, value) }
        try validate()
    }

    /// Environment variables of the `sluice` CLI, which a broker started in the same shell
    /// leaves alone (as settings they would be unknown keys, and the broker would not start).
    static let clientVariables: Set<String> = ["SLUICE_BROKERS", "SLUICE_COMMAND_CONFIG", "SLUICE_PASSWORD", "SLUICE_METRICS"]

    /// Applies `SLUICE_<KEY>` variables from `environment`.
    public mutating func load(environment: [String: String]) throws(ConfigError) {
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("SLUICE_") && !Self.clientVariables.contains(name) {
            let key = name.dropFirst("SLUICE_".count).lowercased().replacingOccurrences(of: "_", with: ".")
            do { try set(key, value) } catch { throw ConfigError(description: "environment \(name): \(error.description)") }
        }
    }

    /// One directory: Sluice keeps a node's data in one place (no JBOD spreading yet).
    static func directory(_ value: String, _ key: String) throws(ConfigError) -> String {
        let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard parts.count == 1, let path = parts.first else {
            throw ConfigError(description: "\(key) wants exactly one directory (a node keeps all its data in one), got '\(value)'")
        }
        return path
    }
    static func diagnosticsFormat(_ value: String, _ key: String) throws(ConfigError) -> Diagnostics.Format {
        guard let format = Diagnostics.Format(rawValue: value) else { throw ConfigError(description: "\(key) wants text or json, got '\(value)'") }
        return format
    }
    /// A file path that exists and can be read (certificates, keys): checked when read, so a typo
    /// names its key rather than surfacing later as an OpenSSL error.
    static func readableFile(_ value: String, _ key: String) throws(ConfigError) -> String {
        guard FileManager.default.isReadableFile(atPath: value) else {
            throw ConfigError(description: "\(key): cannot read '\(value)'")
        }
        return value
    }

    private static func bool(_ value: String, _ key: String) throws(ConfigError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw ConfigError(description: "\(key) wants true or false, got '\(value)'")
        }
    }
    /// `NAME://host:port,NAME2://host:port`; a bare `host:port` is the client listener.
    static func listeners(_ value: String, _ key: String) throws(ConfigError) -> [(String, String, UInt16)] {
        var out: [(String, String, UInt16)] = []
        for part in value.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            let name = text.range(of: "://").map { String(text[..<$0.lowerBound]).uppercased() } ?? "PLAINTEXT"
            let (host, port) = try listener(text, key)
            out.append((name, host, port))
        }
        guard !out.isEmpty else { throw ConfigError(description: "\(key) wants e.g. PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093") }
        return out
    }

    /// `1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097`.
    /// A cluster id: 1-64 letters, digits, '.', '_' or '-' (it names the cluster in logs and in
    /// every inter-node frame); empty means none.
    static func clusterID(_ value: String) throws(ConfigError) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        let allowed = text.utf8.allSatisfy { b in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D }
        guard text.utf8.count <= 64, allowed else {
            throw ConfigError(description: "cluster.id wants 1-64 letters, digits, '.', '_' or '-' (as `sluice cluster info` prints it), got '\(text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())'")
        }
        return text
    }

    static func voters(_ value: String) throws(ConfigError) -> [QuorumVoter] {
        var out: [QuorumVoter] = []
        for part in value.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let at = text.firstIndex(of: "@"), let id = Int32(text[..<at]), id >= 0 else {
                throw ConfigError(description: "controller.quorum.voters wants id@host:port entries (e.g. 1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097), got '\(text)'")
            }
            let (host, port) = try listener(String(text[text.index(after: at)...]), "controller.quorum.voters")
            guard !out.contains(where: { $0.nodeID == id }) else { throw ConfigError(description: "controller.quorum.voters names node \(id) twice") }
            out.append(QuorumVoter(nodeID: id, host: host, port: port))
        }
        return out
    }

    /// Descriptors kept back for the process itself: SQLite, inter-node connections, accepts.
    static let descriptorReserve = 256

    /// The defaults the descriptor limit in force allows (sluiced raises it to the hard limit
    /// before reading its settings).
    static var defaultBudget: (connections: Int, openFiles: Int) {
        let limit = DescriptorLimit.current
        let connections = max(64, limit / 4)
        return (connections, max(16, limit - connections - descriptorReserve))
    }

    /// Checks settings that only make sense together.
    public func validate() throws(ConfigError) {
        try validateListenerProtocols()
        let descriptors = DescriptorLimit.current
        guard maxConnections + logOpenFilesMax + Self.descriptorReserve <= descriptors else {
            throw ConfigError(description: "max.connections (\(maxConnections)) + log.open.files.max (\(logOpenFilesMax)) + \(Self.descriptorReserve) exceeds the file descriptor limit \(descriptors); lower them or raise the limit (ulimit -n, LimitNOFILE=)")
        }
        guard messageMaxBytes <= socketRequestMaxBytes else {
            throw ConfigError(description: "message.max.bytes (\(messageMaxBytes)) must not exceed socket.request.max.bytes (\(socketRequestMaxBytes)): no request could carry such a batch")
        }
        guard socketRequestMaxBytes <= queuedMaxRequestBytes else {
            throw ConfigError(description: "socket.request.max.bytes (\(socketRequestMaxBytes)) must not exceed queued.max.request.bytes (\(queuedMaxRequestBytes)): such a request could never be read")
        }
        guard groupMinSessionTimeoutMillis <= groupMaxSessionTimeoutMillis else {
            throw ConfigError(description: "group.min.session.timeout.ms (\(groupMinSessionTimeoutMillis)) must not exceed group.max.session.timeout.ms (\(groupMaxSessionTimeoutMillis))")
        }
        guard brokerHeartbeatIntervalMillis < brokerSessionTimeoutMillis else {
            throw ConfigError(description: "broker.heartbeat.interval.ms (\(brokerHeartbeatIntervalMillis)) must be below broker.session.timeout.ms (\(brokerSessionTimeoutMillis)), or every broker is fenced between heartbeats")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: logDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ConfigError(description: "log.dirs \(logDirectory) is a file, not a directory")
        }
        guard raftElectionTimeoutMillis >= 4 * raftTickMillis else {
            throw ConfigError(description: "raft.election.timeout.ms must be at least 4 × raft.tick.ms")
        }
        for listener in clientListeners where listener.port == 0 && advertisedEntry(of: listener.name).map({ $0.port == 0 }) ?? true {
            throw ConfigError(description: "listeners: port 0 cannot be advertised (listener \(listener.name): a node registers its client ports before it listens); give a port, or an advertised.listeners port")
        }
        guard hasPeers else {
            guard interNodePort == nil else {
                throw ConfigError(description: "listeners has a CONTROLLER:// listener but controller.quorum.voters is empty; set the voters (e.g. 1@127.0.0.1:9093) or drop the listener for a cluster of one")
            }
            return
        }
        guard interNodePort != nil else {
            throw ConfigError(description: "controller.quorum.voters is set but listeners has no CONTROLLER:// listener; add e.g. listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        }
        if clusterSecretFile == nil && !clusterInsecure {
            throw ConfigError(description: "a cluster needs peer authentication: set cluster.secret.file to a file holding a shared secret (openssl rand -hex 32 > FILE, the same file on every node), or cluster.insecure=true to run without it")
        }
        if clusterSecretFile != nil && clusterInsecure {
            throw ConfigError(description: "cluster.secret.file and cluster.insecure=true contradict each other; drop one")
        }
    }

    /// `PLAINTEXT://host:port`, `host:port` or `:port`.
    static func listener(_ value: String, _ key: String) throws(ConfigError) -> (String, UInt16) {
        var text = value.split(separator: ",").first.map(String.init) ?? value
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ConfigError(description: "\(key) wants host:port (e.g. PLAINTEXT://127.0.0.1:9092), got '\(value)'")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
