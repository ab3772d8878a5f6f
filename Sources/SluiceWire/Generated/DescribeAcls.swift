// generated from proto/ — do not edit
// Source: proto/kafka/DescribeAcls.json

/// Lists the access control entries that match a filter.
///
/// API key 29; versions 0-3; flexible from v2.
public struct DescribeAclsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// 1 any, or one resource type. (all versions)
    public var resourceTypeFilter: Int8
    /// A name, or null for any. (all versions; nullable v0-3)
    public var resourceNameFilter: String?
    /// 1 any, 2 match (the patterns that would apply to the name), 3 literal, 4 prefixed. (v1-3)
    public var patternTypeFilter: Int8
    /// A principal, or null for any. (all versions; nullable v0-3)
    public var principalFilter: String?
    /// A host, or null for any. (all versions; nullable v0-3)
    public var hostFilter: String?
    /// 1 any, or one operation. (all versions)
    public var operation: Int8
    /// 1 any, 2 deny, 3 allow. (all versions)
    public var permissionType: Int8

    /// A value with every field given or left at its schema default.
    public init(
        resourceTypeFilter: Int8 = 0,
        resourceNameFilter: String? = "",
        patternTypeFilter: Int8 = 3,
        principalFilter: String? = "",
        hostFilter: String? = "",
        operation: Int8 = 0,
        permissionType: Int8 = 0
    ) {
        self.resourceTypeFilter = resourceTypeFilter
        self.resourceNameFilter = resourceNameFilter
        self.patternTypeFilter = patternTypeFilter
        self.principalFilter = principalFilter
        self.hostFilter = hostFilter
        self.operation = operation
        self.permissionType = permissionType
    }

    /// Decodes the DescribeAclsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.resourceTypeFilter = try reader.readInt8("DescribeAclsRequest.resourceTypeFilter")
        self.resourceNameFilter = try reader.readNullableString(compact: flexible, nullable: true, "DescribeAclsRequest.resourceNameFilter")
        if version >= 1 {
            self.patternTypeFilter = try reader.readInt8("DescribeAclsRequest.patternTypeFilter")
        }
        self.principalFilter = try reader.readNullableString(compact: flexible, nullable: true, "DescribeAclsRequest.principalFilter")
        self.hostFilter = try reader.readNullableString(compact: flexible, nullable: true, "DescribeAclsRequest.hostFilter")
        self.operation = try reader.readInt8("DescribeAclsRequest.operation")
        self.permissionType = try reader.readInt8("DescribeAclsRequest.permissionType")
        if flexible {
            try reader.readTaggedFields("DescribeAclsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt8(self.resourceTypeFilter)
        writer.writeNullableString(self.resourceNameFilter, compact: flexible, nullable: true)
        if version >= 1 {
            writer.writeInt8(self.patternTypeFilter)
        }
        writer.writeNullableString(self.principalFilter, compact: flexible, nullable: true)
        writer.writeNullableString(self.hostFilter, compact: flexible, nullable: true)
        writer.writeInt8(self.operation)
        writer.writeInt8(self.permissionType)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Lists the access control entries that match a filter.
///
/// API key 29; versions 0-3; flexible from v2.
public struct DescribeAclsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Why it failed, or null. (all versions; nullable v0-3)
    public var errorMessage: String?
    /// Each resource pattern with matching entries. (all versions)
    public var resources: [Resource]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = "",
        resources: [Resource] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.resources = resources
    }

    /// Decodes the DescribeAclsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("DescribeAclsResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("DescribeAclsResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DescribeAclsResponse.errorMessage")
        self.resources = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DescribeAclsResponse.resources") { r throws(WireError) in try Resource(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DescribeAclsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
        writer.writeArrayCount(self.resources.count, compact: flexible, nullable: false)
        for item in self.resources { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Each resource pattern with matching entries.
    /// Present in v0-3.
    public struct Resource: WireMessage, Equatable {
        /// The resource type. (all versions)
        public var resourceType: Int8
        /// The name or prefix. (all versions)
        public var resourceName: String
        /// 3 literal, 4 prefixed. (v1-3)
        public var patternType: Int8
        /// The entries. (all versions)
        public var acls: [Acl]

        /// A value with every field given or left at its schema default.
        public init(
            resourceType: Int8 = 0,
            resourceName: String = "",
            patternType: Int8 = 3,
            acls: [Acl] = []
        ) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.patternType = patternType
            self.acls = acls
        }

        /// Decodes the Resource of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.resourceType = try reader.readInt8("DescribeAclsResponse.Resource.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "DescribeAclsResponse.Resource.resourceName")
            if version >= 1 {
                self.patternType = try reader.readInt8("DescribeAclsResponse.Resource.patternType")
            }
            self.acls = try reader.readArray(compact: flexible, minimumElementBytes: 4, "DescribeAclsResponse.Resource.acls") { r throws(WireError) in try Acl(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DescribeAclsResponse.Resource tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            if version >= 1 {
                writer.writeInt8(self.patternType)
            }
            writer.writeArrayCount(self.acls.count, compact: flexible, nullable: false)
            for item in self.acls { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// The entries.
        /// Present in v0-3.
        public struct Acl: WireMessage, Equatable {
            /// Who. (all versions)
            public var principal: String
            /// From where. (all versions)
            public var host: String
            /// The operation. (all versions)
            public var operation: Int8
            /// 2 deny, 3 allow. (all versions)
            public var permissionType: Int8

            /// A value with every field given or left at its schema default.
            public init(
                principal: String = "",
                host: String = "",
                operation: Int8 = 0,
                permissionType: Int8 = 0
            ) {
                self.principal = principal
                self.host = host
                self.operation = operation
                self.permissionType = permissionType
            }

            /// Decodes the Acl of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 2
                self.principal = try reader.readString(compact: flexible, "DescribeAclsResponse.Resource.Acl.principal")
                self.host = try reader.readString(compact: flexible, "DescribeAclsResponse.Resource.Acl.host")
                self.operation = try reader.readInt8("DescribeAclsResponse.Resource.Acl.operation")
                self.permissionType = try reader.readInt8("DescribeAclsResponse.Resource.Acl.permissionType")
                if flexible {
                    try reader.readTaggedFields("DescribeAclsResponse.Resource.Acl tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 2
                writer.writeString(self.principal, compact: flexible)
                writer.writeString(self.host, compact: flexible)
                writer.writeInt8(self.operation)
                writer.writeInt8(self.permissionType)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
