import SluiceCore
import SluiceIO
import SluiceLog
import SluiceWire

/// What one request needs to answer: its header, the version it speaks, where the answer goes.
struct RequestContext: Sendable {
    let header: RequestHeader
    let apiKey: ApiKey
    let version: Int16
    let connection: ConnectionContext
    let slot: ResponseSlot
    /// Set on a forwarded request being carried out as the controller: an answer saying
    /// NOT_CONTROLLER goes here instead, and the forwarder tries the new leader.
    var onNotController: (@Sendable () -> Void)? = nil
    /// Where the answer's time and size are counted, and when the handler started.
    var metrics: BrokerMetrics? = nil
    var startedNanos: UInt64 = 0
    /// A produce with acks=all: its answer's time is counted as commit latency too.
    var acksAll = false

    /// Who the request comes from, as ACLs name it (`User:alice`, `User:ANONYMOUS`).
    var principal = Principal.anonymous
    /// Client quotas: what this request is charged to, and how an answer is held back.
    var quota: QuotaCharge?

    var clientID: String { header.clientId ?? "" }
    var clientHost: String { connection.peer.description }

    /// Encodes `body` behind the right response header and completes the slot. Record bytes of
    /// `.external` fields go out with `sendfile`, spliced between the encoded pieces.
    /// `thenClose` ends the connection once the answer is written.
    func respond(_ body: KafkaResponse, thenClose: Bool = false) {
        if let reroute = onNotController, body.carriesNotController { return reroute() }
        var body = body
        var throttle: Int64 = 0
        if let quota {
            throttle = quota.throttle(for: body)
            body.setThrottle(throttle)
        }
        var writer = ByteWriter(capacity: 256)
        writer.writeInt32(header.correlationId)
        if responseHeaderVersion(apiKey: apiKey, version: version) >= 1 { writer.writeEmptyTaggedFields() }
        body.encode(into: &writer, version: version)
        if let metrics, case let .fetch(fetched) = body { Self.countFetched(fetched, metrics) }
        let parts = Self.parts(of: writer)
        complete(thenClose ? .lastParts(parts) : .parts(parts), throttledFor: throttle)
    }

    /// Completes the slot, counting the handling time and the bytes that go out. A client over a
    /// quota (`throttledFor`, or its request time) gets the answer that much later.
    func complete(_ response: FrameResponse, throttledFor throttle: Int64 = 0) {
        let seconds = Double(monotonicNanos() &- startedNanos) / 1e9
        if let metrics {
            let api = apiKey.name
            metrics.handleSeconds.observe(seconds, [api])
            if acksAll { metrics.acksAllSeconds.observe(seconds) }
            if case let .parts(parts) = response { metrics.responseBytes.add(Double(parts.reduce(0) { $0 + $1.byteCount }), [api]) }
        }
        guard let quota else { return slot.complete(response) }
        let wait = max(throttle, quota.chargeRequestTime(seconds: startedNanos == 0 ? 0 : seconds))
        guard wait > 0 else { return slot.complete(response) }
        quota.hold(wait) { [slot] in slot.complete(response) }
    }

    static func fetchedBytes(_ response: FetchResponse) -> Int {
        response.responses.reduce(0) { sum, topic in
            sum + topic.partitions.reduce(0) { total, partition in
                switch partition.records {
                case let .bytes(records)?: return total + records.count
                case let .external(records)?: return total + records.byteCount
                case nil: return total
                }
            }
        }
    }

    private static func countFetched(_ response: FetchResponse, _ metrics: BrokerMetrics) {
        for topic in response.responses {
            let bytes = topic.partitions.reduce(0) { total, partition in
                switch partition.records {
                case let .bytes(records)?: return total + records.count
                case let .external(records)?: return total + records.byteCount
                case nil: return total
                }
            }
            if bytes > 0 { metrics.fetchBytes.add(Double(bytes), [topic.topic]) }
        }
    }

    static func parts(of writer: ByteWriter) -> [OutboundPart] {
        guard !writer.splices.isEmpty else { return [.bytes(writer.bytes)] }
        var parts: [OutboundPart] = []
        var start = 0
        for splice in writer.splices {
            if splice.position > start { parts.append(.bytes(Array(writer.bytes[start..<splice.position]))) }
            if let slice = splice.source as? SliceRecords {
                parts.append(.file(FileRegion(descriptor: SharedFileDescriptor(borrowing: slice.slice.file.descriptor, keptOpenBy: slice.slice.file),
                                              offset: slice.slice.position, length: slice.slice.length)))
            }
            start = splice.position
        }
        if start < writer.bytes.count { parts.append(.bytes(Array(writer.bytes[start...]))) }
        return parts
    }
}

/// Batches of a segment file, sent with `sendfile` (never copied into the response).
struct SliceRecords: ExternalRecords {
    let slice: LogSlice
    var byteCount: Int { slice.length }
}

extension KafkaBroker {
    /// The versions this broker advertises: each fully implemented. Some minimums stay at 0
    /// because librdkafka probes features by them (it will not compress unless Produce starts at
    /// 0), while Fetch starts at 4, the first version that carries RecordBatch v2, the only format
    /// stored.
    static let advertisedVersions: [ApiKey: ClosedRange<Int16>] = [
        .produce: 0...7, .fetch: 4...11, .listOffsets: 0...6, .metadata: 0...12, .offsetForLeaderEpoch: 0...4,
        .offsetCommit: 0...8, .offsetFetch: 0...7, .findCoordinator: 0...2, .joinGroup: 0...9, .heartbeat: 0...4,
        .leaveGroup: 0...5, .syncGroup: 0...5, .describeGroups: 0...5, .listGroups: 0...4, .deleteGroups: 0...2, .offsetDelete: 0...0,
        .apiVersions: 0...4, .createTopics: 0...4, .deleteTopics: 0...3, .createPartitions: 0...1, .deleteRecords: 0...1,
        .initProducerId: 0...1, .describeConfigs: 0...1, .alterConfigs: 0...1, .incrementalAlterConfigs: 0...0,
        .alterPartitionReassignments: 0...0, .listPartitionReassignments: 0...0,
        .saslHandshake: 0...1, .saslAuthenticate: 0...2, .describeUserScramCredentials: 0...0, .alterUserScramCredentials: 0...0,
        .describeAcls: 0...3, .createAcls: 0...3, .deleteAcls: 0...3, .describeClientQuotas: 0...1, .alterClientQuotas: 0...1,
        .describeQuorum: 0...1, .addRaftVoter: 0...1, .removeRaftVoter: 0...0,
    ]

    /// Decodes one request frame and runs its handler. A frame that cannot be parsed, or that
    /// names an API or version we do not serve, closes the connection (what Kafka does), except
    /// ApiVersions, which always gets an answer (KIP-511).
    func handle(_ payload: [UInt8], connection: ConnectionContext, slot: ResponseSlot, arrivedNanos: UInt64 = monotonicNanos()) {
        if let sasl, sasl.expectsRawMessage(on: connection.id) {
            let reply = sasl.authenticateRaw(payload, on: connection)
            if sasl.user(of: connection.id) != nil { clientServer(for: connection.listener)?.liftFrameLimit(connection.id) }
            return slot.complete(reply.map { .bytes($0) } ?? .closeConnection)
        }
        var reader = ByteReader(payload)
        guard let header = try? RequestHeader(from: &reader) else { return slot.complete(.closeConnection) }
        guard let apiKey = ApiKey(rawValue: header.apiKey), let served = Self.advertisedVersions[apiKey] else {
            return slot.complete(.closeConnection)
        }
        // On a SASL listener nothing but the exchange is read from a connection not yet authenticated.
        if let sasl, config.usesSASL(connection.listener), !sasl.admits(apiKey, on: connection.id) { return slot.complete(.closeConnection) }
        var context = RequestContext(header: header, apiKey: apiKey, version: header.apiVersion, connection: connection, slot: slot)
        context.principal = Principal.of(saslUser: sasl?.user(of: connection.id), tlsSubject: connection.tlsPeerSubject)
        context.quota = quotaCharge(for: context, produceBytes: apiKey == .produce ? payload.count : 0)
        context.metrics = metrics
        context.startedNanos = monotonicNanos()
        // A version this broker does not serve is counted under one label, not its own: a client
        // may send any of 65,536, and each label set lives as long as the process.
        metrics.requests.add(1, [apiKey.name, served.contains(header.apiVersion) ? String(header.apiVersion) : "unsupported"])
        metrics.requestBytes.add(Double(payload.count), [apiKey.name])
        metrics.queueSeconds.observe(Double(context.startedNanos &- arrivedNanos) / 1e9, [apiKey.name])
        guard served.contains(header.apiVersion) else {
            if apiKey == .apiVersions { return respondUnsupportedApiVersions(context) }
            return slot.complete(.closeConnection)
        }
        let request: KafkaRequest
        do {
            request = try KafkaRequest(apiKey: apiKey, version: header.apiVersion, from: &reader)
        } catch {
            return slot.complete(.closeConnection)
        }
        if forwardIfControllerBound(payload, request, context) { return }
        route(request, context)
    }

    /// Runs the handler for `request`.
    func route(_ request: KafkaRequest, _ context: RequestContext) {
        if refuseIfNotCoordinator(request, context) { return }
        switch request {
        case let .apiVersions(body): handleApiVersions(body, context)
        case let .metadata(body): handleMetadata(body, context)
        case let .produce(body): handleProduce(body, context)
        case let .fetch(body): handleFetch(body, context)
        case let .offsetForLeaderEpoch(body): handleOffsetForLeaderEpoch(body, context)
        case let .listOffsets(body): handleListOffsets(body, context)
        case let .createTopics(body): handleCreateTopics(body, context)
        case let .deleteTopics(body): handleDeleteTopics(body, context)
        case let .createPartitions(body): handleCreatePartitions(body, context)
        case let .deleteRecords(body): handleDeleteRecords(body, context)
        case let .describeConfigs(body): handleDescribeConfigs(body, context)
        case let .alterConfigs(body): handleAlterConfigs(body, context)
        case let .incrementalAlterConfigs(body): handleIncrementalAlterConfigs(body, context)
        case let .initProducerId(body): handleInitProducerId(body, context)
        case let .findCoordinator(body): handleFindCoordinator(body, context)
        case let .joinGroup(body): handleJoinGroup(body, context)
        case let .syncGroup(body): handleSyncGroup(body, context)
        case let .heartbeat(body): handleHeartbeat(body, context)
        case let .leaveGroup(body): handleLeaveGroup(body, context)
        case let .offsetCommit(body): handleOffsetCommit(body, context)
        case let .offsetFetch(body): handleOffsetFetch(body, context)
        case let .listGroups(body): handleListGroups(body, context)
        case let .describeGroups(body): handleDescribeGroups(body, context)
        case let .deleteGroups(body): handleDeleteGroups(body, context)
        case let .offsetDelete(body): handleOffsetDelete(body, context)
        case let .alterPartitionReassignments(body): handleAlterPartitionReassignments(body, context)
        case let .listPartitionReassignments(body): handleListPartitionReassignments(body, context)
        case let .saslHandshake(body): handleSaslHandshake(body, context)
        case let .saslAuthenticate(body): handleSaslAuthenticate(body, context)
        case let .describeUserScramCredentials(body): handleDescribeUserScramCredentials(body, context)
        case let .alterUserScramCredentials(body): handleAlterUserScramCredentials(body, context)
        case let .describeAcls(body): handleDescribeAcls(body, context)
        case let .createAcls(body): handleCreateAcls(body, context)
        case let .deleteAcls(body): handleDeleteAcls(body, context)
        case let .describeClientQuotas(body): handleDescribeClientQuotas(body, context)
        case let .alterClientQuotas(body): handleAlterClientQuotas(body, context)
        case let .describeQuorum(body): handleDescribeQuorum(body, context)
        case let .addRaftVoter(body): handleAddRaftVoter(body, context)
        case let .removeRaftVoter(body): handleRemoveRaftVoter(body, context)
        }
    }
}
