// generated from proto/ — do not edit
// Source: proto/kafka/LeaveGroup.json

/// Removes members from a group; batched by member from v3.
///
/// API key 13; versions 0-5; flexible from v4.
public struct LeaveGroupRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .leaveGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Group id. (all versions)
    public var groupId: String
    /// The member leaving (v0-2). (v0-2)
    public var memberId: String
    /// Members leaving (v3+). (v3-5)
    public var members: [Member]

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        memberId: String = "",
        members: [Member] = []
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.members = members
    }

    /// Decodes the LeaveGroupRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        self.groupId = try reader.readString(compact: flexible, "LeaveGroupRequest.groupId")
        if version <= 2 {
            self.memberId = try reader.readString(compact: flexible, "LeaveGroupRequest.memberId")
        }
        if version >= 3 {
            self.members = try reader.readArray(compact: flexible, minimumElementBytes: 2, "LeaveGroupRequest.members") { r throws(WireError) in try Member(from: &r, version: version) }
        }
        if flexible {
            try reader.readTaggedFields("LeaveGroupRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeString(self.groupId, compact: flexible)
        if version <= 2 {
            writer.writeString(self.memberId, compact: flexible)
        }
        if version >= 3 {
            writer.writeArrayCount(self.members.count, compact: flexible, nullable: false)
            for item in self.members { item.encode(into: &writer, version: version) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Members leaving (v3+).
    /// Present in v3-5.
    public struct Member: WireMessage, Equatable {
        /// Member id. (all versions)
        public var memberId: String
        /// Static member id, or null for a dynamic member. (all versions; nullable v3-5)
        public var groupInstanceId: String?
        /// Why the member leaves, or null. (v5; nullable v5)
        public var reason: String?

        /// A value with every field given or left at its schema default.
        public init(
            memberId: String = "",
            groupInstanceId: String? = nil,
            reason: String? = nil
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.reason = reason
        }

        /// Decodes the Member of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.memberId = try reader.readString(compact: flexible, "LeaveGroupRequest.Member.memberId")
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "LeaveGroupRequest.Member.groupInstanceId")
            if version >= 5 {
                self.reason = try reader.readNullableString(compact: flexible, nullable: true, "LeaveGroupRequest.Member.reason")
            }
            if flexible {
                try reader.readTaggedFields("LeaveGroupRequest.Member tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeString(self.memberId, compact: flexible)
            writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
            if version >= 5 {
                writer.writeNullableString(self.reason, compact: flexible, nullable: true)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Removes members from a group; batched by member from v3.
///
/// API key 13; versions 0-5; flexible from v4.
public struct LeaveGroupResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .leaveGroup
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-5)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Result per member (v3+). (v3-5)
    public var members: [Member]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        members: [Member] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.members = members
    }

    /// Decodes the LeaveGroupResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("LeaveGroupResponse.throttleTimeMs")
        }
        self.errorCode = try reader.readInt16("LeaveGroupResponse.errorCode")
        if version >= 3 {
            self.members = try reader.readArray(compact: flexible, minimumElementBytes: 4, "LeaveGroupResponse.members") { r throws(WireError) in try Member(from: &r, version: version) }
        }
        if flexible {
            try reader.readTaggedFields("LeaveGroupResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeInt16(self.errorCode)
        if version >= 3 {
            writer.writeArrayCount(self.members.count, compact: flexible, nullable: false)
            for item in self.members { item.encode(into: &writer, version: version) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per member (v3+).
    /// Present in v3-5.
    public struct Member: WireMessage, Equatable {
        /// Member id. (all versions)
        public var memberId: String
        /// Static member id, or null for a dynamic member. (all versions; nullable v3-5)
        public var groupInstanceId: String?
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16

        /// A value with every field given or left at its schema default.
        public init(
            memberId: String = "",
            groupInstanceId: String? = "",
            errorCode: Int16 = 0
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }

        /// Decodes the Member of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.memberId = try reader.readString(compact: flexible, "LeaveGroupResponse.Member.memberId")
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "LeaveGroupResponse.Member.groupInstanceId")
            self.errorCode = try reader.readInt16("LeaveGroupResponse.Member.errorCode")
            if flexible {
                try reader.readTaggedFields("LeaveGroupResponse.Member tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeString(self.memberId, compact: flexible)
            writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
            writer.writeInt16(self.errorCode)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
