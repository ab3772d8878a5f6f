// generated from proto/ — do not edit
// Source: proto/internal/PeerAuth.json

/// The handshake that opens every authenticated inter-node connection: hello (connecting node), challenge (listening node, sent back on the same connection), proof (connecting node). Both sides prove they hold the cluster secret with HMAC-SHA256 over both nonces.
///
/// API key 1004; versions 0; flexible from v0.
public struct PeerAuthRequest: InternalMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: InternalApiKey = .peerAuth
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// 0 hello, 1 challenge, 2 proof. (all versions)
    public var step: Int8
    /// The connecting node. (all versions)
    public var fromNode: Int32
    /// The node it means to reach. (all versions)
    public var toNode: Int32
    /// The cluster both belong to. (all versions)
    public var clusterId: String
    /// Hello: the connecting node's 32 random bytes; challenge: the listening node's; proof: empty. (all versions)
    public var nonce: [UInt8]
    /// Challenge and proof: the sender's HMAC-SHA256 over the handshake; hello: empty. (all versions)
    public var proof: [UInt8]

    /// A value with every field given or left at its schema default.
    public init(
        step: Int8 = 0,
        fromNode: Int32 = 0,
        toNode: Int32 = 0,
        clusterId: String = "",
        nonce: [UInt8] = [],
        proof: [UInt8] = []
    ) {
        self.step = step
        self.fromNode = fromNode
        self.toNode = toNode
        self.clusterId = clusterId
        self.nonce = nonce
        self.proof = proof
    }

    /// Decodes the PeerAuthRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.step = try reader.readInt8("PeerAuthRequest.step")
        self.fromNode = try reader.readInt32("PeerAuthRequest.fromNode")
        self.toNode = try reader.readInt32("PeerAuthRequest.toNode")
        self.clusterId = try reader.readString(compact: true, "PeerAuthRequest.clusterId")
        self.nonce = try reader.readBytes(compact: true, "PeerAuthRequest.nonce")
        self.proof = try reader.readBytes(compact: true, "PeerAuthRequest.proof")
        try reader.readTaggedFields("PeerAuthRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt8(self.step)
        writer.writeInt32(self.fromNode)
        writer.writeInt32(self.toNode)
        writer.writeString(self.clusterId, compact: true)
        writer.writeBytes(self.nonce, compact: true)
        writer.writeBytes(self.proof, compact: true)
        writer.writeEmptyTaggedFields()
    }
}
