// generated from proto/ — do not edit
// Source: proto/internal/ForwardRequest.json

/// One-way: a node hands a client's controller-bound request (CreateTopics and the like) to the controller leader, which answers with a ForwardResponse (KIP-590's forwarding).
///
/// API key 1002; versions 0; flexible from v0.
public struct ForwardRequestRequest: InternalMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: InternalApiKey = .forwardRequest
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The node the client sent the request to, where the answer goes. (all versions)
    public var fromNode: Int32
    /// The sender's cluster id; a frame from another cluster is dropped. (all versions)
    public var clusterId: String
    /// Chosen by the sending node; the answer carries it back. (all versions)
    public var forwardId: Int64
    /// The client's address, for the controller's log lines. (all versions)
    public var clientHost: String
    /// The client's request exactly as received: request header, then body. (all versions)
    public var request: [UInt8]
    /// Who the client authenticated as (User:alice), for the controller's authorization; null from a node that predates it. (all versions; nullable v0; tag 0)
    public var principal: String?

    /// A value with every field given or left at its schema default.
    public init(
        fromNode: Int32 = 0,
        clusterId: String = "",
        forwardId: Int64 = 0,
        clientHost: String = "",
        request: [UInt8] = [],
        principal: String? = nil
    ) {
        self.fromNode = fromNode
        self.clusterId = clusterId
        self.forwardId = forwardId
        self.clientHost = clientHost
        self.request = request
        self.principal = principal
    }

    /// Decodes the ForwardRequestRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.fromNode = try reader.readInt32("ForwardRequestRequest.fromNode")
        self.clusterId = try reader.readString(compact: true, "ForwardRequestRequest.clusterId")
        self.forwardId = try reader.readInt64("ForwardRequestRequest.forwardId")
        self.clientHost = try reader.readString(compact: true, "ForwardRequestRequest.clientHost")
        self.request = try reader.readBytes(compact: true, "ForwardRequestRequest.request")
        try reader.readTaggedFields("ForwardRequestRequest tagged fields") { tag, field throws(WireError) in
            switch tag {
            case 0:
                self.principal = try field.readNullableString(compact: true, nullable: true, "ForwardRequestRequest.principal")
            default:
                break
            }
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.fromNode)
        writer.writeString(self.clusterId, compact: true)
        writer.writeInt64(self.forwardId)
        writer.writeString(self.clientHost, compact: true)
        writer.writeBytes(self.request, compact: true)
        var taggedCount: UInt32 = 0
        if self.principal != nil { taggedCount += 1 }
        writer.writeUnsignedVarint(taggedCount)
        if self.principal != nil {
            var tagged = ByteWriter()
            tagged.writeNullableString(self.principal, compact: true, nullable: true)
            writer.writeUnsignedVarint(0)
            writer.writeUnsignedVarint(UInt32(tagged.count))
            writer.writeRaw(tagged.bytes)
        }
    }
}
