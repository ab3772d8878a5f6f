// generated from proto/ — do not edit
// Source: proto/kafka/DeleteTopics.json

/// Deletes topics by name (or by id from v6).
///
/// API key 20; versions 0-6; flexible from v4.
public struct DeleteTopicsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteTopics
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...6
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Topics to delete, by name or id (v6). (v6)
    public var topics: [Topic]
    /// Names of topics to delete (v0-5). (v0-5)
    public var topicNames: [String]
    /// How long to wait for the deletions. (all versions)
    public var timeoutMs: Int32

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic] = [],
        topicNames: [String] = [],
        timeoutMs: Int32 = 0
    ) {
        self.topics = topics
        self.topicNames = topicNames
        self.timeoutMs = timeoutMs
    }

    /// Decodes the DeleteTopicsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 6 {
            self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 18, "DeleteTopicsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        }
        if version <= 5 {
            self.topicNames = try reader.readArray(compact: flexible, minimumElementBytes: 1, "DeleteTopicsRequest.topicNames") { r throws(WireError) in try r.readString(compact: flexible, "DeleteTopicsRequest.topicNames") }
        }
        self.timeoutMs = try reader.readInt32("DeleteTopicsRequest.timeoutMs")
        if flexible {
            try reader.readTaggedFields("DeleteTopicsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 6 {
            writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
            for item in self.topics { item.encode(into: &writer, version: version) }
        }
        if version <= 5 {
            writer.writeArrayCount(self.topicNames.count, compact: flexible, nullable: false)
            for item in self.topicNames { writer.writeString(item, compact: flexible) }
        }
        writer.writeInt32(self.timeoutMs)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Topics to delete, by name or id (v6).
    /// Present in v6.
    public struct Topic: WireMessage, Equatable {
        /// Topic name, or null when deleting by id. (all versions; nullable v6)
        public var name: String?
        /// Topic id (all zero when unknown or not used). (all versions)
        public var topicId: WireUUID

        /// A value with every field given or left at its schema default.
        public init(
            name: String? = nil,
            topicId: WireUUID = .zero
        ) {
            self.name = name
            self.topicId = topicId
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readNullableString(compact: true, nullable: true, "DeleteTopicsRequest.Topic.name")
            self.topicId = try reader.readWireUUID("DeleteTopicsRequest.Topic.topicId")
            try reader.readTaggedFields("DeleteTopicsRequest.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeNullableString(self.name, compact: true, nullable: true)
            writer.writeWireUUID(self.topicId)
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Deletes topics by name (or by id from v6).
///
/// API key 20; versions 0-6; flexible from v4.
public struct DeleteTopicsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteTopics
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...6
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-6)
    public var throttleTimeMs: Int32
    /// Result per topic. (all versions)
    public var responses: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        responses: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    /// Decodes the DeleteTopicsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("DeleteTopicsResponse.throttleTimeMs")
        }
        self.responses = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DeleteTopicsResponse.responses") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DeleteTopicsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.responses.count, compact: flexible, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Result per topic.
    /// Present in v0-6.
    public struct Topic: WireMessage, Equatable {
        /// Topic name, or null if deleted by an unknown id. (all versions; nullable v6)
        public var name: String?
        /// Topic id (all zero when unknown or not used). (v6)
        public var topicId: WireUUID
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (v5-6; nullable v5-6)
        public var errorMessage: String?

        /// A value with every field given or left at its schema default.
        public init(
            name: String? = "",
            topicId: WireUUID = .zero,
            errorCode: Int16 = 0,
            errorMessage: String? = nil
        ) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.name = try reader.readNullableString(compact: flexible, nullable: version >= 6, "DeleteTopicsResponse.Topic.name")
            if version >= 6 {
                self.topicId = try reader.readWireUUID("DeleteTopicsResponse.Topic.topicId")
            }
            self.errorCode = try reader.readInt16("DeleteTopicsResponse.Topic.errorCode")
            if version >= 5 {
                self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DeleteTopicsResponse.Topic.errorMessage")
            }
            if flexible {
                try reader.readTaggedFields("DeleteTopicsResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeNullableString(self.name, compact: flexible, nullable: version >= 6)
            if version >= 6 {
                writer.writeWireUUID(self.topicId)
            }
            writer.writeInt16(self.errorCode)
            if version >= 5 {
                writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
