import SluiceIO
import SluiceWire

/// What the client knows about one partition from Metadata.
struct PartitionMetadata: Sendable {
    var partition: Int32
    var leader: Int32
    var leaderEpoch: Int32
    var replicas: [Int32]
    var isr: [Int32]
}

/// What the client knows about one topic from Metadata.
struct TopicMetadata: Sendable {
    var name: String
    var partitions: [PartitionMetadata]
    var isInternal: Bool
    var fetchedAtNanos: UInt64
}

/// The shared view of a cluster: bootstrap, one negotiated connection per broker, cached metadata.
/// An actor: connection attempts and metadata refreshes from many tasks serialize here, while the
/// actual I/O runs on the connections' threads.
actor Cluster {
    let config: ConnectionConfig
    private let bootstrap: [(host: String, port: Int)]
    private var brokers: [Int32: (host: String, port: Int)] = [:]
    /// Open or opening connections by node id; bootstrap connections use ids below -1000.
    private var connections: [Int32: Task<BrokerConnection, any Error>] = [:]
    private var topics: [String: TopicMetadata] = [:]
    private(set) var controllerId: Int32 = -1
    private var closed = false

    init(bootstrap: [String], config: ConnectionConfig) throws(SluiceClientError) {
        guard !bootstrap.isEmpty else { throw .invalidArgument("the bootstrap list is empty") }
        var parsed: [(host: String, port: Int)] = []
        for entry in bootstrap { parsed.append(try parseHostPort(entry)) }
        self.bootstrap = parsed
        self.config = config
    }

    /// Closes every connection; later calls throw `.closed`.
    func close() async {
        closed = true
        let tasks = connections.values
        connections = [:]
        for task in tasks { (try? await task.value)?.close() }
    }

    // MARK: connections

    /// The negotiated connection to `node`, opening it when needed. `dedicated` opens a second
    /// connection to the same broker for group coordination, as the Java client does: the broker
    /// answers each connection in order, so a JoinGroup held for a whole rebalance must not delay
    /// fetches and produces behind it.
    func connection(node: Int32, dedicated: Bool = false) async throws -> BrokerConnection {
        guard !closed else { throw SluiceClientError.closed }
        let key = dedicated ? -2_000_000 - node : node
        if let task = connections[key] {
            if let connection = try? await task.value, !connection.isClosed { return connection }
            if let current = connections[key], current == task { connections[key] = nil }
        }
        let address: (host: String, port: Int)
        if let known = brokers[node] {
            address = known
        } else if node <= -1000, Int(-1000 - node) < bootstrap.count {
            address = bootstrap[Int(-1000 - node)]
        } else {
            // Unknown node: the cached metadata may predate it (a cluster still starting).
            _ = try await refreshMetadata(topics: [])
            guard let known = brokers[node] else {
                throw SluiceClientError.protocolError(broker: "node \(node)", reason: "broker \(node) is not in the cluster metadata")
            }
            address = known
        }
        let config = self.config
        let task = Task { () throws -> BrokerConnection in
            let connection = try BrokerConnection(host: address.host, port: address.port, clientId: config.clientId,
                                                  connectTimeoutMillis: config.connectTimeoutMillis, tls: config.tls)
            do {
                try await Self.negotiate(connection, timeoutMillis: config.requestTimeoutMillis)
                if let sasl = config.sasl { try await Self.authenticate(connection, sasl, timeoutMillis: config.requestTimeoutMillis) }
            } catch {
                connection.close()
                throw error
            }
            return connection
        }
        connections[key] = task
        do {
            return try await task.value
        } catch {
            if let current = connections[key], current == task { connections[key] = nil }
            throw error
        }
    }

    /// Any live connection: an existing one, else the bootstrap brokers in order. The error
    /// lists every broker tried and why it failed.
    func anyConnection() async throws -> BrokerConnection {
        guard !closed else { throw SluiceClientError.closed }
        for (_, task) in connections.filter({ $0.key > -2_000_000 }).sorted(by: { $0.key > $1.key }) {
            if let connection = try? await task.value, !connection.isClosed { return connection }
        }
        var attempts: [String] = []
        for (index, _) in bootstrap.enumerated() {
            do {
                return try await connection(node: -1000 - Int32(index))
            } catch let error as SluiceClientError {
                // Wrong credentials are wrong on every broker: say so rather than "no broker".
                if case .authenticationFailed = error { throw error }
                attempts.append(error.description)
            }
        }
        for node in brokers.keys.sorted() {
            if let connection = try? await connection(node: node) { return connection }
        }
        throw SluiceClientError.noBrokerAvailable(attempts: attempts)
    }

    /// ApiVersions: ask with our highest version; a broker that does not speak it answers with a
    /// v0 body carrying error 35 and its own range, and we ask again with that.
    private static func negotiate(_ connection: BrokerConnection, timeoutMillis: Int) async throws {
        var version = ClientVersions.supported[.apiVersions]?.upperBound ?? 0
        for _ in 0..<3 {
            var writer = ByteWriter()
            ApiVersionsRequest(clientSoftwareName: "sluice-swift", clientSoftwareVersion: "0.1.0").encode(into: &writer, version: version)
            let frame = try await connection.roundTrip(api: .apiVersions, version: version, body: writer.bytes, timeoutMillis: timeoutMillis)
            let response: ApiVersionsResponse
            if let decoded = try? connection.decodeResponse(frame, api: .apiVersions, version: version, as: ApiVersionsResponse.self),
               decoded.errorCode == 0 {
                response = decoded
            } else {
                let fallback = try connection.decodeResponse(frame, api: .apiVersions, version: 0, as: ApiVersionsResponse.self)
                if fallback.errorCode == KafkaErrorCode.unsupportedVersion.rawValue,
                   let theirs = fallback.apiKeys.first(where: { $0.apiKey == ApiKey.apiVersions.rawValue }), theirs.maxVersion < version {
                    version = max(0, theirs.maxVersion)
                    continue
                }
                try SluiceClientError.check(fallback.errorCode, "ApiVersions to broker \(connection.address) failed")
                response = fallback
            }
            var ranges: [Int16: ClosedRange<Int16>] = [:]
            for key in response.apiKeys where key.minVersion <= key.maxVersion {
                ranges[key.apiKey] = key.minVersion...key.maxVersion
            }
            connection.setBrokerVersions(ranges)
            return
        }
        throw SluiceClientError.protocolError(broker: connection.address, reason: "ApiVersions negotiation did not converge")
    }

    // MARK: metadata

    /// Fetches metadata for `topics` (nil: all topics; empty: brokers only) and updates the cache.
    @discardableResult
    func refreshMetadata(topics wanted: [String]?, allowAutoCreate: Bool = false) async throws -> MetadataResponse {
        let connection = try await anyConnection()
        let version = try connection.requireVersion(.metadata)
        let request = MetadataRequest(topics: wanted.map { $0.map { MetadataRequest.Topic(name: $0) } },
                                      allowAutoTopicCreation: allowAutoCreate)
        let response = try await connection.send(request, version: version, expecting: MetadataResponse.self,
                                                 timeoutMillis: config.requestTimeoutMillis)
        for broker in response.brokers { brokers[broker.nodeId] = (broker.host, Int(broker.port)) }
        controllerId = response.controllerId
        let now = monotonicNanos()
        for topic in response.topics {
            guard let name = topic.name else { continue }
            if topic.errorCode != 0 {
                topics[name] = nil
                continue
            }
            let partitions = topic.partitions.map {
                PartitionMetadata(partition: $0.partitionIndex, leader: $0.leaderId, leaderEpoch: $0.leaderEpoch,
                                  replicas: $0.replicaNodes, isr: $0.isrNodes)
            }.sorted { $0.partition < $1.partition }
            topics[name] = TopicMetadata(name: name, partitions: partitions, isInternal: topic.isInternal, fetchedAtNanos: now)
        }
        return response
    }

    /// Cached metadata for `topic`, refreshed when missing or old. Waits up to `waitMillis` for a
    /// topic that is unknown or has no leader yet, then throws the broker's error.
    func topic(_ name: String, waitMillis: Int = 0, forceRefresh: Bool = false) async throws -> TopicMetadata {
        let maxAge = UInt64(config.metadataMaxAgeMillis) * 1_000_000
        if !forceRefresh, let cached = topics[name], nanosElapsed(since: cached.fetchedAtNanos) < maxAge,
           cached.partitions.allSatisfy({ $0.leader >= 0 }) {
            return cached
        }
        let deadline = monotonicNanos() + UInt64(max(waitMillis, 0)) * 1_000_000
        while true {
            let response = try await refreshMetadata(topics: [name])
            let entry = response.topics.first { $0.name == name }
            let code = entry?.errorCode ?? KafkaErrorCode.unknownTopicOrPartition.rawValue
            if code == 0, let cached = topics[name], cached.partitions.allSatisfy({ $0.leader >= 0 }), !cached.partitions.isEmpty {
                return cached
            }
            if monotonicNanos() >= deadline {
                let effective = code == 0 ? KafkaErrorCode.leaderNotAvailable.rawValue : code
                throw SluiceClientError.kafka(code: KafkaErrorCode(effective), message: "topic '\(name)' is not available")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    /// The leader of a partition (refreshing metadata when unknown).
    func leader(of partition: TopicPartition) async throws -> Int32 {
        let meta = try await topic(partition.topic)
        guard let entry = meta.partitions.first(where: { $0.partition == partition.partition }) else {
            let fresh = try await topic(partition.topic, forceRefresh: true)
            guard let entry = fresh.partitions.first(where: { $0.partition == partition.partition }), entry.leader >= 0 else {
                throw SluiceClientError.kafka(code: .unknownTopicOrPartition, message: "partition \(partition) does not exist")
            }
            return entry.leader
        }
        return entry.leader
    }

    /// Marks a topic's metadata stale (after NOT_LEADER and friends).
    func invalidate(topic: String) {
        topics[topic] = nil
    }

    /// The connection to the group coordinator of `group`.
    func coordinator(group: String) async throws -> BrokerConnection {
        var lastError: SluiceClientError?
        for attempt in 0..<10 {
            if attempt > 0 { try await Task.sleep(nanoseconds: 100_000_000) }
            let connection = try await anyConnection()
            let response = try await connection.send(FindCoordinatorRequest(key: group, keyType: 0), expecting: FindCoordinatorResponse.self,
                                                     timeoutMillis: config.requestTimeoutMillis)
            if response.errorCode != 0 {
                let error = SluiceClientError.kafka(code: KafkaErrorCode(response.errorCode),
                                                    message: "FindCoordinator for group '\(group)': \(response.errorMessage ?? "")")
                lastError = error
                if KafkaErrorCode(response.errorCode).isRetriable { continue }
                throw error
            }
            brokers[response.nodeId] = (response.host, Int(response.port))
            return try await self.connection(node: response.nodeId, dedicated: true)
        }
        throw lastError ?? SluiceClientError.kafka(code: KafkaErrorCode(15), message: "no coordinator for group '\(group)'")
    }

    /// The controller's connection (falls back to any broker when it is unknown or not among the brokers).
    func controller() async throws -> BrokerConnection {
        if controllerId < 0 || brokers[controllerId] == nil { try await refreshMetadata(topics: []) }
        // A controller not (yet) among the brokers: any broker answers NOT_CONTROLLER, and the caller retries.
        if controllerId >= 0, brokers[controllerId] != nil { return try await connection(node: controllerId) }
        return try await anyConnection()
    }

    /// Known broker ids and addresses.
    func brokerList() -> [(id: Int32, host: String, port: Int)] {
        brokers.map { ($0.key, $0.value.host, $0.value.port) }.sorted { $0.id < $1.id }
    }
}
