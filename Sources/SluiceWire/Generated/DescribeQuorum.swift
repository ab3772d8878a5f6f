// generated from proto/ — do not edit
// Source: proto/kafka/DescribeQuorum.json

/// Describes the controller quorum: its leader, its voters and the nodes that follow it without a vote.
///
/// API key 55; versions 0-1; flexible from v0.
public struct DescribeQuorumRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeQuorum
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The quorum's log, named as a topic (Kafka's __cluster_metadata). (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic] = []
    ) {
        self.topics = topics
    }

    /// Decodes the DescribeQuorumRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.topics = try reader.readArray(compact: true, minimumElementBytes: 3, "DescribeQuorumRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("DescribeQuorumRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeArrayCount(self.topics.count, compact: true, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// The quorum's log, named as a topic (Kafka's __cluster_metadata).
    /// Present in v0-1.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topicName: String
        /// Partitions of it. (all versions)
        public var partitions: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            topicName: String = "",
            partitions: [Partition] = []
        ) {
            self.topicName = topicName
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.topicName = try reader.readString(compact: true, "DescribeQuorumRequest.Topic.topicName")
            self.partitions = try reader.readArray(compact: true, minimumElementBytes: 5, "DescribeQuorumRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            try reader.readTaggedFields("DescribeQuorumRequest.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.topicName, compact: true)
            writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// Partitions of it.
        /// Present in v0-1.
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
                self.partitionIndex = try reader.readInt32("DescribeQuorumRequest.Topic.Partition.partitionIndex")
                try reader.readTaggedFields("DescribeQuorumRequest.Topic.Partition tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Describes the controller quorum: its leader, its voters and the nodes that follow it without a vote.
///
/// API key 55; versions 0-1; flexible from v0.
public struct DescribeQuorumResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeQuorum
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// Error for the whole request, 0 for none. (all versions)
    public var errorCode: Int16
    /// One entry per topic asked about. (all versions)
    public var topics: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        errorCode: Int16 = 0,
        topics: [Topic] = []
    ) {
        self.errorCode = errorCode
        self.topics = topics
    }

    /// Decodes the DescribeQuorumResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.errorCode = try reader.readInt16("DescribeQuorumResponse.errorCode")
        self.topics = try reader.readArray(compact: true, minimumElementBytes: 3, "DescribeQuorumResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        try reader.readTaggedFields("DescribeQuorumResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt16(self.errorCode)
        writer.writeArrayCount(self.topics.count, compact: true, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// One entry per topic asked about.
    /// Present in v0-1.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topicName: String
        /// One entry per partition asked about. (all versions)
        public var partitions: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            topicName: String = "",
            partitions: [Partition] = []
        ) {
            self.topicName = topicName
            self.partitions = partitions
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.topicName = try reader.readString(compact: true, "DescribeQuorumResponse.Topic.topicName")
            self.partitions = try reader.readArray(compact: true, minimumElementBytes: 25, "DescribeQuorumResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            try reader.readTaggedFields("DescribeQuorumResponse.Topic tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.topicName, compact: true)
            writer.writeArrayCount(self.partitions.count, compact: true, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// One entry per partition asked about.
        /// Present in v0-1.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Error for this partition, 0 for none. (all versions)
            public var errorCode: Int16
            /// The quorum's leader, -1 when none is known. (all versions)
            public var leaderId: Int32
            /// The leader's term. (all versions)
            public var leaderEpoch: Int32
            /// The quorum's committed log index. (all versions)
            public var highWatermark: Int64
            /// The voters. (all versions)
            public var currentVoters: [Voter]
            /// The nodes that follow the log without a vote (learners). (all versions)
            public var observers: [Observer]
            /// Wall-clock ms the committed index last moved, -1 when unknown. (v1; tag 0)
            public var highWatermarkUpdateTimeMs: Int64

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                errorCode: Int16 = 0,
                leaderId: Int32 = 0,
                leaderEpoch: Int32 = 0,
                highWatermark: Int64 = 0,
                currentVoters: [Voter] = [],
                observers: [Observer] = [],
                highWatermarkUpdateTimeMs: Int64 = -1
            ) {
                self.partitionIndex = partitionIndex
                self.errorCode = errorCode
                self.leaderId = leaderId
                self.leaderEpoch = leaderEpoch
                self.highWatermark = highWatermark
                self.currentVoters = currentVoters
                self.observers = observers
                self.highWatermarkUpdateTimeMs = highWatermarkUpdateTimeMs
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.partitionIndex = try reader.readInt32("DescribeQuorumResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("DescribeQuorumResponse.Topic.Partition.errorCode")
                self.leaderId = try reader.readInt32("DescribeQuorumResponse.Topic.Partition.leaderId")
                self.leaderEpoch = try reader.readInt32("DescribeQuorumResponse.Topic.Partition.leaderEpoch")
                self.highWatermark = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.highWatermark")
                self.currentVoters = try reader.readArray(compact: true, minimumElementBytes: 13, "DescribeQuorumResponse.Topic.Partition.currentVoters") { r throws(WireError) in try Voter(from: &r, version: version) }
                self.observers = try reader.readArray(compact: true, minimumElementBytes: 13, "DescribeQuorumResponse.Topic.Partition.observers") { r throws(WireError) in try Observer(from: &r, version: version) }
                try reader.readTaggedFields("DescribeQuorumResponse.Topic.Partition tagged fields") { tag, field throws(WireError) in
                    switch tag {
                    case 0 where version >= 1:
                        self.highWatermarkUpdateTimeMs = try field.readInt64("DescribeQuorumResponse.Topic.Partition.highWatermarkUpdateTimeMs")
                    default:
                        break
                    }
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
                writer.writeInt32(self.leaderId)
                writer.writeInt32(self.leaderEpoch)
                writer.writeInt64(self.highWatermark)
                writer.writeArrayCount(self.currentVoters.count, compact: true, nullable: false)
                for item in self.currentVoters { item.encode(into: &writer, version: version) }
                writer.writeArrayCount(self.observers.count, compact: true, nullable: false)
                for item in self.observers { item.encode(into: &writer, version: version) }
                var taggedCount: UInt32 = 0
                if version >= 1 && self.highWatermarkUpdateTimeMs != -1 { taggedCount += 1 }
                writer.writeUnsignedVarint(taggedCount)
                if version >= 1 && self.highWatermarkUpdateTimeMs != -1 {
                    var tagged = ByteWriter()
                    tagged.writeInt64(self.highWatermarkUpdateTimeMs)
                    writer.writeUnsignedVarint(0)
                    writer.writeUnsignedVarint(UInt32(tagged.count))
                    writer.writeRaw(tagged.bytes)
                }
            }

            /// The voters.
            /// Present in v0-1.
            public struct Voter: WireMessage, Equatable {
                /// Node id. (all versions)
                public var replicaId: Int32
                /// The last log index the leader knows the node holds, -1 when unknown. (all versions)
                public var logEndOffset: Int64
                /// Wall-clock ms the leader last heard from the node, -1 when unknown. (v1)
                public var lastFetchTimestamp: Int64
                /// Wall-clock ms the node last held the leader's whole log, -1 when unknown. (v1)
                public var lastCaughtUpTimestamp: Int64

                /// A value with every field given or left at its schema default.
                public init(
                    replicaId: Int32 = 0,
                    logEndOffset: Int64 = 0,
                    lastFetchTimestamp: Int64 = -1,
                    lastCaughtUpTimestamp: Int64 = -1
                ) {
                    self.replicaId = replicaId
                    self.logEndOffset = logEndOffset
                    self.lastFetchTimestamp = lastFetchTimestamp
                    self.lastCaughtUpTimestamp = lastCaughtUpTimestamp
                }

                /// Decodes the Voter of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.replicaId = try reader.readInt32("DescribeQuorumResponse.Topic.Partition.Voter.replicaId")
                    self.logEndOffset = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Voter.logEndOffset")
                    if version >= 1 {
                        self.lastFetchTimestamp = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Voter.lastFetchTimestamp")
                    }
                    if version >= 1 {
                        self.lastCaughtUpTimestamp = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Voter.lastCaughtUpTimestamp")
                    }
                    try reader.readTaggedFields("DescribeQuorumResponse.Topic.Partition.Voter tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt32(self.replicaId)
                    writer.writeInt64(self.logEndOffset)
                    if version >= 1 {
                        writer.writeInt64(self.lastFetchTimestamp)
                    }
                    if version >= 1 {
                        writer.writeInt64(self.lastCaughtUpTimestamp)
                    }
                    writer.writeEmptyTaggedFields()
                }
            }

            /// The nodes that follow the log without a vote (learners).
            /// Present in v0-1.
            public struct Observer: WireMessage, Equatable {
                /// Node id. (all versions)
                public var replicaId: Int32
                /// The last log index the leader knows the node holds, -1 when unknown. (all versions)
                public var logEndOffset: Int64
                /// Wall-clock ms the leader last heard from the node, -1 when unknown. (v1)
                public var lastFetchTimestamp: Int64
                /// Wall-clock ms the node last held the leader's whole log, -1 when unknown. (v1)
                public var lastCaughtUpTimestamp: Int64

                /// A value with every field given or left at its schema default.
                public init(
                    replicaId: Int32 = 0,
                    logEndOffset: Int64 = 0,
                    lastFetchTimestamp: Int64 = -1,
                    lastCaughtUpTimestamp: Int64 = -1
                ) {
                    self.replicaId = replicaId
                    self.logEndOffset = logEndOffset
                    self.lastFetchTimestamp = lastFetchTimestamp
                    self.lastCaughtUpTimestamp = lastCaughtUpTimestamp
                }

                /// Decodes the Observer of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.replicaId = try reader.readInt32("DescribeQuorumResponse.Topic.Partition.Observer.replicaId")
                    self.logEndOffset = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Observer.logEndOffset")
                    if version >= 1 {
                        self.lastFetchTimestamp = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Observer.lastFetchTimestamp")
                    }
                    if version >= 1 {
                        self.lastCaughtUpTimestamp = try reader.readInt64("DescribeQuorumResponse.Topic.Partition.Observer.lastCaughtUpTimestamp")
                    }
                    try reader.readTaggedFields("DescribeQuorumResponse.Topic.Partition.Observer tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt32(self.replicaId)
                    writer.writeInt64(self.logEndOffset)
                    if version >= 1 {
                        writer.writeInt64(self.lastFetchTimestamp)
                    }
                    if version >= 1 {
                        writer.writeInt64(self.lastCaughtUpTimestamp)
                    }
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
