// generated from proto/ — do not edit
// Source: proto/kafka/JoinGroup.json

/// Joins a classic consumer group and waits for the rebalance to finish.
///
/// API key 11; versions 0-9; flexible from v6.
public struct JoinGroupRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .joinGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...9
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// Group id. (all versions)
    public var groupId: String
    /// Member is removed if no heartbeat arrives for this long, in ms. (all versions)
    public var sessionTimeoutMs: Int32
    /// Longest the coordinator waits for members to rejoin, in ms. (v1-9)
    public var rebalanceTimeoutMs: Int32
    /// Member id from a previous join, empty on the first. (all versions)
    public var memberId: String
    /// Static member id, or null for a dynamic member. (v5-9; nullable v5-9)
    public var groupInstanceId: String?
    /// Kind of group, "consumer" for consumers. (all versions)
    public var protocolType: String
    /// Assignment strategies this member supports, in order of preference. (all versions)
    public var protocols: [GroupProtocol]
    /// Why the member (re)joins, or null. (v8-9; nullable v8-9)
    public var reason: String?

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        sessionTimeoutMs: Int32 = 0,
        rebalanceTimeoutMs: Int32 = -1,
        memberId: String = "",
        groupInstanceId: String? = nil,
        protocolType: String = "",
        protocols: [GroupProtocol] = [],
        reason: String? = nil
    ) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
        self.reason = reason
    }

    /// Decodes the JoinGroupRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        self.groupId = try reader.readString(compact: flexible, "JoinGroupRequest.groupId")
        self.sessionTimeoutMs = try reader.readInt32("JoinGroupRequest.sessionTimeoutMs")
        if version >= 1 {
            self.rebalanceTimeoutMs = try reader.readInt32("JoinGroupRequest.rebalanceTimeoutMs")
        }
        self.memberId = try reader.readString(compact: flexible, "JoinGroupRequest.memberId")
        if version >= 5 {
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "JoinGroupRequest.groupInstanceId")
        }
        self.protocolType = try reader.readString(compact: flexible, "JoinGroupRequest.protocolType")
        self.protocols = try reader.readArray(compact: flexible, minimumElementBytes: 2, "JoinGroupRequest.protocols") { r throws(WireError) in try GroupProtocol(from: &r, version: version) }
        if version >= 8 {
            self.reason = try reader.readNullableString(compact: flexible, nullable: true, "JoinGroupRequest.reason")
        }
        if flexible {
            try reader.readTaggedFields("JoinGroupRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
        writer.writeString(self.groupId, compact: flexible)
        writer.writeInt32(self.sessionTimeoutMs)
        if version >= 1 {
            writer.writeInt32(self.rebalanceTimeoutMs)
        }
        writer.writeString(self.memberId, compact: flexible)
        if version >= 5 {
            writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
        }
        writer.writeString(self.protocolType, compact: flexible)
        writer.writeArrayCount(self.protocols.count, compact: flexible, nullable: false)
        for item in self.protocols { item.encode(into: &writer, version: version) }
        if version >= 8 {
            writer.writeNullableString(self.reason, compact: flexible, nullable: true)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Assignment strategies this member supports, in order of preference.
    /// Present in v0-9.
    public struct GroupProtocol: WireMessage, Equatable {
        /// Strategy name, e.g. "range". (all versions)
        public var name: String
        /// Strategy-specific subscription bytes. (all versions)
        public var metadata: [UInt8]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            metadata: [UInt8] = []
        ) {
            self.name = name
            self.metadata = metadata
        }

        /// Decodes the GroupProtocol of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 6
            self.name = try reader.readString(compact: flexible, "JoinGroupRequest.GroupProtocol.name")
            self.metadata = try reader.readBytes(compact: flexible, "JoinGroupRequest.GroupProtocol.metadata")
            if flexible {
                try reader.readTaggedFields("JoinGroupRequest.GroupProtocol tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 6
            writer.writeString(self.name, compact: flexible)
            writer.writeBytes(self.metadata, compact: flexible)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Joins a classic consumer group and waits for the rebalance to finish.
///
/// API key 11; versions 0-9; flexible from v6.
public struct JoinGroupResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .joinGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...9
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v2-9)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Generation this rebalance produced. (all versions)
    public var generationId: Int32
    /// Group kind, or null. (v7-9; nullable v7-9)
    public var protocolType: String?
    /// Chosen strategy (nullable from v7). (all versions; nullable v7-9)
    public var protocolName: String?
    /// Member id of the group leader. (all versions)
    public var leader: String
    /// Whether the leader should skip computing the assignment. (v9)
    public var skipAssignment: Bool
    /// This member's id (also sent with MEMBER_ID_REQUIRED). (all versions)
    public var memberId: String
    /// All members with their subscriptions; only the leader gets a non-empty list. (all versions)
    public var members: [Member]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        generationId: Int32 = -1,
        protocolType: String? = nil,
        protocolName: String? = "",
        leader: String = "",
        skipAssignment: Bool = false,
        memberId: String = "",
        members: [Member] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leader = leader
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }

    /// Decodes the JoinGroupResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        if version >= 2 {
            self.throttleTimeMs = try reader.readInt32("JoinGroupResponse.throttleTimeMs")
        }
        self.errorCode = try reader.readInt16("JoinGroupResponse.errorCode")
        self.generationId = try reader.readInt32("JoinGroupResponse.generationId")
        if version >= 7 {
            self.protocolType = try reader.readNullableString(compact: flexible, nullable: true, "JoinGroupResponse.protocolType")
        }
        self.protocolName = try reader.readNullableString(compact: flexible, nullable: version >= 7, "JoinGroupResponse.protocolName")
        self.leader = try reader.readString(compact: flexible, "JoinGroupResponse.leader")
        if version >= 9 {
            self.skipAssignment = try reader.readBool("JoinGroupResponse.skipAssignment")
        }
        self.memberId = try reader.readString(compact: flexible, "JoinGroupResponse.memberId")
        self.members = try reader.readArray(compact: flexible, minimumElementBytes: 2, "JoinGroupResponse.members") { r throws(WireError) in try Member(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("JoinGroupResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
        if version >= 2 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeInt16(self.errorCode)
        writer.writeInt32(self.generationId)
        if version >= 7 {
            writer.writeNullableString(self.protocolType, compact: flexible, nullable: true)
        }
        writer.writeNullableString(self.protocolName, compact: flexible, nullable: version >= 7)
        writer.writeString(self.leader, compact: flexible)
        if version >= 9 {
            writer.writeBool(self.skipAssignment)
        }
        writer.writeString(self.memberId, compact: flexible)
        writer.writeArrayCount(self.members.count, compact: flexible, nullable: false)
        for item in self.members { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// All members with their subscriptions; only the leader gets a non-empty list.
    /// Present in v0-9.
    public struct Member: WireMessage, Equatable {
        /// Member id. (all versions)
        public var memberId: String
        /// Static member id, or null for a dynamic member. (v5-9; nullable v5-9)
        public var groupInstanceId: String?
        /// The member's subscription bytes. (all versions)
        public var metadata: [UInt8]

        /// A value with every field given or left at its schema default.
        public init(
            memberId: String = "",
            groupInstanceId: String? = nil,
            metadata: [UInt8] = []
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }

        /// Decodes the Member of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 6
            self.memberId = try reader.readString(compact: flexible, "JoinGroupResponse.Member.memberId")
            if version >= 5 {
                self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "JoinGroupResponse.Member.groupInstanceId")
            }
            self.metadata = try reader.readBytes(compact: flexible, "JoinGroupResponse.Member.metadata")
            if flexible {
                try reader.readTaggedFields("JoinGroupResponse.Member tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 6
            writer.writeString(self.memberId, compact: flexible)
            if version >= 5 {
                writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
            }
            writer.writeBytes(self.metadata, compact: flexible)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
