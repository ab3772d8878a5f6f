// generated from proto/ — do not edit
// Source: proto/kafka/OffsetForLeaderEpoch.json

/// Returns where a leader epoch ended, so a consumer can detect log truncation.
///
/// API key 23; versions 0-4; flexible from v4.
public struct OffsetForLeaderEpochRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetForLeaderEpoch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// Follower broker id, -1 for consumers, -2 for debugging tools. (v3-4)
    public var replicaId: Int32
    /// Partitions to look up, grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        replicaId: Int32 = -2,
        topics: [Topic] = []
    ) {
        self.replicaId = replicaId
        self.topics = topics
    }

    /// Decodes the OffsetForLeaderEpochRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 3 {
            self.replicaId = try reader.readInt32("OffsetForLeaderEpochRequest.replicaId")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "OffsetForLeaderEpochRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("OffsetForLeaderEpochRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 3 {
            writer.writeInt32(self.replicaId)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Partitions to look up, grouped by topic.
    /// Present in v0-4.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topic: String
        /// Partitions to look up. (all versions)
        public var partitions: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            topic: String = "",
            partitions: [Partition] = []
        ) {
            self.topic = topic
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.topic = try reader.readString(compact: flexible, "OffsetForLeaderEpochRequest.Topic.topic")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 8, "OffsetForLeaderEpochRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("OffsetForLeaderEpochRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeString(self.topic, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Partitions to look up.
        /// Present in v0-4.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partition: Int32
            /// Leader epoch the client believes current, -1 to skip the check. (v2-4)
            public var currentLeaderEpoch: Int32
            /// Epoch whose end offset is wanted. (all versions)
            public var leaderEpoch: Int32

            /// A value with every field given or left at its schema default.
            public init(
                partition: Int32 = 0,
                currentLeaderEpoch: Int32 = -1,
                leaderEpoch: Int32 = 0
            ) {
                self.partition = partition
                self.currentLeaderEpoch = currentLeaderEpoch
                self.leaderEpoch = leaderEpoch
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 4
                self.partition = try reader.readInt32("OffsetForLeaderEpochRequest.Topic.Partition.partition")
                if version >= 2 {
                    self.currentLeaderEpoch = try reader.readInt32("OffsetForLeaderEpochRequest.Topic.Partition.currentLeaderEpoch")
                }
                self.leaderEpoch = try reader.readInt32("OffsetForLeaderEpochRequest.Topic.Partition.leaderEpoch")
                if flexible {
                    try reader.readTaggedFields("OffsetForLeaderEpochRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 4
                writer.writeInt32(self.partition)
                if version >= 2 {
                    writer.writeInt32(self.currentLeaderEpoch)
                }
                writer.writeInt32(self.leaderEpoch)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Returns where a leader epoch ended, so a consumer can detect log truncation.
///
/// API key 23; versions 0-4; flexible from v4.
public struct OffsetForLeaderEpochResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .offsetForLeaderEpoch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 4

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v2-4)
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

    /// Decodes the OffsetForLeaderEpochResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 4
        if version >= 2 {
            self.throttleTimeMs = try reader.readInt32("OffsetForLeaderEpochResponse.throttleTimeMs")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "OffsetForLeaderEpochResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("OffsetForLeaderEpochResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 2 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Results grouped by topic.
    /// Present in v0-4.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topic: String
        /// Result per partition. (all versions)
        public var partitions: [EpochEndOffset]

        /// A value with every field given or left at its schema default.
        public init(
            topic: String = "",
            partitions: [EpochEndOffset] = []
        ) {
            self.topic = topic
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 4
            self.topic = try reader.readString(compact: flexible, "OffsetForLeaderEpochResponse.Topic.topic")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 14, "OffsetForLeaderEpochResponse.Topic.partitions") { r throws(WireError) in try EpochEndOffset(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("OffsetForLeaderEpochResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 4
            writer.writeString(self.topic, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Result per partition.
        /// Present in v0-4.
        public struct EpochEndOffset: WireMessage, Equatable {
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Partition index. (all versions)
            public var partition: Int32
            /// Largest epoch not above the requested one, -1 if unknown. (v1-4)
            public var leaderEpoch: Int32
            /// Offset where that epoch ended (the log end for the current epoch), -1 if unknown. (all versions)
            public var endOffset: Int64

            /// A value with every field given or left at its schema default.
            public init(
                errorCode: Int16 = 0,
                partition: Int32 = 0,
                leaderEpoch: Int32 = -1,
                endOffset: Int64 = -1
            ) {
                self.errorCode = errorCode
                self.partition = partition
                self.leaderEpoch = leaderEpoch
                self.endOffset = endOffset
            }

            /// Decodes the EpochEndOffset of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 4
                self.errorCode = try reader.readInt16("OffsetForLeaderEpochResponse.Topic.EpochEndOffset.errorCode")
                self.partition = try reader.readInt32("OffsetForLeaderEpochResponse.Topic.EpochEndOffset.partition")
                if version >= 1 {
                    self.leaderEpoch = try reader.readInt32("OffsetForLeaderEpochResponse.Topic.EpochEndOffset.leaderEpoch")
                }
                self.endOffset = try reader.readInt64("OffsetForLeaderEpochResponse.Topic.EpochEndOffset.endOffset")
                if flexible {
                    try reader.readTaggedFields("OffsetForLeaderEpochResponse.Topic.EpochEndOffset tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 4
                writer.writeInt16(self.errorCode)
                writer.writeInt32(self.partition)
                if version >= 1 {
                    writer.writeInt32(self.leaderEpoch)
                }
                writer.writeInt64(self.endOffset)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
