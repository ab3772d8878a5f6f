import SluiceCore
import SluiceIO

/// Every setting `sluiced` takes, in one table: its key, the values it accepts (type, range,
/// unit), its default and meaning, and how a value lands in a `BrokerConfig`. The parser, the
/// one-line errors and the settings list in the README (`sluiced --settings`, checked by a test)
/// all come from here.
struct BrokerSetting: Sendable {
    enum Kind: Sendable {
        /// A whole number in `min...max` (of `unit`, when the number has one).
        case integer(min: Int64, max: Int64, unit: String)
        /// `true` or `false`.
        case flag
        /// Free text of the given shape.
        case text(String)
    }

    let key: String
    let kind: Kind
    /// The default, as an operator would read it.
    let defaultValue: @Sendable (BrokerConfig) -> String
    let meaning: String
    let apply: @Sendable (inout BrokerConfig, String) throws(BrokerConfig.ConfigError) -> Void

    typealias ConfigError = BrokerConfig.ConfigError

    static func integer(_ key: String, _ range: ClosedRange<Int64>, unit: String = "", _ meaning: String,
                        get: @escaping @Sendable (BrokerConfig) -> String,
                        set: @escaping @Sendable (inout BrokerConfig, Int64) -> Void) -> BrokerSetting {
        BrokerSetting(key: key, kind: .integer(min: range.lowerBound, max: range.upperBound, unit: unit), defaultValue: get, meaning: meaning) {
            config, value throws(ConfigError) in
            guard let number = Int64(value), range.contains(number) else {
                let what = unit.isEmpty ? "a whole number" : "a whole number of \(unit)"
                throw ConfigError(description: "\(key) wants \(what) from \(range.lowerBound) to \(range.upperBound), got '\(value)'")
            }
            set(&config, number)
        }
    }

    static func flag(_ key: String, _ meaning: String, get: @escaping @Sendable (BrokerConfig) -> Bool,
                     set: @escaping @Sendable (inout BrokerConfig, Bool) -> Void) -> BrokerSetting {
        BrokerSetting(key: key, kind: .flag, defaultValue: { String(get($0)) }, meaning: meaning) { config, value throws(ConfigError) in
            switch value.lowercased() {
            case "true": set(&config, true)
            case "false": set(&config, false)
            default: throw ConfigError(description: "\(key) wants true or false, got '\(value)'")
            }
        }
    }

    static func text(_ key: String, _ shape: String, _ meaning: String, get: @escaping @Sendable (BrokerConfig) -> String,
                     set: @escaping @Sendable (inout BrokerConfig, String) throws(ConfigError) -> Void) -> BrokerSetting {
        BrokerSetting(key: key, kind: .text(shape), defaultValue: get, meaning: meaning, apply: set)
    }

    /// Time settings are bounded by whole numbers of years, so no conversion can overflow.
    static let yearMillis: Int64 = 365 * 86_400_000
    static let int32Max = Int64(Int32.max)

    static let all: [BrokerSetting] = identity + listeners + tls + cluster + topics + logs + groups

    private static let identity: [BrokerSetting] = [
        integer("node.id", 0...int32Max, "This node's id; unique in the cluster, recorded in its data directory.",
                get: { "\($0.nodeID)" }, set: { $0.nodeID = Int32($1) }),
        integer("broker.id", 0...int32Max, "Kafka's older name for node.id.", get: { "\($0.nodeID)" }, set: { $0.nodeID = Int32($1) }),
        text("log.dirs", "one directory", "Where this node keeps partition logs, Raft state and metadata.",
             get: { $0.logDirectory }, set: { c, v throws(ConfigError) in c.logDirectory = try BrokerConfig.directory(v, "log.dirs") }),
        text("log.dir", "one directory", "Same as log.dirs.",
             get: { $0.logDirectory }, set: { c, v throws(ConfigError) in c.logDirectory = try BrokerConfig.directory(v, "log.dir") }),
        text("diagnostics.format", "text or json", "Diagnostics on stderr: a line of text per event, or one JSON object (time, level, node, message).",
             get: { $0.diagnosticsFormat.rawValue }, set: { c, v throws(ConfigError) in c.diagnosticsFormat = try BrokerConfig.diagnosticsFormat(v, "diagnostics.format") }),
        text("log.format", "text or json", "Older name of diagnostics.format (it names no commit-log format).",
             get: { $0.diagnosticsFormat.rawValue }, set: { c, v throws(ConfigError) in c.diagnosticsFormat = try BrokerConfig.diagnosticsFormat(v, "log.format") }),
        text("broker.rack", "text", "The node's rack: replicas of a partition go to different racks first.",
             get: { $0.rack ?? "(none)" }, set: { c, v throws(ConfigError) in c.rack = v.isEmpty ? nil : v }),
    ]

    private static let listeners: [BrokerSetting] = [
        text("listeners", "NAME://host:port,...[,CONTROLLER://host:port]", "The client listeners (up to 8; each named by its protocol, PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, or by a name mapped to one) and, in a cluster, the inter-node one.",
             get: { $0.clientListeners.map { "\($0.name)://\($0.host):\($0.port)" }.joined(separator: ",") }, set: { c, v throws(ConfigError) in try c.setListeners(v) }),
        text("listener.security.protocol.map", "NAME:PROTOCOL,...", "The security protocol of each listener name: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (CONTROLLER: PLAINTEXT or SSL); names that are protocols map to themselves.",
             get: { c in c.securityProtocolMap.isEmpty ? "(protocol names map to themselves, CONTROLLER to PLAINTEXT)"
                        : c.securityProtocolMap.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") },
             set: { c, v throws(ConfigError) in try c.setSecurityProtocolMap(v) }),
        text("advertised.listeners", "NAME://host:port,...", "The address Metadata gives out for each client listener, by name (default: the listener's own); a client gets the addresses of the listener it came in on.",
             get: { _ in "(the listeners)" }, set: { c, v throws(ConfigError) in try c.setAdvertisedListeners(v) }),
        text("admin.listeners", "http://host:port, or empty for off", "Where /metrics, /health and /ready are served (HTTP).",
             get: { c in c.adminListenPort.map { "http://\(c.adminListenHost ?? "127.0.0.1"):\($0)" } ?? "(off)" },
             set: { c, v throws(ConfigError) in
                 guard !v.isEmpty else { c.adminListenHost = nil; c.adminListenPort = nil; return }
                 guard v.hasPrefix("http://") else { throw ConfigError(description: "admin.listeners wants http://host:port (or nothing for off), got '\(v)'") }
                 (c.adminListenHost, c.adminListenPort) = try BrokerConfig.listener(v, "admin.listeners")
             }),
        flag("metrics.partition.series", "Per-partition series in /metrics (log offsets); off, only per-topic aggregates, so 10,000 partitions do not flood a scrape.",
             get: { $0.metricsPerPartition }, set: { $0.metricsPerPartition = $1 }),
        integer("max.connections", 1...int32Max, "Open client connections; beyond it new ones are closed at once.",
                get: { _ in "¼ of the descriptor limit, at least 64" }, set: { $0.maxConnections = Int($1) }),
        integer("max.connections.per.ip", 1...int32Max, "Open client connections from one address.",
                get: { "\($0.maxConnectionsPerIP)" }, set: { $0.maxConnectionsPerIP = Int($1) }),
        integer("connections.max.idle.ms", 1...(yearMillis * 100), unit: "ms", "An idle client connection is closed after this.",
                get: { "\($0.connectionsMaxIdleMillis)" }, set: { $0.connectionsMaxIdleMillis = $1 }),
        integer("socket.request.max.bytes", 1024...int32Max, unit: "bytes", "Largest request; a larger size closes the connection.",
                get: { "\($0.socketRequestMaxBytes)" }, set: { $0.socketRequestMaxBytes = Int($1) }),
        integer("queued.max.request.bytes", 1024...(1 << 40), unit: "bytes",
                "Requests being read or handled at once; beyond it connections wait unread.",
                get: { "\($0.queuedMaxRequestBytes)" }, set: { $0.queuedMaxRequestBytes = Int($1) }),
        integer("request.read.timeout.ms", 100...3_600_000, unit: "ms", "A request must arrive whole this soon after its first byte.",
                get: { "\($0.requestReadTimeoutMillis)" }, set: { $0.requestReadTimeoutMillis = $1 }),
        integer("num.network.threads", 1...64, "Event-loop threads of the client listener.",
                get: { "\($0.networkThreads)" }, set: { $0.networkThreads = Int($1) }),
        integer("num.io.threads", 1...256, "Threads that run request handlers.", get: { "\($0.ioThreads)" }, set: { $0.ioThreads = Int($1) }),
    ]

    private static let cluster: [BrokerSetting] = [
        text("controller.quorum.voters", "id@host:port,…", "The controller quorum's voters when it starts (then changed with `sluice quorum`); empty: this node alone (a cluster of one).",
             get: { _ in "(none)" }, set: { c, v throws(ConfigError) in c.controllerQuorumVoters = try BrokerConfig.voters(v) }),
        text("cluster.id", "1-64 of A-Z a-z 0-9 . _ -", "An existing cluster to join: a new node then follows the controller quorum until `sluice quorum add-voter`; empty: the data directory's, made at its first start.",
             get: { $0.clusterID ?? "(none)" }, set: { c, v throws(ConfigError) in c.clusterID = try BrokerConfig.clusterID(v) }),
        text("cluster.secret.file", "path", "File with the shared secret nodes authenticate each other with (32+ bytes).",
             get: { _ in "(none)" }, set: { c, v throws(ConfigError) in c.clusterSecretFile = v.isEmpty ? nil : v }),
        flag("cluster.insecure", "Run a cluster without peer authentication (logged at every start).",
             get: { $0.clusterInsecure }, set: { $0.clusterInsecure = $1 }),
        integer("min.insync.replicas", 1...Int64(Int16.max), "Replicas that must hold a batch before acks=all is answered.",
                get: { "\($0.minInsyncReplicas)" }, set: { $0.minInsyncReplicas = Int($1) }),
        integer("replica.lag.time.max.ms", 100...3_600_000, unit: "ms",
                "A follower that has not reached the leader's log end for this long is out of sync (out of the ISR).",
                get: { "\($0.replicaLagTimeMaxMillis)" }, set: { $0.replicaLagTimeMaxMillis = $1 }),
        integer("broker.session.timeout.ms", 100...3_600_000, unit: "ms", "A node silent this long is fenced by the controller.",
                get: { "\($0.brokerSessionTimeoutMillis)" }, set: { $0.brokerSessionTimeoutMillis = $1 }),
        integer("broker.heartbeat.interval.ms", 10...600_000, unit: "ms", "How often a node heartbeats to the controller.",
                get: { "\($0.brokerHeartbeatIntervalMillis)" }, set: { $0.brokerHeartbeatIntervalMillis = $1 }),
        integer("broker.registration.wait.ms", 0...3_600_000, unit: "ms",
                "A starting node opens its client listener once it and the controller leader are registered, or after this.",
                get: { "\($0.registrationWaitMillis)" }, set: { $0.registrationWaitMillis = $1 }),
        integer("raft.tick.ms", 5...10_000, unit: "ms", "One Raft tick.", get: { "\($0.raftTickMillis)" }, set: { $0.raftTickMillis = $1 }),
        integer("raft.election.timeout.ms", 50...600_000, unit: "ms", "Election timeout (randomized up to 2×); at least 4 ticks.",
                get: { "\($0.raftElectionTimeoutMillis)" }, set: { $0.raftElectionTimeoutMillis = $1 }),
        integer("controller.log.compaction.entries", 10...100_000_000, "Controller log entries kept before a snapshot.",
                get: { "\($0.controllerCompactionEntries)" }, set: { $0.controllerCompactionEntries = Int($1) }),
    ]

    private static let tls: [BrokerSetting] = [
        text("ssl.keystore.type", "PEM", "The keystore's format: PEM only.", get: { _ in "PEM" }, set: { _, v throws(ConfigError) in
            guard v.uppercased() == "PEM" else { throw ConfigError(description: "ssl.keystore.type wants PEM (JKS and PKCS12 are not read), got '\(v)'") }
        }),
        text("ssl.keystore.location", "a PEM file", "The SSL listener's private key and certificate chain (leaf first) in one PEM file.",
             get: { $0.tls.keystoreLocation ?? "(none)" }, set: { c, v throws(ConfigError) in c.tls.keystoreLocation = try BrokerConfig.readableFile(v, "ssl.keystore.location") }),
        text("ssl.certificate.location", "a PEM file", "The certificate chain alone (librdkafka's name), with ssl.key.location; instead of the keystore.",
             get: { $0.tls.certificateLocation ?? "(none)" }, set: { c, v throws(ConfigError) in c.tls.certificateLocation = try BrokerConfig.readableFile(v, "ssl.certificate.location") }),
        text("ssl.key.location", "a PEM file", "The private key alone, with ssl.certificate.location.",
             get: { $0.tls.keyLocation ?? "(none)" }, set: { c, v throws(ConfigError) in c.tls.keyLocation = try BrokerConfig.readableFile(v, "ssl.key.location") }),
        text("ssl.key.password", "text", "The passphrase of an encrypted private key.",
             get: { $0.tls.keyPassword == nil ? "(none)" : "(set)" }, set: { c, v throws(ConfigError) in c.tls.keyPassword = v.isEmpty ? nil : v }),
        text("ssl.truststore.type", "PEM", "The truststore's format: PEM only.", get: { _ in "PEM" }, set: { _, v throws(ConfigError) in
            guard v.uppercased() == "PEM" else { throw ConfigError(description: "ssl.truststore.type wants PEM (JKS and PKCS12 are not read), got '\(v)'") }
        }),
        text("ssl.truststore.location", "a PEM file", "Certificates that client certificates must chain to (needed when ssl.client.auth is not none).",
             get: { $0.tls.truststoreLocation ?? "(none)" }, set: { c, v throws(ConfigError) in c.tls.truststoreLocation = try BrokerConfig.readableFile(v, "ssl.truststore.location") }),
        text("ssl.client.auth", "none, requested or required", "Whether clients are asked for a certificate (mutual TLS), and whether they must have one.",
             get: { $0.tls.clientAuth.rawValue }, set: { c, v throws(ConfigError) in
                 guard let auth = TLSClientAuth(rawValue: v.lowercased()) else { throw ConfigError(description: "ssl.client.auth wants none, requested or required, got '\(v)'") }
                 c.tls.clientAuth = auth
             }),
        text("ssl.enabled.protocols", "TLSv1.2,TLSv1.3 or TLSv1.3", "TLS versions accepted; older ones are always refused.",
             get: { $0.tls.tls13Only ? "TLSv1.3" : "TLSv1.2,TLSv1.3" }, set: { c, v throws(ConfigError) in
                 let versions = Set(v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                 guard !versions.isEmpty, versions.isSubset(of: ["TLSv1.2", "TLSv1.3"]), versions.contains("TLSv1.3") else {
                     throw ConfigError(description: "ssl.enabled.protocols wants TLSv1.2,TLSv1.3 or TLSv1.3, got '\(v)'")
                 }
                 c.tls.tls13Only = !versions.contains("TLSv1.2")
             }),
        integer("ssl.handshake.timeout.ms", 100...300_000, unit: "ms", "A TLS handshake not done this long after the connection was accepted closes it.",
                get: { "\($0.tls.handshakeTimeoutMillis)" }, set: { $0.tls.handshakeTimeoutMillis = $1 }),
        text("sasl.enabled.mechanisms", "SCRAM-SHA-256, SCRAM-SHA-512, PLAIN (comma-separated)", "Mechanisms a SASL_PLAINTEXT or SASL_SSL listener accepts.",
             get: { $0.saslMechanisms.joined(separator: ",") }, set: { c, v throws(ConfigError) in
                 let names = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                 guard !names.isEmpty, Set(names).isSubset(of: ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"]) else {
                     throw ConfigError(description: "sasl.enabled.mechanisms wants some of SCRAM-SHA-256, SCRAM-SHA-512, PLAIN, got '\(v)'")
                 }
                 c.saslMechanisms = names
             }),
        integer("sasl.server.max.receive.size", 1024...int32Max, unit: "bytes", "Largest request read from a client that has not authenticated yet; a larger one closes the connection.",
                get: { "\($0.saslMaxReceiveBytes)" }, set: { $0.saslMaxReceiveBytes = Int($1) }),
        integer("connection.failed.authentication.delay.ms", 0...10_000, unit: "ms", "A connection whose authentication failed is closed this long after the error is sent.",
                get: { "\($0.failedAuthenticationDelayMillis)" }, set: { $0.failedAuthenticationDelayMillis = $1 }),
        flag("sasl.plain.allow.cleartext", "Allow PLAIN on a SASL_PLAINTEXT listener, where passwords cross the network in clear text.",
             get: { $0.saslPlainAllowCleartext }, set: { $0.saslPlainAllowCleartext = $1 }),
        text("authorizer.class.name", "empty, or org.apache.kafka.metadata.authorizer.StandardAuthorizer", "Enforce ACLs (Kafka's standard authorizer; kafka.security.authorizer.AclAuthorizer is taken as the same).",
             get: { $0.authorizerEnabled ? "org.apache.kafka.metadata.authorizer.StandardAuthorizer" : "(none: everything allowed)" },
             set: { c, v throws(ConfigError) in
                 let known = ["org.apache.kafka.metadata.authorizer.StandardAuthorizer", "kafka.security.authorizer.AclAuthorizer"]
                 guard v.isEmpty || known.contains(v) else {
                     throw ConfigError(description: "authorizer.class.name wants org.apache.kafka.metadata.authorizer.StandardAuthorizer (or nothing for off), got '\(v)'")
                 }
                 c.authorizerEnabled = !v.isEmpty
             }),
        text("super.users", "User:name;User:other", "Principals allowed everything when the authorizer is on.",
             get: { $0.superUsers.isEmpty ? "(none)" : $0.superUsers.sorted().joined(separator: ";") }, set: { c, v throws(ConfigError) in
                 let users = v.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                 guard users.allSatisfy({ $0.hasPrefix("User:") && $0.count > 5 }) else {
                     throw ConfigError(description: "super.users wants User:name entries separated by ';', got '\(v)'")
                 }
                 c.superUsers = Set(users)
             }),
        flag("allow.everyone.if.no.acl.found", "With the authorizer on, a resource no ACL names is open to everyone (off: only super users).",
             get: { $0.allowEveryoneIfNoAclFound }, set: { $0.allowEveryoneIfNoAclFound = $1 }),
        text("sasl.bootstrap.users.file", "a file of user:password lines", "Users given SCRAM-SHA-256 and -512 credentials at start when they have none: how a new cluster gets its first administrator.",
             get: { $0.saslBootstrapUsersFile ?? "(none)" }, set: { c, v throws(ConfigError) in c.saslBootstrapUsersFile = try BrokerConfig.readableFile(v, "sasl.bootstrap.users.file") }),
    ]

    private static let topics: [BrokerSetting] = [
        integer("num.partitions", 1...10_000, "Partitions of a topic created without a count.",
                get: { "\($0.numPartitions)" }, set: { $0.numPartitions = Int32($1) }),
        integer("default.replication.factor", 1...Int64(Int16.max), "Replicas of a topic created without a factor (default: min(3, live brokers)).",
                get: { $0.defaultReplicationFactor.map { "\($0)" } ?? "min(3, live brokers)" }, set: { $0.defaultReplicationFactor = Int16($1) }),
        flag("auto.create.topics.enable", "Create a topic a client asks for that does not exist (the controller's setting decides); at most 1,000 per Metadata request, the rest answered LEADER_NOT_AVAILABLE until asked again.",
             get: { $0.autoCreateTopics }, set: { $0.autoCreateTopics = $1 }),
        integer("max.partitions", 1...10_000_000, "Partition replicas one node may hold (each costs memory and start-up time, not descriptors).",
                get: { "\($0.maxPartitions)" }, set: { $0.maxPartitions = Int($1) }),
        integer("message.max.bytes", 128...int32Max, unit: "bytes", "Largest record batch accepted; above 64 MiB (the largest entry a replicated log takes) a batch is refused whatever this or a topic's max.message.bytes says.",
                get: { "\($0.messageMaxBytes)" }, set: { $0.messageMaxBytes = Int($1) }),
        integer("offsets.topic.num.partitions", 1...1_000, "Partitions of __consumer_offsets when it is created; an existing topic keeps its count (a group's partition is its id's hash modulo the count).",
                get: { "\($0.offsetsTopicPartitions)" }, set: { $0.offsetsTopicPartitions = Int32($1) }),
        integer("offsets.topic.segment.bytes", 1024...int32Max, unit: "bytes",
                "Segment size of __consumer_offsets when it is created; its log is cut behind a snapshot of the offsets in whole closed segments, keeping the newest closed one and the active one.",
                get: { "\($0.offsetsTopicSegmentBytes)" }, set: { $0.offsetsTopicSegmentBytes = Int($1) }),
        integer("max.producer.ids.per.partition", Int64(ProducerStateTable.Limits.maxProducersRange.lowerBound)...Int64(ProducerStateTable.Limits.maxProducersRange.upperBound),
                "Idempotent-producer ids a partition keeps (up to about 370 bytes each); a new id past it forgets the least recently written, whose next batch is then taken as new.",
                get: { "\($0.producerLimits.maxProducers)" },
                set: { $0.producerLimits = .init(maxProducers: Int($1), expirationMillis: $0.producerLimits.expirationMillis) }),
        integer("producer.id.expiration.ms", ProducerStateTable.Limits.expirationMillisRange, unit: "ms",
                "A producer id with no batch written to a partition for this long is forgotten there (checked with retention; a clean restart keeps the times).",
                get: { "\($0.producerLimits.expirationMillis)" },
                set: { $0.producerLimits = .init(maxProducers: $0.producerLimits.maxProducers, expirationMillis: $1) }),
    ]

    private static let logs: [BrokerSetting] = [
        integer("log.segment.bytes", 1024...int32Max, unit: "bytes", "A segment rolls at this size.",
                get: { "\($0.segmentBytes)" }, set: { $0.segmentBytes = Int($1) }),
        integer("log.roll.ms", 1...(yearMillis * 100), unit: "ms", "A segment rolls at this age.",
                get: { "\($0.segmentMillis)" }, set: { $0.segmentMillis = $1 }),
        integer("log.roll.hours", 1...(yearMillis * 100 / 3_600_000), unit: "hours", "Same as log.roll.ms, in hours.",
                get: { "\($0.segmentMillis / 3_600_000)" }, set: { $0.segmentMillis = $1 * 3_600_000 }),
        integer("log.retention.ms", -1...(yearMillis * 1000), unit: "ms", "Segments older than this are deleted; -1: kept.",
                get: { "\($0.retentionMillis)" }, set: { $0.retentionMillis = $1 }),
        integer("log.retention.minutes", -1...(yearMillis * 1000 / 60_000), unit: "minutes", "Same as log.retention.ms, in minutes.",
                get: { "\($0.retentionMillis / 60_000)" }, set: { $0.retentionMillis = $1 == -1 ? -1 : $1 * 60_000 }),
        integer("log.retention.hours", -1...(yearMillis * 1000 / 3_600_000), unit: "hours", "Same as log.retention.ms, in hours.",
                get: { "\($0.retentionMillis / 3_600_000)" }, set: { $0.retentionMillis = $1 == -1 ? -1 : $1 * 3_600_000 }),
        integer("log.retention.bytes", -1...Int64.max, unit: "bytes", "A partition larger than this loses its oldest segments; -1: no bound.",
                get: { "\($0.retentionBytes)" }, set: { $0.retentionBytes = $1 }),
        integer("log.retention.check.interval.ms", 100...86_400_000, unit: "ms", "How often retention runs.",
                get: { "\($0.retentionCheckIntervalMillis)" }, set: { $0.retentionCheckIntervalMillis = $1 }),
        integer("log.open.files.max", 16...int32Max, "Segment files kept open for reuse; the least recently used closes when another opens.",
                get: { _ in "descriptor limit - max.connections' default - 256, at least 16" }, set: { $0.logOpenFilesMax = Int($1) }),
    ]

    private static let groups: [BrokerSetting] = [
        integer("group.initial.rebalance.delay.ms", 0...600_000, unit: "ms", "Wait for more members before a new group's first rebalance.",
                get: { "\($0.groupInitialRebalanceDelayMillis)" }, set: { $0.groupInitialRebalanceDelayMillis = $1 }),
        integer("group.min.session.timeout.ms", 1...int32Max, unit: "ms", "Shortest session timeout a member may ask for.",
                get: { "\($0.groupMinSessionTimeoutMillis)" }, set: { $0.groupMinSessionTimeoutMillis = Int32($1) }),
        integer("group.max.session.timeout.ms", 1...int32Max, unit: "ms", "Longest session timeout a member may ask for.",
                get: { "\($0.groupMaxSessionTimeoutMillis)" }, set: { $0.groupMaxSessionTimeoutMillis = Int32($1) }),
        integer("group.max.size", 1...1_000_000, "Members of one group.", get: { "\($0.groupMaxSize)" }, set: { $0.groupMaxSize = Int($1) }),
        integer("offsets.retention.minutes", 1...(yearMillis * 100 / 60_000), unit: "minutes", "Committed offsets of an empty group are kept this long (counted again after a restart or a coordinator move).",
                get: { "\($0.offsetsRetentionMinutes)" }, set: { $0.offsetsRetentionMinutes = $1 }),
    ]

    /// The settings list of the README: a Markdown table, one row per key.
    static func markdownTable() -> String {
        let defaults = BrokerConfig()
        var lines = ["| key | values | default | meaning |", "|---|---|---|---|"]
        for setting in all {
            let values: String
            switch setting.kind {
            case let .integer(min, max, unit): values = "\(min) to \(max)" + (unit.isEmpty ? "" : " \(unit)")
            case .flag: values = "true, false"
            case .text(let shape): values = shape
            }
            lines.append("| `\(setting.key)` | \(values) | \(setting.defaultValue(defaults)) | \(setting.meaning) |")
        }
        return lines.joined(separator: "\n")
    }
}
