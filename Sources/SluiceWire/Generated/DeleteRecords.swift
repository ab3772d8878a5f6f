// generated from proto/ — do not edit
// Source: proto/kafka/DeleteRecords.json

/// Moves the log start offset of partitions forward, dropping the records before it.
///
/// API key 21; versions 0-2; flexible from v2.
public struct DeleteRecordsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteRecords
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// Partitions to truncate from the front, grouped by topic. (all versions)
    public var topics: [Topic]
    /// How long to wait for the deletion. (all versions)
    public var timeoutMs: Int32

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic] = [],
        timeoutMs: Int32 = 0
    ) {
        self.topics = topics
        self.timeoutMs = timeoutMs
    }

    /// Decodes the DeleteRecordsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "DeleteRecordsRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        self.timeoutMs = try reader.readInt32("DeleteRecordsRequest.timeoutMs")
        if flexible {
            try reader.readTaggedFields("DeleteRecordsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        writer.writeInt32(self.timeoutMs)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Partitions to truncate from the front, grouped by topic.
    /// Present in v0-2.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Partitions to truncate. (all versions)
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
            let flexible = version >= 2
            self.name = try reader.readString(compact: flexible, "DeleteRecordsRequest.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 12, "DeleteRecordsRequest.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DeleteRecordsRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Partitions to truncate.
        /// Present in v0-2.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// New log start offset; -1 means the high watermark. (all versions)
            public var offset: Int64

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                offset: Int64 = 0
            ) {
                self.partitionIndex = partitionIndex
                self.offset = offset
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 2
                self.partitionIndex = try reader.readInt32("DeleteRecordsRequest.Topic.Partition.partitionIndex")
                self.offset = try reader.readInt64("DeleteRecordsRequest.Topic.Partition.offset")
                if flexible {
                    try reader.readTaggedFields("DeleteRecordsRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 2
                writer.writeInt32(self.partitionIndex)
                writer.writeInt64(self.offset)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Moves the log start offset of partitions forward, dropping the records before it.
///
/// API key 21; versions 0-2; flexible from v2.
public struct DeleteRecordsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .deleteRecords
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
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

    /// Decodes the DeleteRecordsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("DeleteRecordsResponse.throttleTimeMs")
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 2, "DeleteRecordsResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DeleteRecordsResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Results grouped by topic.
    /// Present in v0-2.
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
            let flexible = version >= 2
            self.name = try reader.readString(compact: flexible, "DeleteRecordsResponse.Topic.name")
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 14, "DeleteRecordsResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DeleteRecordsResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 2
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Result per partition.
        /// Present in v0-2.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// New log start offset of the partition. (all versions)
            public var lowWatermark: Int64
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16

            /// A value with every field given or left at its schema default.
            public init(
                partitionIndex: Int32 = 0,
                lowWatermark: Int64 = 0,
                errorCode: Int16 = 0
            ) {
                self.partitionIndex = partitionIndex
                self.lowWatermark = lowWatermark
                self.errorCode = errorCode
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 2
                self.partitionIndex = try reader.readInt32("DeleteRecordsResponse.Topic.Partition.partitionIndex")
                self.lowWatermark = try reader.readInt64("DeleteRecordsResponse.Topic.Partition.lowWatermark")
                self.errorCode = try reader.readInt16("DeleteRecordsResponse.Topic.Partition.errorCode")
                if flexible {
                    try reader.readTaggedFields("DeleteRecordsResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 2
                writer.writeInt32(self.partitionIndex)
                writer.writeInt64(self.lowWatermark)
                writer.writeInt16(self.errorCode)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
