// generated from proto/ — do not edit
// Source: proto/kafka/DeleteGroups.json

/// Deletes empty groups and their committed offsets.
///
/// API key 42; versions 0-2; flexible from v2.
public struct DeleteGroupsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// Ids of the groups to delete. (all versions)
    public var groupsNames: [String]

    /// A value with every field given or left at its schema default.
    public init(
        groupsNames: [String] = []
    ) {
        self.groupsNames = groupsNames
    }

    /// Decodes the DeleteGroupsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.groupsNames = try reader.readArray(compact: flexible, minimumElementBytes: 1, "DeleteGroupsRequest.groupsNames") { r throws(WireError) in try r.readString(compact: flexible, "DeleteGroupsRequest.groupsNames") }
        if flexible {
            try reader.readTaggedFields("DeleteGroupsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArrayCount(self.groupsNames.count, compact: flexible, nullable: false)
        for item in self.groupsNames { writer.writeString(item, compact: flexible) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Deletes empty groups and their committed offsets.
///
/// API key 42; versions 0-2; flexible from v2.
public struct DeleteGroupsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteGroups
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Result per group. (all versions)
    public var results: [Group]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        results: [Group] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    /// Decodes the DeleteGroupsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("DeleteGroupsResponse.throttleTimeMs")
        self.results = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DeleteGroupsResponse.results") { r throws(WireError) in try Group(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DeleteGroupsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.results.count, compact: flexible, nullable: false)
        for item in self.results { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per group.
    /// Present in v0-2.
    public struct Group: WireMessage, Equatable {
        /// Group id. (all versions)
        public var groupId: String
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16

        /// A value with every field given or left at its schema default.
        public init(
            groupId: String = "",
            errorCode: Int16 = 0
        ) {
            self.groupId = groupId
            self.errorCode = errorCode
        }

        /// Decodes the Group of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.groupId = try reader.readString(compact: flexible, "DeleteGroupsResponse.Group.groupId")
            self.errorCode = try reader.readInt16("DeleteGroupsResponse.Group.errorCode")
            if flexible {
                try reader.readTaggedFields("DeleteGroupsResponse.Group tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeString(self.groupId, compact: flexible)
            writer.writeInt16(self.errorCode)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
