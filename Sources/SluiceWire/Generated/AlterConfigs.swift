// generated from proto/ — do not edit
// Source: proto/kafka/AlterConfigs.json

/// Replaces a resource's whole set of configuration entries: keys not named go back to their defaults.
///
/// API key 33; versions 0-1; flexible from none.
public struct AlterConfigsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

    /// Resources whose configs are replaced. (all versions)
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

    /// Decodes the AlterConfigsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.resources = try reader.readArray(compact: false, minimumElementBytes: 7, "AlterConfigsRequest.resources") { r throws(WireError) in try Resource(from: &r, version: version) }
        self.validateOnly = try reader.readBool("AlterConfigsRequest.validateOnly")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeArrayCount(self.resources.count, compact: false, nullable: false)
        for item in self.resources { item.encode(into: &writer, version: version) }
        writer.writeBool(self.validateOnly)
    }

    /// Resources whose configs are replaced.
    /// Present in v0-1.
    public struct Resource: WireMessage, Equatable {
        /// Kind of resource: 2 topic, 4 broker. (all versions)
        public var resourceType: Int8
        /// Resource name (topic name or broker id). (all versions)
        public var resourceName: String
        /// The complete new set of entries. (all versions)
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
            self.resourceType = try reader.readInt8("AlterConfigsRequest.Resource.resourceType")
            self.resourceName = try reader.readString(compact: false, "AlterConfigsRequest.Resource.resourceName")
            self.configs = try reader.readArray(compact: false, minimumElementBytes: 4, "AlterConfigsRequest.Resource.configs") { r throws(WireError) in try Config(from: &r, version: version) }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: false)
            writer.writeArrayCount(self.configs.count, compact: false, nullable: false)
            for item in self.configs { item.encode(into: &writer, version: version) }
        }

        /// The complete new set of entries.
        /// Present in v0-1.
        public struct Config: WireMessage, Equatable {
            /// Config key. (all versions)
            public var name: String
            /// Value, or null for the default. (all versions; nullable v0-1)
            public var value: String?

            /// A value with every field given or left at its schema default.
            public init(
                name: String = "",
                value: String? = ""
            ) {
                self.name = name
                self.value = value
            }

            /// Decodes the Config of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.name = try reader.readString(compact: false, "AlterConfigsRequest.Resource.Config.name")
                self.value = try reader.readNullableString(compact: false, nullable: true, "AlterConfigsRequest.Resource.Config.value")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeString(self.name, compact: false)
                writer.writeNullableString(self.value, compact: false, nullable: true)
            }
        }
    }
}

/// Replaces a resource's whole set of configuration entries: keys not named go back to their defaults.
///
/// API key 33; versions 0-1; flexible from none.
public struct AlterConfigsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterConfigs
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

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

    /// Decodes the AlterConfigsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("AlterConfigsResponse.throttleTimeMs")
        self.responses = try reader.readArray(compact: false, minimumElementBytes: 7, "AlterConfigsResponse.responses") { r throws(WireError) in try Resource(from: &r, version: version) }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.responses.count, compact: false, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
    }

    /// Result per resource.
    /// Present in v0-1.
    public struct Resource: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (all versions; nullable v0-1)
        public var errorMessage: String?
        /// Kind of resource: 2 topic, 4 broker. (all versions)
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
            self.errorCode = try reader.readInt16("AlterConfigsResponse.Resource.errorCode")
            self.errorMessage = try reader.readNullableString(compact: false, nullable: true, "AlterConfigsResponse.Resource.errorMessage")
            self.resourceType = try reader.readInt8("AlterConfigsResponse.Resource.resourceType")
            self.resourceName = try reader.readString(compact: false, "AlterConfigsResponse.Resource.resourceName")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: false, nullable: true)
            writer.writeInt8(self.resourceType)
            writer.writeString(self.resourceName, compact: false)
        }
    }
}
