// generated from proto/ — do not edit
// Source: proto/kafka/OffsetCommit.json

/// Stores consumed positions for a group.
///
/// API key 8; versions 0-8; flexible from v8.
public struct OffsetCommitRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetCommit
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...8
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 8

    /// Group id. (all versions)
    public var groupId: String
    /// Generation of the committing member, -1 for a simple (assign-mode) commit. (v1-8)
    public var generationIdOrMemberEpoch: Int32
    /// Committing member, empty for a simple commit. (v1-8)
    public var memberId: String
    /// Static member id, or null for a dynamic member. (v7-8; nullable v7-8)
    public var groupInstanceId: String?
    /// How long to keep the offsets, -1 for the broker default (v2-4). (v2-4)
    public var retentionTimeMs: Int64
    /// Offsets to commit, grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        groupId: String = "",
        generationIdOrMemberEpoch: Int32 = -1,
        memberId: String = "",
        groupInstanceId: String? = nil,
        retentionTimeMs: Int64 = -1,
        topics: [Topic] = []
    ) {
        self.groupId = groupId
        self.generationIdOrMemberEpoch = generationIdOrMemberEpoch
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.retentionTimeMs = retentionTimeMs
        self.topics = topics
    }

    /// Decodes the OffsetCommitRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 8
        self.groupId = try reader.readString(compact: flexible, "OffsetCommitRequest.groupId")
        if version >= 1 {
            self.generationIdOrMemberEpoch = try reader.readInt32("OffsetCommitRequest.generationIdOrMemberEpoch")
        }
        if version >= 1 {
            self.memberId = try reader.readString(compact: flexible, "OffsetCommitRequest.memberId")
        }
        if version >= 7 {
            self.groupInstanceId = try reader.readNullableString(compact: flexible, nullable: true, "OffsetCommitRequest.groupInstanceId")
        }
        if version >= 2 && version <= 4 {
            self.retentionTimeMs = try reader.readInt64("OffsetCommitRequest.retentionTimeMs")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "OffsetCommitRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("OffsetCommitRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 8
        writer.writeString(self.groupId, compact: flexible)
        if version >= 1 {
            writer.writeInt32(self.generationIdOrMemberEpoch)
        }
        if version >= 1 {
            writer.writeString(self.memberId, compact: flexible)
        }
        if version >= 7 {
            writer.writeNullableString(self.groupInstanceId, compact: flexible, nullable: true)
        }
        if version >= 2 && version <= 4 {
            writer.writeInt64(self.retentionTimeMs)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Offsets to commit, grouped by topic.
    /// Present in v0-8.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Offsets to commit per partition. (all versions)
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
            let flexible = version >= 8
            self.name = try reader.readString(compact: flexible, "OffsetCommitRequest.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 13, "OffsetCommitRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("OffsetCommitRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 8
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Offsets to commit per partition.
        /// Present in v0-8.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Next offset to consume. (all versions)
            public var committedOffset: Int64
            /// Leader epoch of the last consumed record, -1 if unknown. (v6-8)
            public var committedLeaderEpoch: Int32
            /// Commit time in ms (v1 only), -1 for now. (v1)
            public var commitTimestamp: Int64
            /// Free-form client text stored with the offset, or null. (all versions; nullable v0-8)
            public var committedMetadata: String?

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                committedOffset: Int64 = 0,
                committedLeaderEpoch: Int32 = -1,
                commitTimestamp: Int64 = -1,
                committedMetadata: String? = ""
            ) {
                self.partitionIndex = partitionIndex
                self.committedOffset = committedOffset
                self.committedLeaderEpoch = committedLeaderEpoch
                self.commitTimestamp = commitTimestamp
                self.committedMetadata = committedMetadata
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 8
                self.partitionIndex = try reader.readInt32("OffsetCommitRequest.Topic.Partition.partitionIndex")
                self.committedOffset = try reader.readInt64("OffsetCommitRequest.Topic.Partition.committedOffset")
                if version >= 6 {
                    self.committedLeaderEpoch = try reader.readInt32("OffsetCommitRequest.Topic.Partition.committedLeaderEpoch")
                }
                if version == 1 {
                    self.commitTimestamp = try reader.readInt64("OffsetCommitRequest.Topic.Partition.commitTimestamp")
                }
                self.committedMetadata = try reader.readNullableString(compact: flexible, nullable: true, "OffsetCommitRequest.Topic.Partition.committedMetadata")
                if flexible {
                    try reader.readTaggedFields("OffsetCommitRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 8
                writer.writeInt32(self.partitionIndex)
                writer.writeInt64(self.committedOffset)
                if version >= 6 {
                    writer.writeInt32(self.committedLeaderEpoch)
                }
                if version == 1 {
                    writer.writeInt64(self.commitTimestamp)
                }
                writer.writeNullableString(self.committedMetadata, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Stores consumed positions for a group.
///
/// API key 8; versions 0-8; flexible from v8.
public struct OffsetCommitResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetCommit
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...8
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 8

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v3-8)
    public var throttleTimeMs: Int32
    /// Results grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        topics: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    /// Decodes the OffsetCommitResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 8
        if version >= 3 {
            self.throttleTimeMs = try reader.readInt32("OffsetCommitResponse.throttleTimeMs")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "OffsetCommitResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("OffsetCommitResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 8
        if version >= 3 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Results grouped by topic.
    /// Present in v0-8.
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
            let flexible = version >= 8
            self.name = try reader.readString(compact: flexible, "OffsetCommitResponse.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 6, "OffsetCommitResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("OffsetCommitResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 8
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Result per partition.
        /// Present in v0-8.
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
                let flexible = version >= 8
                self.partitionIndex = try reader.readInt32("OffsetCommitResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("OffsetCommitResponse.Topic.Partition.errorCode")
                if flexible {
                    try reader.readTaggedFields("OffsetCommitResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 8
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
