// generated from proto/ — do not edit
// Source: proto/kafka/Fetch.json

/// Reads record batches from partitions, waiting up to maxWaitMs for minBytes to accumulate.
///
/// API key 1; versions 0-12; flexible from v12.
public struct FetchRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .fetch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...12
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 12

    /// Cluster id the sender expects, or null (tagged). (v12; nullable v12; tag 0)
    public var clusterId: String?
    /// Broker id of a follower, -1 for consumers. (all versions)
    public var replicaId: Int32
    /// Longest time to wait for minBytes, in ms. (all versions)
    public var maxWaitMs: Int32
    /// Fewest bytes worth answering with. (all versions)
    public var minBytes: Int32
    /// Upper bound on the response size in bytes (best effort: the first batch is always returned whole). (v3-12)
    public var maxBytes: Int32
    /// 0 read_uncommitted, 1 read_committed. (v4-12)
    public var isolationLevel: Int8
    /// Incremental fetch session id, 0 for a sessionless fetch. (v7-12)
    public var sessionId: Int32
    /// Incremental fetch session epoch; -1 means no session, 0 asks for a new one. (v7-12)
    public var sessionEpoch: Int32
    /// Partitions to read, grouped by topic. (all versions)
    public var topics: [Topic]
    /// Partitions to drop from the incremental fetch session. (v7-12)
    public var forgottenTopicsData: [ForgottenTopic]
    /// Rack of the consumer, for follower fetching; empty if unset. (v11-12)
    public var rackId: String

    /// A value with every field given or left at its schema default.
    public init(
        clusterId: String? = nil,
        replicaId: Int32 = -1,
        maxWaitMs: Int32 = 0,
        minBytes: Int32 = 0,
        maxBytes: Int32 = 2147483647,
        isolationLevel: Int8 = 0,
        sessionId: Int32 = 0,
        sessionEpoch: Int32 = -1,
        topics: [Topic] = [],
        forgottenTopicsData: [ForgottenTopic] = [],
        rackId: String = ""
    ) {
        self.clusterId = clusterId
        self.replicaId = replicaId
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel
        self.sessionId = sessionId
        self.sessionEpoch = sessionEpoch
        self.topics = topics
        self.forgottenTopicsData = forgottenTopicsData
        self.rackId = rackId
    }

    /// Decodes the FetchRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 12
        self.replicaId = try reader.readInt32("FetchRequest.replicaId")
        self.maxWaitMs = try reader.readInt32("FetchRequest.maxWaitMs")
        self.minBytes = try reader.readInt32("FetchRequest.minBytes")
        if version >= 3 {
            self.maxBytes = try reader.readInt32("FetchRequest.maxBytes")
        }
        if version >= 4 {
            self.isolationLevel = try reader.readInt8("FetchRequest.isolationLevel")
        }
        if version >= 7 {
            self.sessionId = try reader.readInt32("FetchRequest.sessionId")
        }
        if version >= 7 {
            self.sessionEpoch = try reader.readInt32("FetchRequest.sessionEpoch")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "FetchRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if version >= 7 {
            self.forgottenTopicsData = try reader.readArray(compact: flexible, minimumElementBytes: 2, "FetchRequest.forgottenTopicsData") { r throws(WireError) in try ForgottenTopic(from: &r, version: version) }
        }
        if version >= 11 {
            self.rackId = try reader.readString(compact: flexible, "FetchRequest.rackId")
        }
        if flexible {
            try reader.readTaggedFields("FetchRequest tagged fields") { tag, field throws(WireError) in
                switch tag {
                case 0:
                    self.clusterId = try field.readNullableString(compact: true, nullable: true, "FetchRequest.clusterId")
                default:
                    break
                }
            }
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 12
        writer.writeInt32(self.replicaId)
        writer.writeInt32(self.maxWaitMs)
        writer.writeInt32(self.minBytes)
        if version >= 3 {
            writer.writeInt32(self.maxBytes)
        }
        if version >= 4 {
            writer.writeInt8(self.isolationLevel)
        }
        if version >= 7 {
            writer.writeInt32(self.sessionId)
        }
        if version >= 7 {
            writer.writeInt32(self.sessionEpoch)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if version >= 7 {
            writer.writeArrayCount(self.forgottenTopicsData.count, compact: flexible, nullable: false)
            for item in self.forgottenTopicsData { item.encode(into: &writer, version: version) }
        }
        if version >= 11 {
            writer.writeString(self.rackId, compact: flexible)
        }
        if flexible {
            var taggedCount: UInt32 = 0
            if self.clusterId != nil { taggedCount += 1 }
            writer.writeUnsignedVarint(taggedCount)
            if self.clusterId != nil {
                var tagged = ByteWriter()
                tagged.writeNullableString(self.clusterId, compact: true, nullable: true)
                writer.writeUnsignedVarint(0)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
        }
    }

    /// Partitions to read, grouped by topic.
    /// Present in v0-12.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topic: String
        /// Partitions to read from this topic. (all versions)
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
            let flexible = version >= 12
            self.topic = try reader.readString(compact: flexible, "FetchRequest.Topic.topic")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 16, "FetchRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("FetchRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 12
            writer.writeString(self.topic, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Partitions to read from this topic.
        /// Present in v0-12.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partition: Int32
            /// Leader epoch the client believes current, -1 to skip the check. (v9-12)
            public var currentLeaderEpoch: Int32
            /// Offset to start reading at. (all versions)
            public var fetchOffset: Int64
            /// Epoch of the last batch the follower holds, -1 if unknown. (v12)
            public var lastFetchedEpoch: Int32
            /// Log start offset of the follower, -1 from consumers. (v5-12)
            public var logStartOffset: Int64
            /// Upper bound on bytes returned for this partition. (all versions)
            public var partitionMaxBytes: Int32

            /// A value with every field given or left at its schema default.
            public init(
                partition: Int32 = 0,
                currentLeaderEpoch: Int32 = -1,
                fetchOffset: Int64 = 0,
                lastFetchedEpoch: Int32 = -1,
                logStartOffset: Int64 = -1,
                partitionMaxBytes: Int32 = 0
            ) {
                self.partition = partition
                self.currentLeaderEpoch = currentLeaderEpoch
                self.fetchOffset = fetchOffset
                self.lastFetchedEpoch = lastFetchedEpoch
                self.logStartOffset = logStartOffset
                self.partitionMaxBytes = partitionMaxBytes
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 12
                self.partition = try reader.readInt32("FetchRequest.Topic.Partition.partition")
                if version >= 9 {
                    self.currentLeaderEpoch = try reader.readInt32("FetchRequest.Topic.Partition.currentLeaderEpoch")
                }
                self.fetchOffset = try reader.readInt64("FetchRequest.Topic.Partition.fetchOffset")
                if version >= 12 {
                    self.lastFetchedEpoch = try reader.readInt32("FetchRequest.Topic.Partition.lastFetchedEpoch")
                }
                if version >= 5 {
                    self.logStartOffset = try reader.readInt64("FetchRequest.Topic.Partition.logStartOffset")
                }
                self.partitionMaxBytes = try reader.readInt32("FetchRequest.Topic.Partition.partitionMaxBytes")
                if flexible {
                    try reader.readTaggedFields("FetchRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 12
                writer.writeInt32(self.partition)
                if version >= 9 {
                    writer.writeInt32(self.currentLeaderEpoch)
                }
                writer.writeInt64(self.fetchOffset)
                if version >= 12 {
                    writer.writeInt32(self.lastFetchedEpoch)
                }
                if version >= 5 {
                    writer.writeInt64(self.logStartOffset)
                }
                writer.writeInt32(self.partitionMaxBytes)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }

    /// Partitions to drop from the incremental fetch session.
    /// Present in v7-12.
    public struct ForgottenTopic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topic: String
        /// Partition indexes to drop. (all versions)
        public var partitions: [Int32]

        /// A value with every field given or left at its schema default.
        public init(
            topic: String = "",
            partitions: [Int32] = []
        ) {
            self.topic = topic
            self.partitions = partitions
        }

        /// Decodes the ForgottenTopic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 12
            self.topic = try reader.readString(compact: flexible, "FetchRequest.ForgottenTopic.topic")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 4, "FetchRequest.ForgottenTopic.partitions") { r throws(WireError) in try r.readInt32("FetchRequest.ForgottenTopic.partitions") }
            if flexible {
                try reader.readTaggedFields("FetchRequest.ForgottenTopic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 12
            writer.writeString(self.topic, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { writer.writeInt32(item) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Reads record batches from partitions, waiting up to maxWaitMs for minBytes to accumulate.
///
/// API key 1; versions 0-12; flexible from v12.
public struct FetchResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .fetch
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...12
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 12

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-12)
    public var throttleTimeMs: Int32
    /// Error for the whole request (fetch session errors). (v7-12)
    public var errorCode: Int16
    /// Fetch session id granted, or 0 if the broker declined to open one. (v7-12)
    public var sessionId: Int32
    /// Results grouped by topic. (all versions)
    public var responses: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        sessionId: Int32 = 0,
        responses: [Topic] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.sessionId = sessionId
        self.responses = responses
    }

    /// Decodes the FetchResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 12
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("FetchResponse.throttleTimeMs")
        }
        if version >= 7 {
            self.errorCode = try reader.readInt16("FetchResponse.errorCode")
        }
        if version >= 7 {
            self.sessionId = try reader.readInt32("FetchResponse.sessionId")
        }
        self.responses = try reader.readArray(compact: flexible, minimumElementBytes: 2, "FetchResponse.responses") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("FetchResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 12
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        if version >= 7 {
            writer.writeInt16(self.errorCode)
        }
        if version >= 7 {
            writer.writeInt32(self.sessionId)
        }
        writer.writeArrayCount(self.responses.count, compact: flexible, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Results grouped by topic.
    /// Present in v0-12.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var topic: String
        /// Result per partition. (all versions)
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
            let flexible = version >= 12
            self.topic = try reader.readString(compact: flexible, "FetchResponse.Topic.topic")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 15, "FetchResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("FetchResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 12
            writer.writeString(self.topic, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Result per partition.
        /// Present in v0-12.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Offset after the last committed record. (all versions)
            public var highWatermark: Int64
            /// Offset below which no transaction is open; the high watermark when there are none. (v4-12)
            public var lastStableOffset: Int64
            /// Log start offset of the partition. (v5-12)
            public var logStartOffset: Int64
            /// Set for a follower whose log has diverged: the last common epoch and where it ends (tagged). (v12; tag 0)
            public var divergingEpoch: EpochEndOffset
            /// The leader as this broker knows it, when it is not the leader (tagged). (v12; tag 1)
            public var currentLeader: LeaderIdAndEpoch
            /// Snapshot to fetch instead, when the offset is below the log start (tagged). (v12; tag 2)
            public var snapshotId: SnapshotId
            /// Aborted transactions overlapping the returned records, for read_committed; null if none. (v4-12; nullable v4-12)
            public var abortedTransactions: [AbortedTransaction]?
            /// Replica the consumer should read from instead, -1 for the leader. (v11-12)
            public var preferredReadReplica: Int32
            /// Stored record batches, concatenated; may start before the fetch offset. (all versions; nullable v0-12)
            public var records: Records?

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                errorCode: Int16 = 0,
                highWatermark: Int64 = 0,
                lastStableOffset: Int64 = -1,
                logStartOffset: Int64 = -1,
                divergingEpoch: EpochEndOffset = EpochEndOffset(),
                currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch(),
                snapshotId: SnapshotId = SnapshotId(),
                abortedTransactions: [AbortedTransaction]? = [],
                preferredReadReplica: Int32 = -1,
                records: Records? = nil
            ) {
                self.partitionIndex = partitionIndex
                self.errorCode = errorCode
                self.highWatermark = highWatermark
                self.lastStableOffset = lastStableOffset
                self.logStartOffset = logStartOffset
                self.divergingEpoch = divergingEpoch
                self.currentLeader = currentLeader
                self.snapshotId = snapshotId
                self.abortedTransactions = abortedTransactions
                self.preferredReadReplica = preferredReadReplica
                self.records = records
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 12
                self.partitionIndex = try reader.readInt32("FetchResponse.Topic.Partition.partitionIndex")
                self.errorCode = try reader.readInt16("FetchResponse.Topic.Partition.errorCode")
                self.highWatermark = try reader.readInt64("FetchResponse.Topic.Partition.highWatermark")
                if version >= 4 {
                    self.lastStableOffset = try reader.readInt64("FetchResponse.Topic.Partition.lastStableOffset")
                }
                if version >= 5 {
                    self.logStartOffset = try reader.readInt64("FetchResponse.Topic.Partition.logStartOffset")
                }
                if version >= 4 {
                    self.abortedTransactions = try reader.readNullableArray(compact: flexible, nullable: true, minimumElementBytes: 16, "FetchResponse.Topic.Partition.abortedTransactions") { r throws(WireError) in try AbortedTransaction(from: &r, version: version) }
                }
                if version >= 11 {
                    self.preferredReadReplica = try reader.readInt32("FetchResponse.Topic.Partition.preferredReadReplica")
                }
                self.records = try reader.readRecords(compact: flexible, nullable: true, "FetchResponse.Topic.Partition.records")
                if flexible {
                    try reader.readTaggedFields("FetchResponse.Topic.Partition tagged fields") { tag, field throws(WireError) in
                        switch tag {
                        case 0:
                            self.divergingEpoch = try EpochEndOffset(from: &field, version: version)
                        case 1:
                            self.currentLeader = try LeaderIdAndEpoch(from: &field, version: version)
                        case 2:
                            self.snapshotId = try SnapshotId(from: &field, version: version)
                        default:
                            break
                        }
                    }
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 12
                writer.writeInt32(self.partitionIndex)
                writer.writeInt16(self.errorCode)
                writer.writeInt64(self.highWatermark)
                if version >= 4 {
                    writer.writeInt64(self.lastStableOffset)
                }
                if version >= 5 {
                    writer.writeInt64(self.logStartOffset)
                }
                if version >= 4 {
                    writer.writeArrayCount(self.abortedTransactions?.count, compact: flexible, nullable: true)
                    for item in self.abortedTransactions ?? [] { item.encode(into: &writer, version: version) }
                }
                if version >= 11 {
                    writer.writeInt32(self.preferredReadReplica)
                }
                writer.writeRecords(self.records, compact: flexible, nullable: true)
                if flexible {
                    var taggedCount: UInt32 = 0
                    if self.divergingEpoch != EpochEndOffset() { taggedCount += 1 }
                    if self.currentLeader != LeaderIdAndEpoch() { taggedCount += 1 }
                    if self.snapshotId != SnapshotId() { taggedCount += 1 }
                    writer.writeUnsignedVarint(taggedCount)
                    if self.divergingEpoch != EpochEndOffset() {
                        var tagged = ByteWriter()
                        self.divergingEpoch.encode(into: &tagged, version: version)
                        writer.writeUnsignedVarint(0)
                        writer.writeUnsignedVarint(UInt32(tagged.count))
                        writer.writeRaw(tagged.bytes)
                    }
                    if self.currentLeader != LeaderIdAndEpoch() {
                        var tagged = ByteWriter()
                        self.currentLeader.encode(into: &tagged, version: version)
                        writer.writeUnsignedVarint(1)
                        writer.writeUnsignedVarint(UInt32(tagged.count))
                        writer.writeRaw(tagged.bytes)
                    }
                    if self.snapshotId != SnapshotId() {
                        var tagged = ByteWriter()
                        self.snapshotId.encode(into: &tagged, version: version)
                        writer.writeUnsignedVarint(2)
                        writer.writeUnsignedVarint(UInt32(tagged.count))
                        writer.writeRaw(tagged.bytes)
                    }
                }
            }

            /// Set for a follower whose log has diverged: the last common epoch and where it ends (tagged).
            /// Present in v12.
            public struct EpochEndOffset: WireMessage, Equatable {
                /// Leader epoch. (all versions)
                public var epoch: Int32
                /// Offset where that epoch ended. (all versions)
                public var endOffset: Int64

                /// A value with every field given or left at its schema default.
                public init(
                    epoch: Int32 = -1,
                    endOffset: Int64 = -1
                ) {
                    self.epoch = epoch
                    self.endOffset = endOffset
                }

                /// Decodes the EpochEndOffset of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.epoch = try reader.readInt32("FetchResponse.Topic.Partition.EpochEndOffset.epoch")
                    self.endOffset = try reader.readInt64("FetchResponse.Topic.Partition.EpochEndOffset.endOffset")
                    try reader.readTaggedFields("FetchResponse.Topic.Partition.EpochEndOffset tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt32(self.epoch)
                    writer.writeInt64(self.endOffset)
                    writer.writeEmptyTaggedFields()
                }
            }

            /// The leader as this broker knows it, when it is not the leader (tagged).
            /// Present in v12.
            public struct LeaderIdAndEpoch: WireMessage, Equatable {
                /// Leader broker id, -1 if unknown. (all versions)
                public var leaderId: Int32
                /// Leader epoch, -1 if unknown. (all versions)
                public var leaderEpoch: Int32

                /// A value with every field given or left at its schema default.
                public init(
                    leaderId: Int32 = -1,
                    leaderEpoch: Int32 = -1
                ) {
                    self.leaderId = leaderId
                    self.leaderEpoch = leaderEpoch
                }

                /// Decodes the LeaderIdAndEpoch of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.leaderId = try reader.readInt32("FetchResponse.Topic.Partition.LeaderIdAndEpoch.leaderId")
                    self.leaderEpoch = try reader.readInt32("FetchResponse.Topic.Partition.LeaderIdAndEpoch.leaderEpoch")
                    try reader.readTaggedFields("FetchResponse.Topic.Partition.LeaderIdAndEpoch tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt32(self.leaderId)
                    writer.writeInt32(self.leaderEpoch)
                    writer.writeEmptyTaggedFields()
                }
            }

            /// Snapshot to fetch instead, when the offset is below the log start (tagged).
            /// Present in v12.
            public struct SnapshotId: WireMessage, Equatable {
                /// End offset of the snapshot. (all versions)
                public var endOffset: Int64
                /// Epoch of the snapshot. (all versions)
                public var epoch: Int32

                /// A value with every field given or left at its schema default.
                public init(
                    endOffset: Int64 = -1,
                    epoch: Int32 = -1
                ) {
                    self.endOffset = endOffset
                    self.epoch = epoch
                }

                /// Decodes the SnapshotId of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    self.endOffset = try reader.readInt64("FetchResponse.Topic.Partition.SnapshotId.endOffset")
                    self.epoch = try reader.readInt32("FetchResponse.Topic.Partition.SnapshotId.epoch")
                    try reader.readTaggedFields("FetchResponse.Topic.Partition.SnapshotId tagged fields")
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    writer.writeInt64(self.endOffset)
                    writer.writeInt32(self.epoch)
                    writer.writeEmptyTaggedFields()
                }
            }

            /// Aborted transactions overlapping the returned records, for read_committed; null if none.
            /// Present in v4-12.
            public struct AbortedTransaction: WireMessage, Equatable {
                /// Producer id. (all versions)
                public var producerId: Int64
                /// First offset of the aborted transaction. (all versions)
                public var firstOffset: Int64

                /// A value with every field given or left at its schema default.
                public init(
                    producerId: Int64 = 0,
                    firstOffset: Int64 = 0
                ) {
                    self.producerId = producerId
                    self.firstOffset = firstOffset
                }

                /// Decodes the AbortedTransaction of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    let flexible = version >= 12
                    self.producerId = try reader.readInt64("FetchResponse.Topic.Partition.AbortedTransaction.producerId")
                    self.firstOffset = try reader.readInt64("FetchResponse.Topic.Partition.AbortedTransaction.firstOffset")
                    if flexible {
                        try reader.readTaggedFields("FetchResponse.Topic.Partition.AbortedTransaction tagged fields")
                    }
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    let flexible = version >= 12
                    writer.writeInt64(self.producerId)
                    writer.writeInt64(self.firstOffset)
                    if flexible {
                        writer.writeEmptyTaggedFields()
                    }
                }
            }
        }
    }
}
