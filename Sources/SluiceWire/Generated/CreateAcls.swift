// generated from proto/ — do not edit
// Source: proto/kafka/CreateAcls.json

/// Adds access control entries; v1 adds the resource pattern type.
///
/// API key 30; versions 0-3; flexible from v2.
public struct CreateAclsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// The ACLs to add. (all versions)
    public var creations: [Creation]

    /// A value with every field given or left at its schema default.
    public init(
        creations: [Creation] = []
    ) {
        self.creations = creations
    }

    /// Decodes the CreateAclsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.creations = try reader.readArray(compact: flexible, minimumElementBytes: 6, "CreateAclsRequest.creations") { r throws(WireError) in try Creation(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("CreateAclsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArrayCount(self.creations.count, compact: flexible, nullable: false)
        for item in self.creations { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// The ACLs to add.
    /// Present in v0-3.
    public struct Creation: WireMessage, Equatable {
        /// 2 topic, 3 group, 4 cluster, 5 transactional id. (all versions)
        public var resourceType: Int8
        /// The resource's name, a prefix of names, or * for every one. (all versions)
        public var resourceName: String
        /// 3 literal, 4 prefixed. (v1-3)
        public var resourcePatternType: Int8
        /// Who, e.g. User:alice, or User:* for everyone. (all versions)
        public var principal: String
        /// From which address, or * for any. (all versions)
        public var host: String
        /// 2 all, 3 read, 4 write, 5 create, 6 delete, 7 alter, 8 describe, 9 cluster action, 10 describe configs, 11 alter configs, 12 idempotent write. (all versions)
        public var operation: Int8
        /// 2 deny, 3 allow. (all versions)
        public var permissionType: Int8

        /// A value with every field given or left at its schema default.
        public init(
            resourceType: Int8 = 0,
            resourceName: String = "",
            resourcePatternType: Int8 = 3,
            principal: String = "",
            host: String = "",
            operation: Int8 = 0,
            permissionType: Int8 = 0
        ) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.resourcePatternType = resourcePatternType
            self.principal = principal
            self.host = host
            self.operation = operation
            self.permissionType = permissionType
        }

        /// Decodes the Creation of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.resourceType = try reader.readInt8("CreateAclsRequest.Creation.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "CreateAclsRequest.Creation.resourceName")
            if version >= 1 {
                self.resourcePatternType = try reader.readInt8("CreateAclsRequest.Creation.resourcePatternType")
            }
            self.principal = try reader.readString(compact: flexible, "CreateAclsRequest.Creation.principal")
            self.host = try reader.readString(compact: flexible, "CreateAclsRequest.Creation.host")
            self.operation = try reader.readInt8("CreateAclsRequest.Creation.operation")
            self.permissionType = try reader.readInt8("CreateAclsRequest.Creation.permissionType")
            if flexible {
                try reader.readTaggedFields("CreateAclsRequest.Creation tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            if version >= 1 {
                writer.writeInt8(self.resourcePatternType)
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

/// Adds access control entries; v1 adds the resource pattern type.
///
/// API key 30; versions 0-3; flexible from v2.
public struct CreateAclsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createAcls
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// One per creation, in order. (all versions)
    public var results: [CreationResult]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        results: [CreationResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    /// Decodes the CreateAclsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("CreateAclsResponse.throttleTimeMs")
        self.results = try reader.readArray(compact: flexible, minimumElementBytes: 3, "CreateAclsResponse.results") { r throws(WireError) in try CreationResult(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("CreateAclsResponse tagged fields")
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

    /// One per creation, in order.
    /// Present in v0-3.
    public struct CreationResult: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Why it failed, or null. (all versions; nullable v0-3)
        public var errorMessage: String?

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            errorMessage: String? = ""
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Decodes the CreationResult of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.errorCode = try reader.readInt16("CreateAclsResponse.CreationResult.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "CreateAclsResponse.CreationResult.errorMessage")
            if flexible {
                try reader.readTaggedFields("CreateAclsResponse.CreationResult tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
