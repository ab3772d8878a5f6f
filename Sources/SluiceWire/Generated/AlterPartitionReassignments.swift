// generated from proto/ — do not edit
// Source: proto/kafka/AlterPartitionReassignments.json

/// Moves partition replicas to other brokers (or cancels a move); the controller answers.
///
/// API key 45; versions 0; flexible from v0.
public struct AlterPartitionReassignmentsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterPartitionReassignments
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long to wait for the controller, in ms. (all versions)
    public var timeoutMs: Int32
    /// Topics to reassign. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        timeoutMs: Int32 = 60000,
        topics: [Topic] = []
    ) {
        self.timeoutMs = timeoutMs
        self.topics = topics
    }

    /// Decodes the AlterPartitionReassignmentsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.timeoutMs = try reader.readInt32("AlterPartitionReassignmentsRequest.timeoutMs")
        self.topics = try reader.readArray(compact: true, minimumElementBytes: 3, "AlterPartitionReassignmentsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("AlterPartitionReassignmentsRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.timeoutMs)
        writer.writeArrayCount(self.topics.count, compact: true, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Topics to reassign.
    /// Present in v0.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partitions to reassign. (all versions)
        public var partitions: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            partitions: [Partition] = []
        ) {
            self.name = name
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "AlterPartitionReassignmentsRequest.Topic.name")
            self.partitions = try reader.readArray(compact: true, minimumElementBytes: 6, "AlterPartitionReassignmentsRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            try reader.readTaggedFields("AlterPartitionReassignmentsRequest.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// Partitions to reassign.
        /// Present in v0.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// The wanted replicas, preferred leader first; null cancels a pending move. (all versions; nullable v0)
            public var replicas: [Int32]?

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                replicas: [Int32]? = nil
            ) {
                self.partitionIndex = partitionIndex
                self.replicas = replicas
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("AlterPartitionReassignmentsRequest.Topic.Partition.partitionIndex")
                self.replicas = try reader.readNullableArray(compact: true, nullable: true, minimumElementBytes: 4, "AlterPartitionReassignmentsRequest.Topic.Partition.replicas") { r throws(WireError) in try r.readInt32("AlterPartitionReassignmentsRequest.Topic.Partition.replicas") }
                try reader.readTaggedFields("AlterPartitionReassignmentsRequest.Topic.Partition tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeArrayCount(self.replicas?.count, compact: true, nullable: true)
                for item in self.replicas ?? [] { writer.writeInt32(item) }
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Moves partition replicas to other brokers (or cancels a move); the controller answers.
///
/// API key 45; versions 0; flexible from v0.
public struct AlterPartitionReassignmentsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterPartitionReassignments
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Error for the whole request, 0 for none. (all versions)
    public var errorCode: Int16
    /// Why, or null. (all versions; nullable v0)
    public var errorMessage: String?
    /// Result per topic. (all versions)
    public var responses: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = nil,
        responses: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.responses = responses
    }

    /// Decodes the AlterPartitionReassignmentsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("AlterPartitionReassignmentsResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("AlterPartitionReassignmentsResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "AlterPartitionReassignmentsResponse.errorMessage")
        self.responses = try reader.readArray(compact: true, minimumElementBytes: 3, "AlterPartitionReassignmentsResponse.responses") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("AlterPartitionReassignmentsResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
        writer.writeArrayCount(self.responses.count, compact: true, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Result per topic.
    /// Present in v0.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Result per partition. (all versions)
        public var partitions: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            partitions: [Partition] = []
        ) {
            self.name = name
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "AlterPartitionReassignmentsResponse.Topic.name")
            self.partitions = try reader.readArray(compact: true, minimumElementBytes: 8, "AlterPartitionReassignmentsResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            try reader.readTaggedFields("AlterPartitionReassignmentsResponse.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// Result per partition.
        /// Present in v0.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Why, or null. (all versions; nullable v0)
            public var errorMessage: String?

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                errorCode: Int16 = 0,
                errorMessage: String? = nil
            ) {
                self.partitionIndex = partitionIndex
                self.errorCode = errorCode
                self.errorMessage = errorMessage
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("AlterPartitionReassignmentsResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("AlterPartitionReassignmentsResponse.Topic.Partition.errorCode")
                self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "AlterPartitionReassignmentsResponse.Topic.Partition.errorMessage")
                try reader.readTaggedFields("AlterPartitionReassignmentsResponse.Topic.Partition tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
                writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
