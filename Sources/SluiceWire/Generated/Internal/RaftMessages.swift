// generated from proto/ — do not edit
// Source: proto/internal/RaftMessages.json

/// One-way: Raft messages from one node to another, every group's in one frame (so the heartbeats of the partitions two nodes share travel together).
///
/// API key 1000; versions 0; flexible from v0.
public struct RaftMessagesRequest: InternalMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: InternalApiKey = .raftMessages
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The sending node. (all versions)
    public var fromNode: Int32
    /// The sender's cluster id; a frame from another cluster is dropped. (all versions)
    public var clusterId: String
    /// The messages, in the order the sender's Raft groups produced them. (all versions)
    public var messages: [RaftMessage]

    /// A value with every field given or left at its schema default.
    public init(
        fromNode: Int32 = 0,
        clusterId: String = "",
        messages: [RaftMessage] = []
    ) {
        self.fromNode = fromNode
        self.clusterId = clusterId
        self.messages = messages
    }

    /// Decodes the RaftMessagesRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.fromNode = try reader.readInt32("RaftMessagesRequest.fromNode")
        self.clusterId = try reader.readString(compact: true, "RaftMessagesRequest.clusterId")
        self.messages = try reader.readArray(compact: true, minimumElementBytes: 69, "RaftMessagesRequest.messages") { r throws(WireError) in try RaftMessage(from: &r, version: version) }
        try reader.readTaggedFields("RaftMessagesRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.fromNode)
        writer.writeString(self.clusterId, compact: true)
        writer.writeArrayCount(self.messages.count, compact: true, nullable: false)
        for item in self.messages { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// The messages, in the order the sender's Raft groups produced them.
    /// Present in v0.
    public struct RaftMessage: WireMessage, Equatable {
        /// Which kind of Raft group: 0 the controller, 1 a partition. (all versions)
        public var groupKind: Int8
        /// The partition's topic (empty for the controller). (all versions)
        public var topic: String
        /// The partition's index (0 for the controller). (all versions)
        public var partition: Int32
        /// The message kind: 0 append, 1 appendResponse, 2 vote, 3 voteResponse, 4 preVote, 5 preVoteResponse, 6 heartbeat, 7 heartbeatResponse, 8 snapshot, 9 timeoutNow, 10 readIndex, 11 readIndexResponse. (all versions)
        public var kind: Int8
        /// The sending node. (all versions)
        public var from: Int32
        /// The receiving node. (all versions)
        public var to: Int32
        /// The sender's term (for votes: the term campaigned for). (all versions)
        public var term: Int64
        /// Term of the entry at index. (all versions)
        public var logTerm: Int64
        /// A log position; its meaning depends on the kind. (all versions)
        public var index: Int64
        /// The leader's commit index (a heartbeat, an append); the follower's (a heartbeat response). (all versions)
        public var commit: Int64
        /// For responses: whether the request was refused. (all versions)
        public var reject: Bool
        /// For a refused append: where the logs may last agree. (all versions)
        public var rejectHint: Int64
        /// Read-index request id (an unsigned 64-bit value carried bit for bit; 0 = none). (all versions)
        public var context: Int64
        /// Set on votes caused by a leadership transfer. (all versions)
        public var leadershipTransfer: Bool
        /// Set on a rebuilding follower's responses: it lost entries it had acknowledged. (all versions)
        public var logLost: Bool
        /// Entries to append, each attaching to the one before. (all versions)
        public var entries: [RaftEntry]
        /// For a snapshot message: the snapshot to install. (all versions; nullable v0)
        public var snapshot: RaftSnapshot?

        /// A value with every field given or left at its schema default.
        public init(
            groupKind: Int8 = 0,
            topic: String = "",
            partition: Int32 = 0,
            kind: Int8 = 0,
            from: Int32 = 0,
            to: Int32 = 0,
            term: Int64 = 0,
            logTerm: Int64 = 0,
            index: Int64 = -1,
            commit: Int64 = -1,
            reject: Bool = false,
            rejectHint: Int64 = -1,
            context: Int64 = 0,
            leadershipTransfer: Bool = false,
            logLost: Bool = false,
            entries: [RaftEntry] = [],
            snapshot: RaftSnapshot? = nil
        ) {
            self.groupKind = groupKind
            self.topic = topic
            self.partition = partition
            self.kind = kind
            self.from = from
            self.to = to
            self.term = term
            self.logTerm = logTerm
            self.index = index
            self.commit = commit
            self.reject = reject
            self.rejectHint = rejectHint
            self.context = context
            self.leadershipTransfer = leadershipTransfer
            self.logLost = logLost
            self.entries = entries
            self.snapshot = snapshot
        }

        /// Decodes the RaftMessage of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.groupKind = try reader.readInt8("RaftMessagesRequest.RaftMessage.groupKind")
            self.topic = try reader.readString(compact: true, "RaftMessagesRequest.RaftMessage.topic")
            self.partition = try reader.readInt32("RaftMessagesRequest.RaftMessage.partition")
            self.kind = try reader.readInt8("RaftMessagesRequest.RaftMessage.kind")
            self.from = try reader.readInt32("RaftMessagesRequest.RaftMessage.from")
            self.to = try reader.readInt32("RaftMessagesRequest.RaftMessage.to")
            self.term = try reader.readInt64("RaftMessagesRequest.RaftMessage.term")
            self.logTerm = try reader.readInt64("RaftMessagesRequest.RaftMessage.logTerm")
            self.index = try reader.readInt64("RaftMessagesRequest.RaftMessage.index")
            self.commit = try reader.readInt64("RaftMessagesRequest.RaftMessage.commit")
            self.reject = try reader.readBool("RaftMessagesRequest.RaftMessage.reject")
            self.rejectHint = try reader.readInt64("RaftMessagesRequest.RaftMessage.rejectHint")
            self.context = try reader.readInt64("RaftMessagesRequest.RaftMessage.context")
            self.leadershipTransfer = try reader.readBool("RaftMessagesRequest.RaftMessage.leadershipTransfer")
            self.logLost = try reader.readBool("RaftMessagesRequest.RaftMessage.logLost")
            self.entries = try reader.readArray(compact: true, minimumElementBytes: 29, "RaftMessagesRequest.RaftMessage.entries") { r throws(WireError) in try RaftEntry(from: &r, version: version) }
            self.snapshot = (try reader.readInt8("RaftMessagesRequest.RaftMessage.snapshot") < 0 ? nil : try RaftSnapshot(from: &reader, version: version))
            try reader.readTaggedFields("RaftMessagesRequest.RaftMessage tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeInt8(self.groupKind)
            writer.writeString(self.topic, compact: true)
            writer.writeInt32(self.partition)
            writer.writeInt8(self.kind)
            writer.writeInt32(self.from)
            writer.writeInt32(self.to)
            writer.writeInt64(self.term)
            writer.writeInt64(self.logTerm)
            writer.writeInt64(self.index)
            writer.writeInt64(self.commit)
            writer.writeBool(self.reject)
            writer.writeInt64(self.rejectHint)
            writer.writeInt64(self.context)
            writer.writeBool(self.leadershipTransfer)
            writer.writeBool(self.logLost)
            writer.writeArrayCount(self.entries.count, compact: true, nullable: false)
            for item in self.entries { item.encode(into: &writer, version: version) }
            if let value = self.snapshot { writer.writeInt8(1); value.encode(into: &writer, version: version) } else { writer.writeInt8(-1) }
            writer.writeEmptyTaggedFields()
        }

        /// Entries to append, each attaching to the one before.
        /// Present in v0.
        public struct RaftEntry: WireMessage, Equatable {
            /// Term of the leader that created the entry. (all versions)
            public var term: Int64
            /// The last position the entry covers. (all versions)
            public var lastIndex: Int64
            /// How many positions the entry covers (at least 1). (all versions)
            public var indexCount: Int64
            /// 0 normal, 1 noop, 2 configuration. (all versions)
            public var kind: Int8
            /// For a configuration entry: the voters. (all versions)
            public var voters: [Int32]
            /// For a configuration entry: the learners (disjoint from voters). (all versions)
            public var learners: [Int32]
            /// The payload for the state machine (empty for control entries). (all versions)
            public var data: [UInt8]

            /// A value with every field given or left at its schema default.
            public init(
                term: Int64 = 0,
                lastIndex: Int64 = 0,
                indexCount: Int64 = 1,
                kind: Int8 = 0,
                voters: [Int32] = [],
                learners: [Int32] = [],
                data: [UInt8] = []
            ) {
                self.term = term
                self.lastIndex = lastIndex
                self.indexCount = indexCount
                self.kind = kind
                self.voters = voters
                self.learners = learners
                self.data = data
            }

            /// Decodes the RaftEntry of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.term = try reader.readInt64("RaftMessagesRequest.RaftMessage.RaftEntry.term")
                self.lastIndex = try reader.readInt64("RaftMessagesRequest.RaftMessage.RaftEntry.lastIndex")
                self.indexCount = try reader.readInt64("RaftMessagesRequest.RaftMessage.RaftEntry.indexCount")
                self.kind = try reader.readInt8("RaftMessagesRequest.RaftMessage.RaftEntry.kind")
                self.voters = try reader.readArray(compact: true, minimumElementBytes: 4, "RaftMessagesRequest.RaftMessage.RaftEntry.voters") { r throws(WireError) in try r.readInt32("RaftMessagesRequest.RaftMessage.RaftEntry.voters") }
                self.learners = try reader.readArray(compact: true, minimumElementBytes: 4, "RaftMessagesRequest.RaftMessage.RaftEntry.learners") { r throws(WireError) in try r.readInt32("RaftMessagesRequest.RaftMessage.RaftEntry.learners") }
                self.data = try reader.readBytes(compact: true, "RaftMessagesRequest.RaftMessage.RaftEntry.data")
                try reader.readTaggedFields("RaftMessagesRequest.RaftMessage.RaftEntry tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt64(self.term)
                writer.writeInt64(self.lastIndex)
                writer.writeInt64(self.indexCount)
                writer.writeInt8(self.kind)
                writer.writeArrayCount(self.voters.count, compact: true, nullable: false)
                for item in self.voters { writer.writeInt32(item) }
                writer.writeArrayCount(self.learners.count, compact: true, nullable: false)
                for item in self.learners { writer.writeInt32(item) }
                writer.writeBytes(self.data, compact: true)
                writer.writeEmptyTaggedFields()
            }
        }

        /// For a snapshot message: the snapshot to install.
        /// Present in v0.
        public struct RaftSnapshot: WireMessage, Equatable {
            /// The last index the snapshot covers. (all versions)
            public var index: Int64
            /// The term of the entry at index. (all versions)
            public var term: Int64
            /// The voters as of index. (all versions)
            public var voters: [Int32]
            /// The learners as of index (disjoint from voters). (all versions)
            public var learners: [Int32]
            /// The state machine's image. (all versions)
            public var data: [UInt8]

            /// A value with every field given or left at its schema default.
            public init(
                index: Int64 = 0,
                term: Int64 = 0,
                voters: [Int32] = [],
                learners: [Int32] = [],
                data: [UInt8] = []
            ) {
                self.index = index
                self.term = term
                self.voters = voters
                self.learners = learners
                self.data = data
            }

            /// Decodes the RaftSnapshot of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.index = try reader.readInt64("RaftMessagesRequest.RaftMessage.RaftSnapshot.index")
                self.term = try reader.readInt64("RaftMessagesRequest.RaftMessage.RaftSnapshot.term")
                self.voters = try reader.readArray(compact: true, minimumElementBytes: 4, "RaftMessagesRequest.RaftMessage.RaftSnapshot.voters") { r throws(WireError) in try r.readInt32("RaftMessagesRequest.RaftMessage.RaftSnapshot.voters") }
                self.learners = try reader.readArray(compact: true, minimumElementBytes: 4, "RaftMessagesRequest.RaftMessage.RaftSnapshot.learners") { r throws(WireError) in try r.readInt32("RaftMessagesRequest.RaftMessage.RaftSnapshot.learners") }
                self.data = try reader.readBytes(compact: true, "RaftMessagesRequest.RaftMessage.RaftSnapshot.data")
                try reader.readTaggedFields("RaftMessagesRequest.RaftMessage.RaftSnapshot tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt64(self.index)
                writer.writeInt64(self.term)
                writer.writeArrayCount(self.voters.count, compact: true, nullable: false)
                for item in self.voters { writer.writeInt32(item) }
                writer.writeArrayCount(self.learners.count, compact: true, nullable: false)
                for item in self.learners { writer.writeInt32(item) }
                writer.writeBytes(self.data, compact: true)
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
