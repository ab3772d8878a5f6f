// generated from proto/ — do not edit

/// A one-way inter-node message: a request body that is never answered.
public protocol InternalMessage: WireMessage {
    /// The API the message belongs to.
    static var apiKey: InternalApiKey { get }
    /// Versions the codec reads and writes.
    static var validVersions: ClosedRange<Int16> { get }
}

/// The inter-node APIs that have a schema in proto/internal: spoken only between nodes, on the inter-node listener, and never answered.
public enum InternalApiKey: Int16, Sendable, CaseIterable, CustomStringConvertible {
    /// One-way: Raft messages from one node to another, every group's in one frame (so the heartbeats of the partitions two nodes share travel together).
    case raftMessages = 1000
    /// One-way: a node tells another that it is alive, where it listens, and which partitions it leads.
    case brokerHeartbeat = 1001
    /// One-way: a node hands a client's controller-bound request (CreateTopics and the like) to the controller leader, which answers with a ForwardResponse (KIP-590's forwarding).
    case forwardRequest = 1002
    /// One-way: the controller's answer to a ForwardRequest, or word that it no longer leads the controller quorum.
    case forwardResponse = 1003
    /// The handshake that opens every authenticated inter-node connection: hello (connecting node), challenge (listening node, sent back on the same connection), proof (connecting node). Both sides prove they hold the cluster secret with HMAC-SHA256 over both nonces.
    case peerAuth = 1004

    /// Kafka's name for the API.
    public var name: String {
        switch self {
        case .raftMessages: return "RaftMessages"
        case .brokerHeartbeat: return "BrokerHeartbeat"
        case .forwardRequest: return "ForwardRequest"
        case .forwardResponse: return "ForwardResponse"
        case .peerAuth: return "PeerAuth"
        }
    }

    public var description: String { name }

    /// Versions the schema describes; the broker may advertise fewer.
    public var validVersions: ClosedRange<Int16> {
        switch self {
        case .raftMessages: return 0...0
        case .brokerHeartbeat: return 0...0
        case .forwardRequest: return 0...0
        case .forwardResponse: return 0...0
        case .peerAuth: return 0...0
        }
    }

    /// The first flexible version (compact lengths, tagged fields, header v2 / v1); nil when none is.
    public var firstFlexibleVersion: Int16? {
        switch self {
        case .raftMessages: return 0
        case .brokerHeartbeat: return 0
        case .forwardRequest: return 0
        case .forwardResponse: return 0
        case .peerAuth: return 0
        }
    }

    /// Whether `version` is flexible. Flexibility never ends once it starts, so versions above
    /// `validVersions` count as flexible too (a newer client's header is still read right).
    public func isFlexible(_ version: Int16) -> Bool {
        guard let first = firstFlexibleVersion else { return false }
        return version >= first
    }

    /// The request header version for `version`: 2 when flexible, else 1 (as for Kafka's APIs).
    public func requestHeaderVersion(_ version: Int16) -> Int16 {
        isFlexible(version) ? 2 : 1
    }
}

/// Any request body with a schema, tagged by API.
public enum InternalRequest: Sendable, Equatable {
    case raftMessages(RaftMessagesRequest)
    case brokerHeartbeat(BrokerHeartbeatRequest)
    case forwardRequest(ForwardRequestRequest)
    case forwardResponse(ForwardResponseRequest)
    case peerAuth(PeerAuthRequest)

    /// The API of the body.
    public var apiKey: InternalApiKey {
        switch self {
        case .raftMessages: return .raftMessages
        case .brokerHeartbeat: return .brokerHeartbeat
        case .forwardRequest: return .forwardRequest
        case .forwardResponse: return .forwardResponse
        case .peerAuth: return .peerAuth
        }
    }

    /// Decodes the body of `apiKey` at `version`; a version outside the schema's range throws.
    public init(apiKey: InternalApiKey, version: Int16, from reader: inout ByteReader) throws(WireError) {
        guard apiKey.validVersions.contains(version) else {
            throw .inconsistent("\(apiKey.name) request v\(version) is outside versions \(apiKey.validVersions)")
        }
        switch apiKey {
        case .raftMessages: self = .raftMessages(try RaftMessagesRequest(from: &reader, version: version))
        case .brokerHeartbeat: self = .brokerHeartbeat(try BrokerHeartbeatRequest(from: &reader, version: version))
        case .forwardRequest: self = .forwardRequest(try ForwardRequestRequest(from: &reader, version: version))
        case .forwardResponse: self = .forwardResponse(try ForwardResponseRequest(from: &reader, version: version))
        case .peerAuth: self = .peerAuth(try PeerAuthRequest(from: &reader, version: version))
        }
    }

    /// Encodes the body for `version`.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        switch self {
        case .raftMessages(let body): body.encode(into: &writer, version: version)
        case .brokerHeartbeat(let body): body.encode(into: &writer, version: version)
        case .forwardRequest(let body): body.encode(into: &writer, version: version)
        case .forwardResponse(let body): body.encode(into: &writer, version: version)
        case .peerAuth(let body): body.encode(into: &writer, version: version)
        }
    }
}
