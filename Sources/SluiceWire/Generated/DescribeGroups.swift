// generated from proto/ — do not edit
// Source: proto/kafka/DescribeGroups.json

/// Describes groups: state, protocol and members with their metadata and assignment.
///
/// API key 15; versions 0-5; flexible from v5.
public struct DescribeGroupsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 5

    /// Ids of the groups to describe. (all versions)
    public var groups: [String]
    /// Whether to return the operations the caller may perform on each group. (v3-5)
    public var includeAuthorizedOperations: Bool

    /// A value with every field given or left at its schema default.
    public init(
        groups: [String] = [],
        includeAuthorizedOperations: Bool = false
    ) {
        self.groups = groups
        self.includeAuthorizedOperations = includeAuthorizedOperations
    }

    /// Decodes the DescribeGroupsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 5
        self.groups = try reader.readArray(compact: flexible, minimumElementBytes: 1, "DescribeGroupsRequest.groups") { r throws(WireError) in try r.readString(compact: flexible, "DescribeGroupsRequest.groups") }
        if version >= 3 {
            self.includeAuthorizedOperations = try reader.readBool("DescribeGroupsRequest.includeAuthorizedOperations")
        }
        if flexible {
            try reader.readTaggedFields("DescribeGroupsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 5
        writer.writeArrayCount(self.groups.count, compact: flexible, nullable: false)
        for item in self.groups { writer.writeString(item, compact: flexible) }
        if version >= 3 {
            writer.writeBool(self.includeAuthorizedOperations)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Describes groups: state, protocol and members with their metadata and assignment.
///
/// API key 15; versions 0-5; flexible from v5.
public struct DescribeGroupsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...5
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 5

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-5)
    public var throttleTimeMs: Int32
    /// Description per group. (all versions)
    public var groups: [Group]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        groups: [Group] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.groups = groups
    }

    /// Decodes the DescribeGroupsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 5
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("DescribeGroupsResponse.throttleTimeMs")
        }
        self.groups = try reader.readArray(compact: flexible, minimumElementBytes: 7, "DescribeGroupsResponse.groups") { r throws(WireError) in try Group(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DescribeGroupsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 5
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.groups.count, compact: flexible, nullable: false)
        for item in self.groups { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Description per group.
    /// Present in v0-5.
    public struct Group: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Group id. (all versions)
        public var groupId: String
        /// Group state, e.g. "Stable". (all versions)
        public var groupState: String
        /// Group kind, "consumer" for consumers. (all versions)
        public var protocolType: String
        /// Chosen strategy while the group is stable, else empty. (all versions)
        public var protocolData: String
        /// Current members. (all versions)
        public var members: [Member]
        /// Bit set of permitted operations, or INT32_MIN if not asked for. (v3-5)
        public var authorizedOperations: Int32

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            groupId: String = "",
            groupState: String = "",
            protocolType: String = "",
            protocolData: String = "",
            members: [Member] = [],
            authorizedOperations: Int32 = -2147483648
        ) {
            self.errorCode = errorCode
            self.groupId = groupId
            self.groupState = groupState
            self.protocolType = protocolType
            self.protocolData = protocolData
            self.members = members
            self.authorizedOperations = authorizedOperations
        }

        /// Decodes the Group of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 5
            self.errorCode = try reader.readInt16("DescribeGroupsResponse.Group.errorCode")
            self.groupId = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.groupId")
            self.groupState = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.groupState")
            self.protocolType = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.protocolType")
            self.protocolData = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.protocolData")
            self.members = try reader.readArray(compact: flexible, minimumElementBytes: 5, "DescribeGroupsResponse.Group.members") { r throws(WireError) in try Member(from: &r, version: version) }
            if version >= 3 {
                self.authorizedOperations = try reader.readInt32("DescribeGroupsResponse.Group.authorizedOperations")
            }
            if flexible {
                try reader.readTaggedFields("DescribeGroupsResponse.Group tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 5
            writer.writeInt16(self.errorCode)
            writer.writeString(self.groupId, compact: flexible)
            writer.writeString(self.groupState, compact: flexible)
            writer.writeString(self.protocolType, compact: flexible)
            writer.writeString(self.protocolData, compact: flexible)
            writer.writeArrayCount(self.members.count, compact: flexible, nullable: false)
            for item in self.members { item.encode(into: &writer, version: version) }
            if version >= 3 {
                writer.writeInt32(self.authorizedOperations)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Current members.
        /// Present in v0-5.
        public struct Member: WireMessage, Equatable {
            /// Member id. (all versions)
            public var memberId: String
            /// Static member id, or null for a dynamic member. (v4-5; nullable v4-5)
            public var groupInstanceId: String?
            /// Client id the member connected with. (all versions)
            public var clientId: String
            /// Address the member connected from. (all versions)
            public var clientHost: String
            /// The member's subscription bytes. (all versions)
            public var memberMetadata: [UInt8]
            /// The member's current assignment bytes. (all versions)
            public var memberAssignment: [UInt8]

            /// A value with every field given or left at its schema default.
            public init(
                memberId: String = "",
                groupInstanceId: String? = nil,
                clientId: String = "",
                clientHost: String = "",
                memberMetadata: [UInt8] = [],
                memberAssignment: [UInt8] = []
            ) {
                self.memberId = memberId
                self.groupInstanceId = groupInstanceId
                self.clientId = clientId
                self.clientHost = clientHost
                self.memberMetadata = memberMetadata
                self.memberAssignment = memberAssignment
            }

            /// Decodes the Member of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 5
                self.memberId = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.Member.memberId")
                if version >= 4 {
                    self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "DescribeGroupsResponse.Group.Member.groupInstanceId")
                }
                self.clientId = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.Member.clientId")
                self.clientHost = try reader.readString(compact: flexible, "DescribeGroupsResponse.Group.Member.clientHost")
                self.memberMetadata = try reader.readBytes(compact: flexible, "DescribeGroupsResponse.Group.Member.memberMetadata")
                self.memberAssignment = try reader.readBytes(compact: flexible, "DescribeGroupsResponse.Group.Member.memberAssignment")
                if flexible {
                    try reader.readTaggedFields("DescribeGroupsResponse.Group.Member tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 5
                writer.writeString(self.memberId, compact: flexible)
                if version >= 4 {
                    writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
                }
                writer.writeString(self.clientId, compact: flexible)
                writer.writeString(self.clientHost, compact: flexible)
                writer.writeBytes(self.memberMetadata, compact: flexible)
                writer.writeBytes(self.memberAssignment, compact: flexible)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
