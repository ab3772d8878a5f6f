// generated from proto/ — do not edit
// Source: proto/kafka/DescribeConfigs.json

/// Returns the configuration entries of topics or brokers.
///
/// API key 32; versions 0-4; flexible from v4.
public struct DescribeConfigsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Resources (topics, brokers) to describe. (all versions)
    public var resources: [Resource]
    /// Whether to return synonyms. (v1-4)
    public var includeSynonyms: Bool
    /// Whether to return documentation. (v3-4)
    public var includeDocumentation: Bool

    /// A value with every field given or left at its schema default.
    public init(
        resources: [Resource] = [],
        includeSynonyms: Bool = false,
        includeDocumentation: Bool = false
    ) {
        self.resources = resources
        self.includeSynonyms = includeSynonyms
        self.includeDocumentation = includeDocumentation
    }

    /// Decodes the DescribeConfigsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        self.resources = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DescribeConfigsRequest.resources") { r throws(WireError) in try Resource(from: &r, version: version) }
        if version >= 1 {
            self.includeSynonyms = try reader.readBool("DescribeConfigsRequest.includeSynonyms")
        }
        if version >= 3 {
            self.includeDocumentation = try reader.readBool("DescribeConfigsRequest.includeDocumentation")
        }
        if flexible {
            try reader.readTaggedFields("DescribeConfigsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeArrayCount(self.resources.count, compact: flexible, nullable: false)
        for item in self.resources { item.encode(into: &writer, version: version) }
        if version >= 1 {
            writer.writeBool(self.includeSynonyms)
        }
        if version >= 3 {
            writer.writeBool(self.includeDocumentation)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Resources (topics, brokers) to describe.
    /// Present in v0-4.
    public struct Resource: WireMessage, Equatable {
        /// Kind of resource: 2 topic, 4 broker, 8 broker logger. (all versions)
        public var resourceType: Int8
        /// Resource name (topic name or broker id). (all versions)
        public var resourceName: String
        /// Keys to return, or null for all. (all versions; nullable v0-4)
        public var configurationKeys: [String]?

        /// A value with every field given or left at its schema default.
        public init(
            resourceType: Int8 = 0,
            resourceName: String = "",
            configurationKeys: [String]? = []
        ) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configurationKeys = configurationKeys
        }

        /// Decodes the Resource of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.resourceType = try reader.readInt8("DescribeConfigsRequest.Resource.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "DescribeConfigsRequest.Resource.resourceName")
            self.configurationKeys = try reader.readNullableArray(compact: flexible, nullable: true, minimumElementBytes: 1, "DescribeConfigsRequest.Resource.configurationKeys") { r throws(WireError) in try r.readString(compact: flexible, "DescribeConfigsRequest.Resource.configurationKeys") }
            if flexible {
                try reader.readTaggedFields("DescribeConfigsRequest.Resource tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            writer.writeArrayCount(self.configurationKeys?.count, compact: flexible, nullable: true)
            for item in self.configurationKeys ?? [] { writer.writeString(item, compact: flexible) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Returns the configuration entries of topics or brokers.
///
/// API key 32; versions 0-4; flexible from v4.
public struct DescribeConfigsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Result per resource. (all versions)
    public var results: [Resource]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        results: [Resource] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    /// Decodes the DescribeConfigsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        self.throttleTimeMs = try reader.readInt32("DescribeConfigsResponse.throttleTimeMs")
        self.results = try reader.readArray(compact: flexible, minimumElementBytes: 6, "DescribeConfigsResponse.results") { r throws(WireError) in try Resource(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DescribeConfigsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.results.count, compact: flexible, nullable: false)
        for item in self.results { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per resource.
    /// Present in v0-4.
    public struct Resource: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (all versions; nullable v0-4)
        public var errorMessage: String?
        /// Kind of resource: 2 topic, 4 broker, 8 broker logger. (all versions)
        public var resourceType: Int8
        /// Resource name (topic name or broker id). (all versions)
        public var resourceName: String
        /// Config entries of the resource. (all versions)
        public var configs: [Config]

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            resourceType: Int8 = 0,
            resourceName: String = "",
            configs: [Config] = []
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }

        /// Decodes the Resource of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.errorCode = try reader.readInt16("DescribeConfigsResponse.Resource.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DescribeConfigsResponse.Resource.errorMessage")
            self.resourceType = try reader.readInt8("DescribeConfigsResponse.Resource.resourceType")
            self.resourceName = try reader.readString(compact: flexible, "DescribeConfigsResponse.Resource.resourceName")
            self.configs = try reader.readArray(compact: flexible, minimumElementBytes: 4, "DescribeConfigsResponse.Resource.configs") { r throws(WireError) in try Config(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DescribeConfigsResponse.Resource tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: flexible)
            writer.writeArrayCount(self.configs.count, compact: flexible, nullable: false)
            for item in self.configs { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Config entries of the resource.
        /// Present in v0-4.
        public struct Config: WireMessage, Equatable {
            /// Config key. (all versions)
            public var name: String
            /// Config value, or null (always null when sensitive). (all versions; nullable v0-4)
            public var value: String?
            /// Whether the value cannot be changed. (all versions)
            public var readOnly: Bool
            /// Whether the value is the default (v0 only; later versions use configSource). (v0)
            public var isDefault: Bool
            /// Where the value comes from: 1 dynamic topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default, 6 dynamic broker logger; -1 unknown. (v1-4)
            public var configSource: Int8
            /// Whether the value is hidden because it is sensitive. (all versions)
            public var isSensitive: Bool
            /// Other places the value could come from, in order of precedence. (v1-4)
            public var synonyms: [Synonym]
            /// Value type: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password; 0 unknown. (v3-4)
            public var configType: Int8
            /// Documentation of the config, or null. (v3-4; nullable v3-4)
            public var documentation: String?

            /// A value with every field given or left at its schema default.
            public init(
                name: String = "",
                value: String? = "",
                readOnly: Bool = false,
                isDefault: Bool = false,
                configSource: Int8 = -1,
                isSensitive: Bool = false,
                synonyms: [Synonym] = [],
                configType: Int8 = 0,
                documentation: String? = ""
            ) {
                self.name = name
                self.value = value
                self.readOnly = readOnly
                self.isDefault = isDefault
                self.configSource = configSource
                self.isSensitive = isSensitive
                self.synonyms = synonyms
                self.configType = configType
                self.documentation = documentation
            }

            /// Decodes the Config of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 4
                self.name = try reader.readString(compact: flexible, "DescribeConfigsResponse.Resource.Config.name")
                self.value = try reader.readNullableString(compact: flexible, nullable: true, "DescribeConfigsResponse.Resource.Config.value")
                self.readOnly = try reader.readBool("DescribeConfigsResponse.Resource.Config.readOnly")
                if version <= 0 {
                    self.isDefault = try reader.readBool("DescribeConfigsResponse.Resource.Config.isDefault")
                }
                if version >= 1 {
                    self.configSource = try reader.readInt8("DescribeConfigsResponse.Resource.Config.configSource")
                }
                self.isSensitive = try reader.readBool("DescribeConfigsResponse.Resource.Config.isSensitive")
                if version >= 1 {
                    self.synonyms = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DescribeConfigsResponse.Resource.Config.synonyms") { r throws(WireError) in try Synonym(from: &r, version: version) }
                }
                if version >= 3 {
                    self.configType = try reader.readInt8("DescribeConfigsResponse.Resource.Config.configType")
                }
                if version >= 3 {
                    self.documentation = try reader.readNullableString(compact: flexible, nullable: true, "DescribeConfigsResponse.Resource.Config.documentation")
                }
                if flexible {
                    try reader.readTaggedFields("DescribeConfigsResponse.Resource.Config tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 4
                writer.writeString(self.name, compact: flexible)
                writer.writeNullableString(self.value, compact: flexible, nullable: true)
                writer.writeBool(self.readOnly)
                if version <= 0 {
                    writer.writeBool(self.isDefault)
                }
                if version >= 1 {
                    writer.writeInt8(self.configSource)
                }
                writer.writeBool(self.isSensitive)
                if version >= 1 {
                    writer.writeArrayCount(self.synonyms.count, compact: flexible, nullable: false)
                    for item in self.synonyms { item.encode(into: &writer, version: version) }
                }
                if version >= 3 {
                    writer.writeInt8(self.configType)
                }
                if version >= 3 {
                    writer.writeNullableString(self.documentation, compact: flexible, nullable: true)
                }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }

            /// Other places the value could come from, in order of precedence.
            /// Present in v1-4.
            public struct Synonym: WireMessage, Equatable {
                /// Synonym key. (all versions)
                public var name: String
                /// Synonym value, or null. (all versions; nullable v1-4)
                public var value: String?
                /// Where the synonym is set (same codes as configSource). (all versions)
                public var source: Int8

                /// A value with every field given or left at its schema default.
                public init(
                    name: String = "",
                    value: String? = "",
                    source: Int8 = 0
                ) {
                    self.name = name
                    self.value = value
                    self.source = source
                }

                /// Decodes the Synonym of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    let flexible = version >= 4
                    self.name = try reader.readString(compact: flexible, "DescribeConfigsResponse.Resource.Config.Synonym.name")
                    self.value = try reader.readNullableString(compact: flexible, nullable: true, "DescribeConfigsResponse.Resource.Config.Synonym.value")
                    self.source = try reader.readInt8("DescribeConfigsResponse.Resource.Config.Synonym.source")
                    if flexible {
                        try reader.readTaggedFields("DescribeConfigsResponse.Resource.Config.Synonym tagged fields")
                    }
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    let flexible = version >= 4
                    writer.writeString(self.name, compact: flexible)
                    writer.writeNullableString(self.value, compact: flexible, nullable: true)
                    writer.writeInt8(self.source)
                    if flexible {
                        writer.writeEmptyTaggedFields()
                    }
                }
            }
        }
    }
}
