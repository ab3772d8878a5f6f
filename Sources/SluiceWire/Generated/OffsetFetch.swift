// generated from proto/ — do not edit
// Source: proto/kafka/OffsetFetch.json

/// Reads committed positions for a group; batched by group from v8.
///
/// API key 9; versions 0-8; flexible from v6.
public struct OffsetFetchRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetFetch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...8
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// Group to read from (v0-7). (v0-7)
    public var groupId: String
    /// Partitions to read, null for all (v2+). (v0-7; nullable v2-7)
    public var topics: [Topic]?
    /// Groups to read from (v8+). (v8)
    public var groups: [Group]
    /// Fail with UNSTABLE_OFFSET_COMMIT rather than return offsets of open transactions. (v7-8)
    public var requireStable: Bool

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        topics: [Topic]? = [],
        groups: [Group] = [],
        requireStable: Bool = false
    ) {
        self.groupId = groupId
        self.topics = topics
        self.groups = groups
        self.requireStable = requireStable
    }

    /// Decodes the OffsetFetchRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        if version <= 7 {
            self.groupId = try reader.readString(compact: flexible, "OffsetFetchRequest.groupId")
        }
        if version <= 7 {
            self.topics = try reader.readNullableArray(compact: flexible, nullable: version >= 2, minimumElementBytes: 2, "OffsetFetchRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        }
        if version >= 8 {
            self.groups = try reader.readArray(compact: flexible, minimumElementBytes: 3, "OffsetFetchRequest.groups") { r throws(WireError) in try Group(from: &r, version: version) }
        }
        if version >= 7 {
            self.requireStable = try reader.readBool("OffsetFetchRequest.requireStable")
        }
        if flexible {
            try reader.readTaggedFields("OffsetFetchRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
        if version <= 7 {
            writer.writeString(self.groupId, compact: flexible)
        }
        if version <= 7 {
            writer.writeArrayCount(self.topics?.count, compact: flexible, nullable: version >= 2)
            for item in self.topics ?? [] { item.encode(into: &writer, version: version) }
        }
        if version >= 8 {
            writer.writeArrayCount(self.groups.count, compact: flexible, nullable: false)
            for item in self.groups { item.encode(into: &writer, version: version) }
        }
        if version >= 7 {
            writer.writeBool(self.requireStable)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Partitions to read, null for all (v2+).
    /// Present in v0-7.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partition indexes to read. (all versions)
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
            let flexible = version >= 6
            self.name = try reader.readString(compact: flexible, "OffsetFetchRequest.Topic.name")
            self.partitionIndexes = try reader.readArray(compact: flexible, minimumElementBytes: 4, "OffsetFetchRequest.Topic.partitionIndexes") { r throws(WireError) in try r.readInt32("OffsetFetchRequest.Topic.partitionIndexes") }
            if flexible {
                try reader.readTaggedFields("OffsetFetchRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 6
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitionIndexes.count, compact: flexible, nullable: false)
            for item in self.partitionIndexes { writer.writeInt32(item) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }

    /// Groups to read from (v8+).
    /// Present in v8.
    public struct Group: WireMessage, Equatable {
        /// Group id. (all versions)
        public var groupId: String
        /// Partitions to read, null for all. (all versions; nullable v8)
        public var topics: [Topic]?

        /// A value with every field given or left at its schema default.
        public init(
            groupId: String = "",
            topics: [Topic]? = []
        ) {
            self.groupId = groupId
            self.topics = topics
        }

        /// Decodes the Group of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.groupId = try reader.readString(compact: true, "OffsetFetchRequest.Group.groupId")
            self.topics = try reader.readNullableArray(compact: true, nullable: true, minimumElementBytes: 3, "OffsetFetchRequest.Group.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
            try reader.readTaggedFields("OffsetFetchRequest.Group tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.groupId, compact: true)
            writer.writeArrayCount(self.topics?.count, compact: true, nullable: true)
            for item in self.topics ?? [] { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// Partitions to read, null for all.
        /// Present in v8.
        public struct Topic: WireMessage, Equatable {
            /// Topic name. (all versions)
            public var name: String
            /// Partition indexes to read. (all versions)
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
                self.name = try reader.readString(compact: true, "OffsetFetchRequest.Group.Topic.name")
                self.partitionIndexes = try reader.readArray(compact: true, minimumElementBytes: 4, "OffsetFetchRequest.Group.Topic.partitionIndexes") { r throws(WireError) in try r.readInt32("OffsetFetchRequest.Group.Topic.partitionIndexes") }
                try reader.readTaggedFields("OffsetFetchRequest.Group.Topic tagged fields")
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
}

/// Reads committed positions for a group; batched by group from v8.
///
/// API key 9; versions 0-8; flexible from v6.
public struct OffsetFetchResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetFetch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...8
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v3-8)
    public var throttleTimeMs: Int32
    /// Committed offsets grouped by topic (v0-7). (v0-7)
    public var topics: [Topic]
    /// Error for the whole group (v2-7). (v2-7)
    public var errorCode: Int16
    /// Result per group (v8+). (v8)
    public var groups: [Group]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        topics: [Topic] = [],
        errorCode: Int16 = 0,
        groups: [Group] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
        self.errorCode = errorCode
        self.groups = groups
    }

    /// Decodes the OffsetFetchResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        if version >= 3 {
            self.throttleTimeMs = try reader.readInt32("OffsetFetchResponse.throttleTimeMs")
        }
        if version <= 7 {
            self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "OffsetFetchResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        }
        if version >= 2 && version <= 7 {
            self.errorCode = try reader.readInt16("OffsetFetchResponse.errorCode")
        }
        if version >= 8 {
            self.groups = try reader.readArray(compact: flexible, minimumElementBytes: 5, "OffsetFetchResponse.groups") { r throws(WireError) in try Group(from: &r, version: version) }
        }
        if flexible {
            try reader.readTaggedFields("OffsetFetchResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
        if version >= 3 {
            writer.writeInt32(self.throttleTimeMs)
        }
        if version <= 7 {
            writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
            for item in self.topics { item.encode(into: &writer, version: version) }
        }
        if version >= 2 && version <= 7 {
            writer.writeInt16(self.errorCode)
        }
        if version >= 8 {
            writer.writeArrayCount(self.groups.count, compact: flexible, nullable: false)
            for item in self.groups { item.encode(into: &writer, version: version) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Committed offsets grouped by topic (v0-7).
    /// Present in v0-7.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Committed offset per partition. (all versions)
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
            let flexible = version >= 6
            self.name = try reader.readString(compact: flexible, "OffsetFetchResponse.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 15, "OffsetFetchResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("OffsetFetchResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 6
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Committed offset per partition.
        /// Present in v0-7.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Committed offset, -1 if none. (all versions)
            public var committedOffset: Int64
            /// Leader epoch of the last consumed record, -1 if unknown. (v5-7)
            public var committedLeaderEpoch: Int32
            /// Client text stored with the offset, or null. (all versions; nullable v0-7)
            public var metadata: String?
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                committedOffset: Int64 = 0,
                committedLeaderEpoch: Int32 = -1,
                metadata: String? = "",
                errorCode: Int16 = 0
            ) {
                self.partitionIndex = partitionIndex
                self.committedOffset = committedOffset
                self.committedLeaderEpoch = committedLeaderEpoch
                self.metadata = metadata
                self.errorCode = errorCode
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 6
                self.partitionIndex = try reader.readInt32("OffsetFetchResponse.Topic.Partition.partitionIndex")
                self.committedOffset = try reader.readInt64("OffsetFetchResponse.Topic.Partition.committedOffset")
                if version >= 5 {
                    self.committedLeaderEpoch = try reader.readInt32("OffsetFetchResponse.Topic.Partition.committedLeaderEpoch")
                }
                self.metadata = try reader.readNullableString(compact: flexible, nullable: true, "OffsetFetchResponse.Topic.Partition.metadata")
                self.errorCode = try reader.readInt16("OffsetFetchResponse.Topic.Partition.errorCode")
                if flexible {
                    try reader.readTaggedFields("OffsetFetchResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 6
                writer.writeInt32(self.partitionIndex)
                writer.writeInt64(self.committedOffset)
                if version >= 5 {
                    writer.writeInt32(self.committedLeaderEpoch)
                }
                writer.writeNullableString(self.metadata, compact: flexible, nullable: true)
                writer.writeInt16(self.errorCode)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }

    /// Result per group (v8+).
    /// Present in v8.
    public struct Group: WireMessage, Equatable {
        /// Group id. (all versions)
        public var groupId: String
        /// Committed offsets grouped by topic. (all versions)
        public var topics: [Topic]
        /// Error for this group. (all versions)
        public var errorCode: Int16

        /// A value with every field given or left at its schema default.
        public init(
            groupId: String = "",
            topics: [Topic] = [],
            errorCode: Int16 = 0
        ) {
            self.groupId = groupId
            self.topics = topics
            self.errorCode = errorCode
        }

        /// Decodes the Group of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.groupId = try reader.readString(compact: true, "OffsetFetchResponse.Group.groupId")
            self.topics = try reader.readArray(compact: true, minimumElementBytes: 3, "OffsetFetchResponse.Group.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
            self.errorCode = try reader.readInt16("OffsetFetchResponse.Group.errorCode")
            try reader.readTaggedFields("OffsetFetchResponse.Group tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.groupId, compact: true)
            writer.writeArrayCount(self.topics.count, compact: true, nullable: false)
            for item in self.topics { item.encode(into: &writer, version: version) }
            writer.writeInt16(self.errorCode)
            writer.writeEmptyTaggedFields()
        }

        /// Committed offsets grouped by topic.
        /// Present in v8.
        public struct Topic: WireMessage, Equatable {
            /// Topic name. (all versions)
            public var name: String
            /// Committed offset per partition. (all versions)
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
                self.name = try reader.readString(compact: true, "OffsetFetchResponse.Group.Topic.name")
                self.partitions = try reader.readArray(compact: true, minimumElementBytes: 20, "OffsetFetchResponse.Group.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
                try reader.readTaggedFields("OffsetFetchResponse.Group.Topic tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeString(self.name, compact: true)
                writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
                for item in self.partitions { item.encode(into: &writer, version: version) }
                writer.writeEmptyTaggedFields()
            }

            /// Committed offset per partition.
            /// Present in v8.
            public struct Partition: WireMessage, Equatable {
                /// Partition index. (all versions)
                public var partitionIndex: Int32
                /// Committed offset, -1 if none. (all versions)
                public var committedOffset: Int64
                /// Leader epoch of the last consumed record, -1 if unknown. (all versions)
                public var committedLeaderEpoch: Int32
                /// Client text stored with the offset, or null. (all versions; nullable v8)
                public var metadata: String?
                /// Error code, 0 for none. (all versions)
                public var errorCode: Int16

                /// A value with every field given or left at its schema default.
                public init(
                    partitionIndex: Int32 = 0,
                    committedOffset: Int64 = 0,
                    committedLeaderEpoch: Int32 = -1,
                    metadata: String? = "",
                    errorCode: Int16 = 0
                ) {
                    self.partitionIndex = partitionIndex
                    self.committedOffset = committedOffset
                    self.committedLeaderEpoch = committedLeaderEpoch
                    self.metadata = metadata
                    self.errorCode = errorCode
                }

                /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.partitionIndex = try reader.readInt32("OffsetFetchResponse.Group.Topic.Partition.partitionIndex")
                    self.committedOffset = try reader.readInt64("OffsetFetchResponse.Group.Topic.Partition.committedOffset")
                    self.committedLeaderEpoch = try reader.readInt32("OffsetFetchResponse.Group.Topic.Partition.committedLeaderEpoch")
                    self.metadata = try reader.readNullableString(compact: true, nullable: true, "OffsetFetchResponse.Group.Topic.Partition.metadata")
                    self.errorCode = try reader.readInt16("OffsetFetchResponse.Group.Topic.Partition.errorCode")
                    try reader.readTaggedFields("OffsetFetchResponse.Group.Topic.Partition tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt32(self.partitionIndex)
                    writer.writeInt64(self.committedOffset)
                    writer.writeInt32(self.committedLeaderEpoch)
                    writer.writeNullableString(self.metadata, compact: true, nullable: true)
                    writer.writeInt16(self.errorCode)
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
