// generated from proto/ — do not edit
// Source: proto/kafka/ListGroups.json

/// Lists the groups a broker coordinates.
///
/// API key 16; versions 0-4; flexible from v3.
public struct ListGroupsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// Only list groups in these states; empty for all. (v4)
    public var statesFilter: [String]

    /// A value with every field given or left at its schema default.
    public init(
        statesFilter: [String] = []
    ) {
        self.statesFilter = statesFilter
    }

    /// Decodes the ListGroupsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        if version >= 4 {
            self.statesFilter = try reader.readArray(compact: flexible, minimumElementBytes: 1, "ListGroupsRequest.statesFilter") { r throws(WireError) in try r.readString(compact: flexible, "ListGroupsRequest.statesFilter") }
        }
        if flexible {
            try reader.readTaggedFields("ListGroupsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 4 {
            writer.writeArrayCount(self.statesFilter.count, compact: flexible, nullable: false)
            for item in self.statesFilter { writer.writeString(item, compact: flexible) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Lists the groups a broker coordinates.
///
/// API key 16; versions 0-4; flexible from v3.
public struct ListGroupsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-4)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// The groups found. (all versions)
    public var groups: [Group]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        groups: [Group] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.groups = groups
    }

    /// Decodes the ListGroupsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("ListGroupsResponse.throttleTimeMs")
        }
        self.errorCode = try reader.readInt16("ListGroupsResponse.errorCode")
        self.groups = try reader.readArray(compact: flexible, minimumElementBytes: 2, "ListGroupsResponse.groups") { r throws(WireError) in try Group(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("ListGroupsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeInt16(self.errorCode)
        writer.writeArrayCount(self.groups.count, compact: flexible, nullable: false)
        for item in self.groups { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// The groups found.
    /// Present in v0-4.
    public struct Group: WireMessage, Equatable {
        /// Group id. (all versions)
        public var groupId: String
        /// Group kind, "consumer" for consumers. (all versions)
        public var protocolType: String
        /// Group state, e.g. "Stable". (v4)
        public var groupState: String

        /// A value with every field given or left at its schema default.
        public init(
            groupId: String = "",
            protocolType: String = "",
            groupState: String = ""
        ) {
            self.groupId = groupId
            self.protocolType = protocolType
            self.groupState = groupState
        }

        /// Decodes the Group of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 3
            self.groupId = try reader.readString(compact: flexible, "ListGroupsResponse.Group.groupId")
            self.protocolType = try reader.readString(compact: flexible, "ListGroupsResponse.Group.protocolType")
            if version >= 4 {
                self.groupState = try reader.readString(compact: flexible, "ListGroupsResponse.Group.groupState")
            }
            if flexible {
                try reader.readTaggedFields("ListGroupsResponse.Group tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 3
            writer.writeString(self.groupId, compact: flexible)
            writer.writeString(self.protocolType, compact: flexible)
            if version >= 4 {
                writer.writeString(self.groupState, compact: flexible)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
