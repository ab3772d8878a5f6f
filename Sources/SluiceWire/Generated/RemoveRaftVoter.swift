// generated from proto/ — do not edit
// Source: proto/kafka/RemoveRaftVoter.json

/// Takes a voter out of the controller quorum; it goes on following the log without a vote (KIP-853).
///
/// API key 81; versions 0; flexible from v0.
public struct RemoveRaftVoterRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .removeRaftVoter
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The cluster the caller means, or null for any. (all versions; nullable v0)
    public var clusterId: String?
    /// The voter to remove. (all versions)
    public var voterId: Int32
    /// The voter's log directory id (all zero: any). (all versions)
    public var voterDirectoryId: WireUUID

    /// A value with every field given or left at its schema default.
    public init(
        clusterId: String? = nil,
        voterId: Int32 = 0,
        voterDirectoryId: WireUUID = .zero
    ) {
        self.clusterId = clusterId
        self.voterId = voterId
        self.voterDirectoryId = voterDirectoryId
    }

    /// Decodes the RemoveRaftVoterRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.clusterId = try reader.readNullableString(compact: true, nullable: true, "RemoveRaftVoterRequest.clusterId")
        self.voterId = try reader.readInt32("RemoveRaftVoterRequest.voterId")
        self.voterDirectoryId = try reader.readWireUUID("RemoveRaftVoterRequest.voterDirectoryId")
        try reader.readTaggedFields("RemoveRaftVoterRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeNullableString(self.clusterId, compact: true, nullable: true)
        writer.writeInt32(self.voterId)
        writer.writeWireUUID(self.voterDirectoryId)
        writer.writeEmptyTaggedFields()
    }
}

/// Takes a voter out of the controller quorum; it goes on following the log without a vote (KIP-853).
///
/// API key 81; versions 0; flexible from v0.
public struct RemoveRaftVoterResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .removeRaftVoter
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// 0, or why the voter was not removed. (all versions)
    public var errorCode: Int16
    /// Why, or null. (all versions; nullable v0)
    public var errorMessage: String?

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = nil
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// Decodes the RemoveRaftVoterResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("RemoveRaftVoterResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("RemoveRaftVoterResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "RemoveRaftVoterResponse.errorMessage")
        try reader.readTaggedFields("RemoveRaftVoterResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
        writer.writeEmptyTaggedFields()
    }
}
