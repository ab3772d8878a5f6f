// generated from proto/ — do not edit
// Source: proto/kafka/ListOffsets.json

/// Finds the earliest, latest, or first-at-timestamp offset of partitions.
///
/// API key 2; versions 0-7; flexible from v6.
public struct ListOffsetsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listOffsets
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...7
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// Broker id of a follower, -1 for consumers. (all versions)
    public var replicaId: Int32
    /// 0 read_uncommitted, 1 read_committed. (v2-7)
    public var isolationLevel: Int8
    /// Partitions to look up, grouped by topic. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        replicaId: Int32 = 0,
        isolationLevel: Int8 = 0,
        topics: [Topic] = []
    ) {
        self.replicaId = replicaId
        self.isolationLevel = isolationLevel
        self.topics = topics
    }

    /// Decodes the ListOffsetsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        self.replicaId = try reader.readInt32("ListOffsetsRequest.replicaId")
        if version >= 2 {
            self.isolationLevel = try reader.readInt8("ListOffsetsRequest.isolationLevel")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "ListOffsetsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("ListOffsetsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
        writer.writeInt32(self.replicaId)
        if version >= 2 {
            writer.writeInt8(self.isolationLevel)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Partitions to look up, grouped by topic.
    /// Present in v0-7.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partitions to look up. (all versions)
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
            self.name = try reader.readString(compact: flexible, "ListOffsetsRequest.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 12, "ListOffsetsRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("ListOffsetsRequest.Topic tagged fields")
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

        /// Partitions to look up.
        /// Present in v0-7.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Leader epoch the client believes current, -1 to skip the check. (v4-7)
            public var currentLeaderEpoch: Int32
            /// Target time in ms; -1 latest, -2 earliest, -3 largest timestamp (v7). (all versions)
            public var timestamp: Int64
            /// How many offsets to return (v0 only). (v0)
            public var maxNumOffsets: Int32

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                currentLeaderEpoch: Int32 = -1,
                timestamp: Int64 = 0,
                maxNumOffsets: Int32 = 1
            ) {
                self.partitionIndex = partitionIndex
                self.currentLeaderEpoch = currentLeaderEpoch
                self.timestamp = timestamp
                self.maxNumOffsets = maxNumOffsets
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 6
                self.partitionIndex = try reader.readInt32("ListOffsetsRequest.Topic.Partition.partitionIndex")
                if version >= 4 {
                    self.currentLeaderEpoch = try reader.readInt32("ListOffsetsRequest.Topic.Partition.currentLeaderEpoch")
                }
                self.timestamp = try reader.readInt64("ListOffsetsRequest.Topic.Partition.timestamp")
                if version <= 0 {
                    self.maxNumOffsets = try reader.readInt32("ListOffsetsRequest.Topic.Partition.maxNumOffsets")
                }
                if flexible {
                    try reader.readTaggedFields("ListOffsetsRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 6
                writer.writeInt32(self.partitionIndex)
                if version >= 4 {
                    writer.writeInt32(self.currentLeaderEpoch)
                }
                writer.writeInt64(self.timestamp)
                if version <= 0 {
                    writer.writeInt32(self.maxNumOffsets)
                }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Finds the earliest, latest, or first-at-timestamp offset of partitions.
///
/// API key 2; versions 0-7; flexible from v6.
public struct ListOffsetsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .listOffsets
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...7
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 6

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v2-7)
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

    /// Decodes the ListOffsetsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 6
        if version >= 2 {
            self.throttleTimeMs = try reader.readInt32("ListOffsetsResponse.throttleTimeMs")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "ListOffsetsResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("ListOffsetsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 6
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
    /// Present in v0-7.
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
            let flexible = version >= 6
            self.name = try reader.readString(compact: flexible, "ListOffsetsResponse.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 6, "ListOffsetsResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("ListOffsetsResponse.Topic tagged fields")
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

        /// Result per partition.
        /// Present in v0-7.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// The offsets found (v0 only). (v0)
            public var oldStyleOffsets: [Int64]
            /// Timestamp of the offset found, -1 if not applicable. (v1-7)
            public var timestamp: Int64
            /// The offset found, -1 if none. (v1-7)
            public var offset: Int64
            /// Leader epoch of the offset found, -1 if unknown. (v4-7)
            public var leaderEpoch: Int32

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                errorCode: Int16 = 0,
                oldStyleOffsets: [Int64] = [],
                timestamp: Int64 = -1,
                offset: Int64 = -1,
                leaderEpoch: Int32 = -1
            ) {
                self.partitionIndex = partitionIndex
                self.errorCode = errorCode
                self.oldStyleOffsets = oldStyleOffsets
                self.timestamp = timestamp
                self.offset = offset
                self.leaderEpoch = leaderEpoch
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 6
                self.partitionIndex = try reader.readInt32("ListOffsetsResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("ListOffsetsResponse.Topic.Partition.errorCode")
                if version <= 0 {
                    self.oldStyleOffsets = try reader.readArray(compact: flexible, minimumElementBytes: 8, "ListOffsetsResponse.Topic.Partition.oldStyleOffsets") { r throws(WireError) in try r.readInt64("ListOffsetsResponse.Topic.Partition.oldStyleOffsets") }
                }
                if version >= 1 {
                    self.timestamp = try reader.readInt64("ListOffsetsResponse.Topic.Partition.timestamp")
                }
                if version >= 1 {
                    self.offset = try reader.readInt64("ListOffsetsResponse.Topic.Partition.offset")
                }
                if version >= 4 {
                    self.leaderEpoch = try reader.readInt32("ListOffsetsResponse.Topic.Partition.leaderEpoch")
                }
                if flexible {
                    try reader.readTaggedFields("ListOffsetsResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 6
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
                if version <= 0 {
                    writer.writeArrayCount(self.oldStyleOffsets.count, compact: flexible, nullable: false)
                    for item in self.oldStyleOffsets { writer.writeInt64(item) }
                }
                if version >= 1 {
                    writer.writeInt64(self.timestamp)
                }
                if version >= 1 {
                    writer.writeInt64(self.offset)
                }
                if version >= 4 {
                    writer.writeInt32(self.leaderEpoch)
                }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
