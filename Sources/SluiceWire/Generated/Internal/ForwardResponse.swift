// generated from proto/ — do not edit
// Source: proto/internal/ForwardResponse.json

/// One-way: the controller's answer to a ForwardRequest, or word that it no longer leads the controller quorum.
///
/// API key 1003; versions 0; flexible from v0.
public struct ForwardResponseRequest: InternalMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: InternalApiKey = .forwardResponse
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The answering node. (all versions)
    public var fromNode: Int32
    /// The sender's cluster id; a frame from another cluster is dropped. (all versions)
    public var clusterId: String
    /// The ForwardRequest's id. (all versions)
    public var forwardId: Int64
    /// Set when the answering node does not lead the controller quorum and did nothing: send the request to the current leader. (all versions)
    public var notController: Bool
    /// The response for the client exactly as it goes out: response header, then body (empty with notController). (all versions)
    public var response: [UInt8]

    /// A value with every field given or left at its schema default.
    public init(
        fromNode: Int32 = 0,
        clusterId: String = "",
        forwardId: Int64 = 0,
        notController: Bool = false,
        response: [UInt8] = []
    ) {
        self.fromNode = fromNode
        self.clusterId = clusterId
        self.forwardId = forwardId
        self.notController = notController
        self.response = response
    }

    /// Decodes the ForwardResponseRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.fromNode = try reader.readInt32("ForwardResponseRequest.fromNode")
        self.clusterId = try reader.readString(compact: true, "ForwardResponseRequest.clusterId")
        self.forwardId = try reader.readInt64("ForwardResponseRequest.forwardId")
        self.notController = try reader.readBool("ForwardResponseRequest.notController")
        self.response = try reader.readBytes(compact: true, "ForwardResponseRequest.response")
        try reader.readTaggedFields("ForwardResponseRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.fromNode)
        writer.writeString(self.clusterId, compact: true)
        writer.writeInt64(self.forwardId)
        writer.writeBool(self.notController)
        writer.writeBytes(self.response, compact: true)
        writer.writeEmptyTaggedFields()
    }
}
