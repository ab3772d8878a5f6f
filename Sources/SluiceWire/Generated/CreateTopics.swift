// generated from proto/ — do not edit
// Source: proto/kafka/CreateTopics.json

/// Creates topics with a partition count, replication factor or explicit assignment, and configs.
///
/// API key 19; versions 0-7; flexible from v5.
public struct CreateTopicsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createTopics
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...7
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 5

    /// Topics to create. (all versions)
    public var topics: [Topic]
    /// How long to wait for the topics to be created. (all versions)
    public var timeoutMs: Int32
    /// Check the request without creating anything. (v1-7)
    public var validateOnly: Bool

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic] = [],
        timeoutMs: Int32 = 60000,
        validateOnly: Bool = false
    ) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    /// Decodes the CreateTopicsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 5
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 9, "CreateTopicsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        self.timeoutMs = try reader.readInt32("CreateTopicsRequest.timeoutMs")
        if version >= 1 {
            self.validateOnly = try reader.readBool("CreateTopicsRequest.validateOnly")
        }
        if flexible {
            try reader.readTaggedFields("CreateTopicsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 5
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeInt32(self.timeoutMs)
        if version >= 1 {
            writer.writeBool(self.validateOnly)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Topics to create.
    /// Present in v0-7.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partition count, -1 for the broker default (or when assignments are given). (all versions)
        public var numPartitions: Int32
        /// Replica count, -1 for the broker default (or when assignments are given). (all versions)
        public var replicationFactor: Int16
        /// Explicit replica placement per partition, or empty. (all versions)
        public var assignments: [Assignment]
        /// Topic configs to set at creation. (all versions)
        public var configs: [Config]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            numPartitions: Int32 = 0,
            replicationFactor: Int16 = 0,
            assignments: [Assignment] = [],
            configs: [Config] = []
        ) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 5
            self.name = try reader.readString(compact: flexible, "CreateTopicsRequest.Topic.name")
            self.numPartitions = try reader.readInt32("CreateTopicsRequest.Topic.numPartitions")
            self.replicationFactor = try reader.readInt16("CreateTopicsRequest.Topic.replicationFactor")
            self.assignments = try reader.readArray(compact: flexible, minimumElementBytes: 5, "CreateTopicsRequest.Topic.assignments") { r throws(WireError) in try Assignment(from: &r, version: version) }
            self.configs = try reader.readArray(compact: flexible, minimumElementBytes: 2, "CreateTopicsRequest.Topic.configs") { r throws(WireError) in try Config(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("CreateTopicsRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 5
            writer.writeString(self.name, compact: flexible)
            writer.writeInt32(self.numPartitions)
            writer.writeInt16(self.replicationFactor)
            writer.writeArrayCount(self.assignments.count, compact: flexible, nullable: false)
            for item in self.assignments { item.encode(into: &writer, version: version) }
            writer.writeArrayCount(self.configs.count, compact: flexible, nullable: false)
            for item in self.configs { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Explicit replica placement per partition, or empty.
        /// Present in v0-7.
        public struct Assignment: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Brokers holding replicas, preferred leader first. (all versions)
            public var brokerIds: [Int32]

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                brokerIds: [Int32] = []
            ) {
                self.partitionIndex = partitionIndex
                self.brokerIds = brokerIds
            }

            /// Decodes the Assignment of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 5
                self.partitionIndex = try reader.readInt32("CreateTopicsRequest.Topic.Assignment.partitionIndex")
                self.brokerIds = try reader.readArray(compact: flexible, minimumElementBytes: 4, "CreateTopicsRequest.Topic.Assignment.brokerIds") { r throws(WireError) in try r.readInt32("CreateTopicsRequest.Topic.Assignment.brokerIds") }
                if flexible {
                    try reader.readTaggedFields("CreateTopicsRequest.Topic.Assignment tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 5
                writer.writeInt32(self.partitionIndex)
                writer.writeArrayCount(self.brokerIds.count, compact: flexible, nullable: false)
                for item in self.brokerIds { writer.writeInt32(item) }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }

        /// Topic configs to set at creation.
        /// Present in v0-7.
        public struct Config: WireMessage, Equatable {
            /// Config key. (all versions)
            public var name: String
            /// Config value, or null. (all versions; nullable v0-7)
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
                let flexible = version >= 5
                self.name = try reader.readString(compact: flexible, "CreateTopicsRequest.Topic.Config.name")
                self.value = try reader.readNullableString(compact: flexible, nullable: true, "CreateTopicsRequest.Topic.Config.value")
                if flexible {
                    try reader.readTaggedFields("CreateTopicsRequest.Topic.Config tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 5
                writer.writeString(self.name, compact: flexible)
                writer.writeNullableString(self.value, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Creates topics with a partition count, replication factor or explicit assignment, and configs.
///
/// API key 19; versions 0-7; flexible from v5.
public struct CreateTopicsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createTopics
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...7
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 5

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v2-7)
    public var throttleTimeMs: Int32
    /// Result per requested topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        topics: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    /// Decodes the CreateTopicsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 5
        if version >= 2 {
            self.throttleTimeMs = try reader.readInt32("CreateTopicsResponse.throttleTimeMs")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 3, "CreateTopicsResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("CreateTopicsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 5
        if version >= 2 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per requested topic.
    /// Present in v0-7.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Topic id (all zero when unknown or not used). (v7)
        public var topicId: WireUUID
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (v1-7; nullable v1-7)
        public var errorMessage: String?
        /// Why configs were not returned, if they were not (tagged). (v5-7; tag 0)
        public var topicConfigErrorCode: Int16
        /// Partition count of the created topic. (v5-7)
        public var numPartitions: Int32
        /// Replication factor of the created topic. (v5-7)
        public var replicationFactor: Int16
        /// The created topic's configs, or null. (v5-7; nullable v5-7)
        public var configs: [Config]?

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            topicId: WireUUID = .zero,
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            topicConfigErrorCode: Int16 = 0,
            numPartitions: Int32 = -1,
            replicationFactor: Int16 = -1,
            configs: [Config]? = []
        ) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.topicConfigErrorCode = topicConfigErrorCode
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.configs = configs
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 5
            self.name = try reader.readString(compact: flexible, "CreateTopicsResponse.Topic.name")
            if version >= 7 {
                self.topicId = try reader.readWireUUID("CreateTopicsResponse.Topic.topicId")
            }
            self.errorCode = try reader.readInt16("CreateTopicsResponse.Topic.errorCode")
            if version >= 1 {
                self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "CreateTopicsResponse.Topic.errorMessage")
            }
            if version >= 5 {
                self.numPartitions = try reader.readInt32("CreateTopicsResponse.Topic.numPartitions")
            }
            if version >= 5 {
                self.replicationFactor = try reader.readInt16("CreateTopicsResponse.Topic.replicationFactor")
            }
            if version >= 5 {
                self.configs = try reader.readNullableArray(compact: flexible, nullable: true, minimumElementBytes: 6, "CreateTopicsResponse.Topic.configs") { r throws(WireError) in try Config(from: &r, version: version) }
            }
            if flexible {
                try reader.readTaggedFields("CreateTopicsResponse.Topic tagged fields") { tag, field throws(WireError) in
                    switch tag {
                    case 0:
                        self.topicConfigErrorCode = try field.readInt16("CreateTopicsResponse.Topic.topicConfigErrorCode")
                    default:
                        break
                    }
                }
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 5
            writer.writeString(self.name, compact: flexible)
            if version >= 7 {
                writer.writeWireUUID(self.topicId)
            }
            writer.writeInt16(self.errorCode)
            if version >= 1 {
                writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            }
            if version >= 5 {
                writer.writeInt32(self.numPartitions)
            }
            if version >= 5 {
                writer.writeInt16(self.replicationFactor)
            }
            if version >= 5 {
                writer.writeArrayCount(self.configs?.count, compact: flexible, nullable: true)
                for item in self.configs ?? [] { item.encode(into: &writer, version: version) }
            }
            if flexible {
                var taggedCount: UInt32 = 0
                if self.topicConfigErrorCode != 0 { taggedCount += 1 }
                writer.writeUnsignedVarint(taggedCount)
                if self.topicConfigErrorCode != 0 {
                    var tagged = ByteWriter()
                    tagged.writeInt16(self.topicConfigErrorCode)
                    writer.writeUnsignedVarint(0)
                    writer.writeUnsignedVarint(UInt32(tagged.count))
                    writer.writeRaw(tagged.bytes)
                }
            }
        }

        /// The created topic's configs, or null.
        /// Present in v5-7.
        public struct Config: WireMessage, Equatable {
            /// Config key. (all versions)
            public var name: String
            /// Config value, or null. (all versions; nullable v5-7)
            public var value: String?
            /// Whether the value cannot be changed. (all versions)
            public var readOnly: Bool
            /// Where the value comes from: 1 dynamic topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default, 6 dynamic broker logger; -1 unknown. (all versions)
            public var configSource: Int8
            /// Whether the value is hidden because it is sensitive. (all versions)
            public var isSensitive: Bool

            /// A value with every field given or left at its schema default.
            public init(
                name: String = "",
                value: String? = "",
                readOnly: Bool = false,
                configSource: Int8 = -1,
                isSensitive: Bool = false
            ) {
                self.name = name
                self.value = value
                self.readOnly = readOnly
                self.configSource = configSource
                self.isSensitive = isSensitive
            }

            /// Decodes the Config of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.name = try reader.readString(compact: true, "CreateTopicsResponse.Topic.Config.name")
                self.value = try reader.readNullableString(compact: true, nullable: true, "CreateTopicsResponse.Topic.Config.value")
                self.readOnly = try reader.readBool("CreateTopicsResponse.Topic.Config.readOnly")
                self.configSource = try reader.readInt8("CreateTopicsResponse.Topic.Config.configSource")
                self.isSensitive = try reader.readBool("CreateTopicsResponse.Topic.Config.isSensitive")
                try reader.readTaggedFields("CreateTopicsResponse.Topic.Config tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeString(self.name, compact: true)
                writer.writeNullableString(self.value, compact: true, nullable: true)
                writer.writeBool(self.readOnly)
                writer.writeInt8(self.configSource)
                writer.writeBool(self.isSensitive)
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
