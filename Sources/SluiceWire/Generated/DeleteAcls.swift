// generated from proto/ — do not edit
// Source: proto/kafka/DeleteAcls.json

/// Removes the access control entries that match each filter.
///
/// API key 31; versions 0-3; flexible from v2.
public struct DeleteAclsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// The filters; an entry matching any is removed. (all versions)
    public var filters: [Filter]

    /// A value with every field given or left at its schema default.
    public init(
        filters: [Filter] = []
    ) {
        self.filters = filters
    }

    /// Decodes the DeleteAclsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.filters = try reader.readArray(compact: flexible, minimumElementBytes: 6, "DeleteAclsRequest.filters") { r throws(WireError) in try Filter(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DeleteAclsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArrayCount(self.filters.count, compact: flexible, nullable: false)
        for item in self.filters { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// The filters; an entry matching any is removed.
    /// Present in v0-3.
    public struct Filter: WireMessage, Equatable {
        /// 1 any, or one resource type. (all versions)
        public var resourceTypeFilter: Int8
        /// A name, or null for any. (all versions; nullable v0-3)
        public var resourceNameFilter: String?
        /// 1 any, 2 match, 3 literal, 4 prefixed. (v1-3)
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

        /// Decodes the Filter of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.resourceTypeFilter = try reader.readInt8("DeleteAclsRequest.Filter.resourceTypeFilter")
            self.resourceNameFilter = try reader.readNullableString(compact: flexible, nullable: true, "DeleteAclsRequest.Filter.resourceNameFilter")
            if version >= 1 {
                self.patternTypeFilter = try reader.readInt8("DeleteAclsRequest.Filter.patternTypeFilter")
            }
            self.principalFilter = try reader.readNullableString(compact: flexible, nullable: true, "DeleteAclsRequest.Filter.principalFilter")
            self.hostFilter = try reader.readNullableString(compact: flexible, nullable: true, "DeleteAclsRequest.Filter.hostFilter")
            self.operation = try reader.readInt8("DeleteAclsRequest.Filter.operation")
            self.permissionType = try reader.readInt8("DeleteAclsRequest.Filter.permissionType")
            if flexible {
                try reader.readTaggedFields("DeleteAclsRequest.Filter tagged fields")
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
}

/// Removes the access control entries that match each filter.
///
/// API key 31; versions 0-3; flexible from v2.
public struct DeleteAclsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// One per filter, in order. (all versions)
    public var filterResults: [FilterResult]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        filterResults: [FilterResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.filterResults = filterResults
    }

    /// Decodes the DeleteAclsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("DeleteAclsResponse.throttleTimeMs")
        self.filterResults = try reader.readArray(compact: flexible, minimumElementBytes: 4, "DeleteAclsResponse.filterResults") { r throws(WireError) in try FilterResult(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DeleteAclsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.filterResults.count, compact: flexible, nullable: false)
        for item in self.filterResults { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// One per filter, in order.
    /// Present in v0-3.
    public struct FilterResult: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Why it failed, or null. (all versions; nullable v0-3)
        public var errorMessage: String?
        /// The entries removed. (all versions)
        public var matchingAcls: [MatchingAcl]

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            matchingAcls: [MatchingAcl] = []
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.matchingAcls = matchingAcls
        }

        /// Decodes the FilterResult of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.errorCode = try reader.readInt16("DeleteAclsResponse.FilterResult.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DeleteAclsResponse.FilterResult.errorMessage")
            self.matchingAcls = try reader.readArray(compact: flexible, minimumElementBytes: 9, "DeleteAclsResponse.FilterResult.matchingAcls") { r throws(WireError) in try MatchingAcl(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DeleteAclsResponse.FilterResult tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            writer.writeArrayCount(self.matchingAcls.count, compact: flexible, nullable: false)
            for item in self.matchingAcls { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// The entries removed.
        /// Present in v0-3.
        public struct MatchingAcl: WireMessage, Equatable {
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Why, or null. (all versions; nullable v0-3)
            public var errorMessage: String?
            /// The resource type. (all versions)
            public var resourceType: Int8
            /// The name or prefix. (all versions)
            public var resourceName: String
            /// 3 literal, 4 prefixed. (v1-3)
            public var patternType: Int8
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
                errorCode: Int16 = 0,
                errorMessage: String? = "",
                resourceType: Int8 = 0,
                resourceName: String = "",
                patternType: Int8 = 3,
                principal: String = "",
                host: String = "",
                operation: Int8 = 0,
                permissionType: Int8 = 0
            ) {
                self.errorCode = errorCode
                self.errorMessage = errorMessage
                self.resourceType = resourceType
                self.resourceName = resourceName
                self.patternType = patternType
                self.principal = principal
                self.host = host
                self.operation = operation
                self.permissionType = permissionType
            }

            /// Decodes the MatchingAcl of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 2
                self.errorCode = try reader.readInt16("DeleteAclsResponse.FilterResult.MatchingAcl.errorCode")
                self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DeleteAclsResponse.FilterResult.MatchingAcl.errorMessage")
                self.resourceType = try reader.readInt8("DeleteAclsResponse.FilterResult.MatchingAcl.resourceType")
                self.resourceName = try reader.readString(compact: flexible, "DeleteAclsResponse.FilterResult.MatchingAcl.resourceName")
                if version >= 1 {
                    self.patternType = try reader.readInt8("DeleteAclsResponse.FilterResult.MatchingAcl.patternType")
                }
                self.principal = try reader.readString(compact: flexible, "DeleteAclsResponse.FilterResult.MatchingAcl.principal")
                self.host = try reader.readString(compact: flexible, "DeleteAclsResponse.FilterResult.MatchingAcl.host")
                self.operation = try reader.readInt8("DeleteAclsResponse.FilterResult.MatchingAcl.operation")
                self.permissionType = try reader.readInt8("DeleteAclsResponse.FilterResult.MatchingAcl.permissionType")
                if flexible {
                    try reader.readTaggedFields("DeleteAclsResponse.FilterResult.MatchingAcl tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 2
                writer.writeInt16(self.errorCode)
                writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
                writer.writeInt8(self.resourceType)
                writer.writeString(self.resourceName, compact: flexible)
                if version >= 1 {
                    writer.writeInt8(self.patternType)
                }
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
