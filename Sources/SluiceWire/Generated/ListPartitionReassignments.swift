// generated from proto/ — do not edit
// Source: proto/kafka/ListPartitionReassignments.json

/// Lists replica moves still under way.
///
/// API key 46; versions 0; flexible from v0.
public struct ListPartitionReassignmentsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listPartitionReassignments
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long to wait for the controller, in ms. (all versions)
    public var timeoutMs: Int32
    /// Topics to list, or null for all. (all versions; nullable v0)
    public var topics: [Topic]?

    /// A value with every field given or left at its schema default.
    public init(
        timeoutMs: Int32 = 60000,
        topics: [Topic]? = nil
    ) {
        self.timeoutMs = timeoutMs
        self.topics = topics
    }

    /// Decodes the ListPartitionReassignmentsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.timeoutMs = try reader.readInt32("ListPartitionReassignmentsRequest.timeoutMs")
        self.topics = try reader.readNullableArray(compact: true, nullable: true, minimumElementBytes: 3, "ListPartitionReassignmentsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("ListPartitionReassignmentsRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.timeoutMs)
        writer.writeArrayCount(self.topics?.count, compact: true, nullable: true)
        for item in self.topics ?? [] { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Topics to list, or null for all.
    /// Present in v0.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partitions to list. (all versions)
        public var partitionIndexes: [Int32]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            partitionIndexes: [Int32] = []
        ) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "ListPartitionReassignmentsRequest.Topic.name")
            self.partitionIndexes = try reader.readArray(compact: true, minimumElementBytes: 4, "ListPartitionReassignmentsRequest.Topic.partitionIndexes") { r throws(WireError) in try r.readInt32("ListPartitionReassignmentsRequest.Topic.partitionIndexes") }
            try reader.readTaggedFields("ListPartitionReassignmentsRequest.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeArrayCount(self.partitionIndexes.count, compact: true, nullable: false)
            for item in self.partitionIndexes { writer.writeInt32(item) }
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Lists replica moves still under way.
///
/// API key 46; versions 0; flexible from v0.
public struct ListPartitionReassignmentsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listPartitionReassignments
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
    /// Moves under way, by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = nil,
        topics: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.topics = topics
    }

    /// Decodes the ListPartitionReassignmentsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("ListPartitionReassignmentsResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("ListPartitionReassignmentsResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "ListPartitionReassignmentsResponse.errorMessage")
        self.topics = try reader.readArray(compact: true, minimumElementBytes: 3, "ListPartitionReassignmentsResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("ListPartitionReassignmentsResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
        writer.writeArrayCount(self.topics.count, compact: true, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Moves under way, by topic.
    /// Present in v0.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Moves under way. (all versions)
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
            self.name = try reader.readString(compact: true, "ListPartitionReassignmentsResponse.Topic.name")
            self.partitions = try reader.readArray(compact: true, minimumElementBytes: 8, "ListPartitionReassignmentsResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            try reader.readTaggedFields("ListPartitionReassignmentsResponse.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// Moves under way.
        /// Present in v0.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// The replicas now (old and new during the move). (all versions)
            public var replicas: [Int32]
            /// Replicas being added. (all versions)
            public var addingReplicas: [Int32]
            /// Replicas being removed. (all versions)
            public var removingReplicas: [Int32]

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                replicas: [Int32] = [],
                addingReplicas: [Int32] = [],
                removingReplicas: [Int32] = []
            ) {
                self.partitionIndex = partitionIndex
                self.replicas = replicas
                self.addingReplicas = addingReplicas
                self.removingReplicas = removingReplicas
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("ListPartitionReassignmentsResponse.Topic.Partition.partitionIndex")
                self.replicas = try reader.readArray(compact: true, minimumElementBytes: 4, "ListPartitionReassignmentsResponse.Topic.Partition.replicas") { r throws(WireError) in try r.readInt32("ListPartitionReassignmentsResponse.Topic.Partition.replicas") }
                self.addingReplicas = try reader.readArray(compact: true, minimumElementBytes: 4, "ListPartitionReassignmentsResponse.Topic.Partition.addingReplicas") { r throws(WireError) in try r.readInt32("ListPartitionReassignmentsResponse.Topic.Partition.addingReplicas") }
                self.removingReplicas = try reader.readArray(compact: true, minimumElementBytes: 4, "ListPartitionReassignmentsResponse.Topic.Partition.removingReplicas") { r throws(WireError) in try r.readInt32("ListPartitionReassignmentsResponse.Topic.Partition.removingReplicas") }
                try reader.readTaggedFields("ListPartitionReassignmentsResponse.Topic.Partition tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeArrayCount(self.replicas.count, compact: true, nullable: false)
                for item in self.replicas { writer.writeInt32(item) }
                writer.writeArrayCount(self.addingReplicas.count, compact: true, nullable: false)
                for item in self.addingReplicas { writer.writeInt32(item) }
                writer.writeArrayCount(self.removingReplicas.count, compact: true, nullable: false)
                for item in self.removingReplicas { writer.writeInt32(item) }
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
