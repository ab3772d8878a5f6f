// generated from proto/ — do not edit
// Source: proto/kafka/OffsetDelete.json

/// Deletes committed offsets of chosen partitions from a group.
///
/// API key 47; versions 0; flexible from none.
public struct OffsetDeleteRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetDelete
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

    /// Group whose offsets are deleted. (all versions)
    public var groupId: String
    /// Partitions whose offsets are deleted, grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        topics: [Topic] = []
    ) {
        self.groupId = groupId
        self.topics = topics
    }

    /// Decodes the OffsetDeleteRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.groupId = try reader.readString(compact: false, "OffsetDeleteRequest.groupId")
        self.topics = try reader.readArray(compact: false, minimumElementBytes: 6, "OffsetDeleteRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeString(self.groupId, compact: false)
        writer.writeArrayCount(self.topics.count, compact: false, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
    }

    /// Partitions whose offsets are deleted, grouped by topic.
    /// Present in v0.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partitions whose offsets are deleted. (all versions)
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
            self.name = try reader.readString(compact: false, "OffsetDeleteRequest.Topic.name")
            self.partitions = try reader.readArray(compact: false, minimumElementBytes: 4, "OffsetDeleteRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: false)
            writer.writeArrayCount(self.partitions.count, compact: false, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
        }

        /// Partitions whose offsets are deleted.
        /// Present in v0.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0
            ) {
                self.partitionIndex = partitionIndex
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("OffsetDeleteRequest.Topic.Partition.partitionIndex")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
            }
        }
    }
}

/// Deletes committed offsets of chosen partitions from a group.
///
/// API key 47; versions 0; flexible from none.
public struct OffsetDeleteResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetDelete
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

    /// Error for the whole group. (all versions)
    public var errorCode: Int16
    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Results grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        errorCode: Int16 = 0,
        throttleTimeMs: Int32 = 0,
        topics: [Topic] = []
    ) {
        self.errorCode = errorCode
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    /// Decodes the OffsetDeleteResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.errorCode = try reader.readInt16("OffsetDeleteResponse.errorCode")
        self.throttleTimeMs = try reader.readInt32("OffsetDeleteResponse.throttleTimeMs")
        self.topics = try reader.readArray(compact: false, minimumElementBytes: 6, "OffsetDeleteResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt16(self.errorCode)
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.topics.count, compact: false, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
    }

    /// Results grouped by topic.
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
            self.name = try reader.readString(compact: false, "OffsetDeleteResponse.Topic.name")
            self.partitions = try reader.readArray(compact: false, minimumElementBytes: 6, "OffsetDeleteResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: false)
            writer.writeArrayCount(self.partitions.count, compact: false, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
        }

        /// Result per partition.
        /// Present in v0.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                errorCode: Int16 = 0
            ) {
                self.partitionIndex = partitionIndex
                self.errorCode = errorCode
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("OffsetDeleteResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("OffsetDeleteResponse.Topic.Partition.errorCode")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
            }
        }
    }
}
