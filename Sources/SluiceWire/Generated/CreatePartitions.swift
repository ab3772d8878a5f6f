// generated from proto/ — do not edit
// Source: proto/kafka/CreatePartitions.json

/// Raises the partition count of existing topics.
///
/// API key 37; versions 0-3; flexible from v2.
public struct CreatePartitionsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createPartitions
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// Topics to grow. (all versions)
    public var topics: [Topic]
    /// How long to wait for the partitions to be created. (all versions)
    public var timeoutMs: Int32
    /// Check the request without changing anything. (all versions)
    public var validateOnly: Bool

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic] = [],
        timeoutMs: Int32 = 0,
        validateOnly: Bool = false
    ) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    /// Decodes the CreatePartitionsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 6, "CreatePartitionsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        self.timeoutMs = try reader.readInt32("CreatePartitionsRequest.timeoutMs")
        self.validateOnly = try reader.readBool("CreatePartitionsRequest.validateOnly")
        if flexible {
            try reader.readTaggedFields("CreatePartitionsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeInt32(self.timeoutMs)
        writer.writeBool(self.validateOnly)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Topics to grow.
    /// Present in v0-3.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// New total partition count. (all versions)
        public var count: Int32
        /// Replica placement for each new partition, or null to let the broker choose. (all versions; nullable v0-3)
        public var assignments: [Assignment]?

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            count: Int32 = 0,
            assignments: [Assignment]? = []
        ) {
            self.name = name
            self.count = count
            self.assignments = assignments
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.name = try reader.readString(compact: flexible, "CreatePartitionsRequest.Topic.name")
            self.count = try reader.readInt32("CreatePartitionsRequest.Topic.count")
            self.assignments = try reader.readNullableArray(compact: flexible, nullable: true, minimumElementBytes: 1, "CreatePartitionsRequest.Topic.assignments") { r throws(WireError) in try Assignment(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("CreatePartitionsRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeString(self.name, compact: flexible)
            writer.writeInt32(self.count)
            writer.writeArrayCount(self.assignments?.count, compact: flexible, nullable: true)
            for item in self.assignments ?? [] { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Replica placement for each new partition, or null to let the broker choose.
        /// Present in v0-3.
        public struct Assignment: WireMessage, Equatable {
            /// Brokers holding replicas of one new partition. (all versions)
            public var brokerIds: [Int32]

            /// A value with every field given or left at its schema default.
            public init(
                brokerIds: [Int32] = []
            ) {
                self.brokerIds = brokerIds
            }

            /// Decodes the Assignment of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 2
                self.brokerIds = try reader.readArray(compact: flexible, minimumElementBytes: 4, "CreatePartitionsRequest.Topic.Assignment.brokerIds") { r throws(WireError) in try r.readInt32("CreatePartitionsRequest.Topic.Assignment.brokerIds") }
                if flexible {
                    try reader.readTaggedFields("CreatePartitionsRequest.Topic.Assignment tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 2
                writer.writeArrayCount(self.brokerIds.count, compact: flexible, nullable: false)
                for item in self.brokerIds { writer.writeInt32(item) }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Raises the partition count of existing topics.
///
/// API key 37; versions 0-3; flexible from v2.
public struct CreatePartitionsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .createPartitions
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...3
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Result per topic. (all versions)
    public var results: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        results: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    /// Decodes the CreatePartitionsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("CreatePartitionsResponse.throttleTimeMs")
        self.results = try reader.readArray(compact: flexible, minimumElementBytes: 4, "CreatePartitionsResponse.results") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("CreatePartitionsResponse tagged fields")
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

    /// Result per topic.
    /// Present in v0-3.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (all versions; nullable v0-3)
        public var errorMessage: String?

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            errorCode: Int16 = 0,
            errorMessage: String? = nil
        ) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 2
            self.name = try reader.readString(compact: flexible, "CreatePartitionsResponse.Topic.name")
            self.errorCode = try reader.readInt16("CreatePartitionsResponse.Topic.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "CreatePartitionsResponse.Topic.errorMessage")
            if flexible {
                try reader.readTaggedFields("CreatePartitionsResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeString(self.name, compact: flexible)
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
