// generated from proto/ — do not edit
// Source: proto/kafka/SyncGroup.json

/// Hands out (leader) or collects (everyone) the partition assignment of a generation.
///
/// API key 14; versions 0-5; flexible from v4.
public struct SyncGroupRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .syncGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Group id. (all versions)
    public var groupId: String
    /// Generation of the group. (all versions)
    public var generationId: Int32
    /// Member id. (all versions)
    public var memberId: String
    /// Static member id, or null for a dynamic member. (v3-5; nullable v3-5)
    public var groupInstanceId: String?
    /// Group kind, or null. (v5; nullable v5)
    public var protocolType: String?
    /// Chosen strategy, or null. (v5; nullable v5)
    public var protocolName: String?
    /// Assignment per member; only the leader sends any. (all versions)
    public var assignments: [Assignment]

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        generationId: Int32 = 0,
        memberId: String = "",
        groupInstanceId: String? = nil,
        protocolType: String? = nil,
        protocolName: String? = nil,
        assignments: [Assignment] = []
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }

    /// Decodes the SyncGroupRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        self.groupId = try reader.readString(compact: flexible, "SyncGroupRequest.groupId")
        self.generationId = try reader.readInt32("SyncGroupRequest.generationId")
        self.memberId = try reader.readString(compact: flexible, "SyncGroupRequest.memberId")
        if version >= 3 {
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "SyncGroupRequest.groupInstanceId")
        }
        if version >= 5 {
            self.protocolType = try reader.readNullableString(compact: flexible, nullable: true, "SyncGroupRequest.protocolType")
        }
        if version >= 5 {
            self.protocolName = try reader.readNullableString(compact: flexible, nullable: true, "SyncGroupRequest.protocolName")
        }
        self.assignments = try reader.readArray(compact: flexible, minimumElementBytes: 2, "SyncGroupRequest.assignments") { r throws(WireError) in try Assignment(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("SyncGroupRequest tagged fields")
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
        if version >= 5 {
            writer.writeNullableString(self.protocolType, compact: flexible, nullable: true)
        }
        if version >= 5 {
            writer.writeNullableString(self.protocolName, compact: flexible, nullable: true)
        }
        writer.writeArrayCount(self.assignments.count, compact: flexible, nullable: false)
        for item in self.assignments { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Assignment per member; only the leader sends any.
    /// Present in v0-5.
    public struct Assignment: WireMessage, Equatable {
        /// Member id. (all versions)
        public var memberId: String
        /// Strategy-specific assignment bytes. (all versions)
        public var assignment: [UInt8]

        /// A value with every field given or left at its schema default.
        public init(
            memberId: String = "",
            assignment: [UInt8] = []
        ) {
            self.memberId = memberId
            self.assignment = assignment
        }

        /// Decodes the Assignment of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.memberId = try reader.readString(compact: flexible, "SyncGroupRequest.Assignment.memberId")
            self.assignment = try reader.readBytes(compact: flexible, "SyncGroupRequest.Assignment.assignment")
            if flexible {
                try reader.readTaggedFields("SyncGroupRequest.Assignment tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeString(self.memberId, compact: flexible)
            writer.writeBytes(self.assignment, compact: flexible)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Hands out (leader) or collects (everyone) the partition assignment of a generation.
///
/// API key 14; versions 0-5; flexible from v4.
public struct SyncGroupResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .syncGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-5)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Group kind, or null. (v5; nullable v5)
    public var protocolType: String?
    /// Chosen strategy, or null. (v5; nullable v5)
    public var protocolName: String?
    /// This member's assignment bytes. (all versions)
    public var assignment: [UInt8]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        protocolType: String? = nil,
        protocolName: String? = nil,
        assignment: [UInt8] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    /// Decodes the SyncGroupResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("SyncGroupResponse.throttleTimeMs")
        }
        self.errorCode = try reader.readInt16("SyncGroupResponse.errorCode")
        if version >= 5 {
            self.protocolType = try reader.readNullableString(compact: flexible, nullable: true, "SyncGroupResponse.protocolType")
        }
        if version >= 5 {
            self.protocolName = try reader.readNullableString(compact: flexible, nullable: true, "SyncGroupResponse.protocolName")
        }
        self.assignment = try reader.readBytes(compact: flexible, "SyncGroupResponse.assignment")
        if flexible {
            try reader.readTaggedFields("SyncGroupResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeInt16(self.errorCode)
        if version >= 5 {
            writer.writeNullableString(self.protocolType, compact: flexible, nullable: true)
        }
        if version >= 5 {
            writer.writeNullableString(self.protocolName, compact: flexible, nullable: true)
        }
        writer.writeBytes(self.assignment, compact: flexible)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
