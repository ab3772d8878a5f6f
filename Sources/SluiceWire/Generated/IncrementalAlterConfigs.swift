// generated from proto/ — do not edit
// Source: proto/kafka/IncrementalAlterConfigs.json

/// Sets, deletes, appends to or subtracts from individual configuration entries.
///
/// API key 44; versions 0-1; flexible from v1.
public struct IncrementalAlterConfigsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .incrementalAlterConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// Resources whose configs change. (all versions)
    public var resources: [Resource]
    /// Check the changes without applying them. (all versions)
    public var validateOnly: Bool

    /// A value with every field given or left at its schema default.
    public init(
        resources: [Resource] = [],
        validateOnly: Bool = false
    ) {
        self.resources = resources
        self.validateOnly = validateOnly
    }

    /// Decodes the IncrementalAlterConfigsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.resources = try reader.readArray(compact: flexible, minimumElementBytes: 3, "IncrementalAlterConfigsRequest.resources") { r throws(WireError) in try Resource(from: &r, version: version) }
        self.validateOnly = try reader.readBool("IncrementalAlterConfigsRequest.validateOnly")
        if flexible {
            try reader.readTaggedFields("IncrementalAlterConfigsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeArrayCount(self.resources.count, compact: flexible, nullable: false)
        for item in self.resources { item.encode(into: &writer, version: version) }
        writer.writeBool(self.validateOnly)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Resources whose configs change.
    /// Present in v0-1.
    public struct Resource: WireMessage, Equatable {
        /// Kind of resource: 2 topic, 4 broker, 8 broker logger. (all versions)
        public var resourceType: Int8
        /// Resource name (topic name or broker id). (all versions)
        public var resourceName: String
        /// Changes to apply. (all versions)
        public var configs: [Config]

        /// A value with every field given or left at its schema default.
        public init(
            resourceType: Int8 = 0,
            resourceName: String = "",
            configs: [Config] = []
        ) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }

        /// Decodes the Resource of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.resourceType = try reader.readInt8("IncrementalAlterConfigsRequest.Resource.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "IncrementalAlterConfigsRequest.Resource.resourceName")
            self.configs = try reader.readArray(compact: flexible, minimumElementBytes: 3, "IncrementalAlterConfigsRequest.Resource.configs") { r throws(WireError) in try Config(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("IncrementalAlterConfigsRequest.Resource tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            writer.writeArrayCount(self.configs.count, compact: flexible, nullable: false)
            for item in self.configs { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Changes to apply.
        /// Present in v0-1.
        public struct Config: WireMessage, Equatable {
            /// Config key. (all versions)
            public var name: String
            /// 0 set, 1 delete, 2 append, 3 subtract. (all versions)
            public var configOperation: Int8
            /// Operand of the operation, or null. (all versions; nullable v0-1)
            public var value: String?

            /// A value with every field given or left at its schema default.
            public init(
                name: String = "",
                configOperation: Int8 = 0,
                value: String? = ""
            ) {
                self.name = name
                self.configOperation = configOperation
                self.value = value
            }

            /// Decodes the Config of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 1
                self.name = try reader.readString(compact: flexible, "IncrementalAlterConfigsRequest.Resource.Config.name")
                self.configOperation = try reader.readInt8("IncrementalAlterConfigsRequest.Resource.Config.configOperation")
                self.value = try reader.readNullableString(compact: flexible, nullable: true, "IncrementalAlterConfigsRequest.Resource.Config.value")
                if flexible {
                    try reader.readTaggedFields("IncrementalAlterConfigsRequest.Resource.Config tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 1
                writer.writeString(self.name, compact: flexible)
                writer.writeInt8(self.configOperation)
                writer.writeNullableString(self.value, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Sets, deletes, appends to or subtracts from individual configuration entries.
///
/// API key 44; versions 0-1; flexible from v1.
public struct IncrementalAlterConfigsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .incrementalAlterConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Result per resource. (all versions)
    public var responses: [Resource]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        responses: [Resource] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    /// Decodes the IncrementalAlterConfigsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.throttleTimeMs = try reader.readInt32("IncrementalAlterConfigsResponse.throttleTimeMs")
        self.responses = try reader.readArray(compact: flexible, minimumElementBytes: 5, "IncrementalAlterConfigsResponse.responses") { r throws(WireError) in try Resource(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("IncrementalAlterConfigsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.responses.count, compact: flexible, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per resource.
    /// Present in v0-1.
    public struct Resource: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (all versions; nullable v0-1)
        public var errorMessage: String?
        /// Kind of resource: 2 topic, 4 broker, 8 broker logger. (all versions)
        public var resourceType: Int8
        /// Resource name (topic name or broker id). (all versions)
        public var resourceName: String

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            resourceType: Int8 = 0,
            resourceName: String = ""
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.resourceType = resourceType
            self.resourceName = resourceName
        }

        /// Decodes the Resource of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.errorCode = try reader.readInt16("IncrementalAlterConfigsResponse.Resource.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "IncrementalAlterConfigsResponse.Resource.errorMessage")
            self.resourceType = try reader.readInt8("IncrementalAlterConfigsResponse.Resource.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "IncrementalAlterConfigsResponse.Resource.resourceName")
            if flexible {
                try reader.readTaggedFields("IncrementalAlterConfigsResponse.Resource tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
