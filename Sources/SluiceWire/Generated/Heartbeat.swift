// generated from proto/ — do not edit
// Source: proto/kafka/Heartbeat.json

/// Keeps a group member alive; the answer tells it when to rejoin.
///
/// API key 12; versions 0-4; flexible from v4.
public struct HeartbeatRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .heartbeat
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Group id. (all versions)
    public var groupId: String
    /// Generation of the group. (all versions)
    public var generationId: Int32
    /// Member id. (all versions)
    public var memberId: String
    /// Static member id, or null for a dynamic member. (v3-4; nullable v3-4)
    public var groupInstanceId: String?

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        generationId: Int32 = 0,
        memberId: String = "",
        groupInstanceId: String? = nil
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    /// Decodes the HeartbeatRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        self.groupId = try reader.readString(compact: flexible, "HeartbeatRequest.groupId")
        self.generationId = try reader.readInt32("HeartbeatRequest.generationId")
        self.memberId = try reader.readString(compact: flexible, "HeartbeatRequest.memberId")
        if version >= 3 {
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "HeartbeatRequest.groupInstanceId")
        }
        if flexible {
            try reader.readTaggedFields("HeartbeatRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeString(self.groupId, compact: flexible)
        writer.writeInt32(self.generationId)
        writer.writeString(self.memberId, compact: flexible)
        if version >= 3 {
            writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Keeps a group member alive; the answer tells it when to rejoin.
///
/// API key 12; versions 0-4; flexible from v4.
public struct HeartbeatResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .heartbeat
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-4)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
    }

    /// Decodes the HeartbeatResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("HeartbeatResponse.throttleTimeMs")
        }
        self.errorCode = try reader.readInt16("HeartbeatResponse.errorCode")
        if flexible {
            try reader.readTaggedFields("HeartbeatResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeInt16(self.errorCode)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
