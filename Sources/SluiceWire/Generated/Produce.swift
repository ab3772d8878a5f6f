// generated from proto/ — do not edit
// Source: proto/kafka/Produce.json

/// Appends record batches to partitions; with acks=0 the broker sends no response at all.
///
/// API key 0; versions 0-9; flexible from v9.
public struct ProduceRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .produce
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...9
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 9

    /// Transactional id of the producer, or null. (v3-9; nullable v3-9)
    public var transactionalId: String?
    /// Replicas that must acknowledge: 0 none (no response), 1 the leader, -1 all in-sync replicas. (all versions)
    public var acks: Int16
    /// How long to wait for the required acknowledgements, in ms. (all versions)
    public var timeoutMs: Int32
    /// Batches to append, grouped by topic. (all versions)
    public var topicData: [Topic]

    /// A value with every field given or left at its schema default.
    public init(
        transactionalId: String? = nil,
        acks: Int16 = 0,
        timeoutMs: Int32 = 0,
        topicData: [Topic] = []
    ) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topicData = topicData
    }

    /// Decodes the ProduceRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 9
        if version >= 3 {
            self.transactionalId = try reader.readNullableString(compact: flexible, nullable: true, "ProduceRequest.transactionalId")
        }
        self.acks = try reader.readInt16("ProduceRequest.acks")
        self.timeoutMs = try reader.readInt32("ProduceRequest.timeoutMs")
        self.topicData = try reader.readArray(compact: flexible, minimumElementBytes: 2, "ProduceRequest.topicData") { r throws(WireError) in try Topic(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("ProduceRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 9
        if version >= 3 {
            writer.writeNullableString(self.transactionalId, compact: flexible, nullable: true)
        }
        writer.writeInt16(self.acks)
        writer.writeInt32(self.timeoutMs)
        writer.writeArrayCount(self.topicData.count, compact: flexible, nullable: false)
        for item in self.topicData { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Batches to append, grouped by topic.
    /// Present in v0-9.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Batches to append, per partition. (all versions)
        public var partitionData: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            partitionData: [Partition] = []
        ) {
            self.name = name
            self.partitionData = partitionData
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 9
            self.name = try reader.readString(compact: flexible, "ProduceRequest.Topic.name")
            self.partitionData = try reader.readArray(compact: flexible, minimumElementBytes: 5, "ProduceRequest.Topic.partitionData") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("ProduceRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 9
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitionData.count, compact: flexible, nullable: false)
            for item in self.partitionData { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Batches to append, per partition.
        /// Present in v0-9.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var index: Int32
            /// The record batches to append. (all versions; nullable v0-9)
            public var records: Records?

            /// A value with every field given or left at its schema default.
            public init(
                index: Int32 = 0,
                records: Records? = nil
            ) {
                self.index = index
                self.records = records
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 9
                self.index = try reader.readInt32("ProduceRequest.Topic.Partition.index")
                self.records = try reader.readRecords(compact: flexible, nullable: true, "ProduceRequest.Topic.Partition.records")
                if flexible {
                    try reader.readTaggedFields("ProduceRequest.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 9
                writer.writeInt32(self.index)
                writer.writeRecords(self.records, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Appends record batches to partitions; with acks=0 the broker sends no response at all.
///
/// API key 0; versions 0-9; flexible from v9.
public struct ProduceResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .produce
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...9
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 9

    /// Results grouped by topic. (all versions)
    public var responses: [Topic]
    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-9)
    public var throttleTimeMs: Int32

    /// A value with every field given or left at its schema default.
    public init(
        responses: [Topic] = [],
        throttleTimeMs: Int32 = 0
    ) {
        self.responses = responses
        self.throttleTimeMs = throttleTimeMs
    }

    /// Decodes the ProduceResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 9
        self.responses = try reader.readArray(compact: flexible, minimumElementBytes: 2, "ProduceResponse.responses") { r throws(WireError) in try Topic(from: &r, version: version) }
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("ProduceResponse.throttleTimeMs")
        }
        if flexible {
            try reader.readTaggedFields("ProduceResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 9
        writer.writeArrayCount(self.responses.count, compact: flexible, nullable: false)
        for item in self.responses { item.encode(into: &writer, version: version) }
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Results grouped by topic.
    /// Present in v0-9.
    public struct Topic: WireMessage, Equatable {
        /// Topic name. (all versions)
        public var name: String
        /// Result per partition. (all versions)
        public var partitionResponses: [Partition]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            partitionResponses: [Partition] = []
        ) {
            self.name = name
            self.partitionResponses = partitionResponses
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 9
            self.name = try reader.readString(compact: flexible, "ProduceResponse.Topic.name")
            self.partitionResponses = try reader.readArray(compact: flexible, minimumElementBytes: 14, "ProduceResponse.Topic.partitionResponses") { r throws(WireError) in try Partition(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("ProduceResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 9
            writer.writeString(self.name, compact: flexible)
            writer.writeArrayCount(self.partitionResponses.count, compact: flexible, nullable: false)
            for item in self.partitionResponses { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Result per partition.
        /// Present in v0-9.
        public struct Partition: WireMessage, Equatable {
            /// Partition index. (all versions)
            public var index: Int32
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Offset given to the first record appended. (all versions)
            public var baseOffset: Int64
            /// Broker time the batch was appended, -1 for CreateTime topics. (v2-9)
            public var logAppendTimeMs: Int64
            /// Log start offset of the partition. (v5-9)
            public var logStartOffset: Int64
            /// Records that made the batch fail, by position in the batch. (v8-9)
            public var recordErrors: [RecordError]
            /// Summary of why the batch was rejected, or null. (v8-9; nullable v8-9)
            public var errorMessage: String?

            /// A value with every field given or left at its schema default.
            public init(
                index: Int32 = 0,
                errorCode: Int16 = 0,
                baseOffset: Int64 = 0,
                logAppendTimeMs: Int64 = -1,
                logStartOffset: Int64 = -1,
                recordErrors: [RecordError] = [],
                errorMessage: String? = nil
            ) {
                self.index = index
                self.errorCode = errorCode
                self.baseOffset = baseOffset
                self.logAppendTimeMs = logAppendTimeMs
                self.logStartOffset = logStartOffset
                self.recordErrors = recordErrors
                self.errorMessage = errorMessage
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 9
                self.index = try reader.readInt32("ProduceResponse.Topic.Partition.index")
                self.errorCode = try reader.readInt16("ProduceResponse.Topic.Partition.errorCode")
                self.baseOffset = try reader.readInt64("ProduceResponse.Topic.Partition.baseOffset")
                if version >= 2 {
                    self.logAppendTimeMs = try reader.readInt64("ProduceResponse.Topic.Partition.logAppendTimeMs")
                }
                if version >= 5 {
                    self.logStartOffset = try reader.readInt64("ProduceResponse.Topic.Partition.logStartOffset")
                }
                if version >= 8 {
                    self.recordErrors = try reader.readArray(compact: flexible, minimumElementBytes: 5, "ProduceResponse.Topic.Partition.recordErrors") { r throws(WireError) in try RecordError(from: &r, version: version) }
                }
                if version >= 8 {
                    self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "ProduceResponse.Topic.Partition.errorMessage")
                }
                if flexible {
                    try reader.readTaggedFields("ProduceResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 9
                writer.writeInt32(self.index)
                writer.writeInt16(self.errorCode)
                writer.writeInt64(self.baseOffset)
                if version >= 2 {
                    writer.writeInt64(self.logAppendTimeMs)
                }
                if version >= 5 {
                    writer.writeInt64(self.logStartOffset)
                }
                if version >= 8 {
                    writer.writeArrayCount(self.recordErrors.count, compact: flexible, nullable: false)
                    for item in self.recordErrors { item.encode(into: &writer, version: version) }
                }
                if version >= 8 {
                    writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
                }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }

            /// Records that made the batch fail, by position in the batch.
            /// Present in v8-9.
            public struct RecordError: WireMessage, Equatable {
                /// Position of the bad record in its batch. (all versions)
                public var batchIndex: Int32
                /// Why that record was rejected, or null. (all versions; nullable v8-9)
                public var batchIndexErrorMessage: String?

                /// A value with every field given or left at its schema default.
                public init(
                    batchIndex: Int32 = 0,
                    batchIndexErrorMessage: String? = nil
                ) {
                    self.batchIndex = batchIndex
                    self.batchIndexErrorMessage = batchIndexErrorMessage
                }

                /// Decodes the RecordError of `version`; fields absent in that version keep their defaults.
                public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                    self.init()
                    let flexible = version >= 9
                    self.batchIndex = try reader.readInt32("ProduceResponse.Topic.Partition.RecordError.batchIndex")
                    self.batchIndexErrorMessage = try reader.readNullableString(compact: flexible, nullable: true, "ProduceResponse.Topic.Partition.RecordError.batchIndexErrorMessage")
                    if flexible {
                        try reader.readTaggedFields("ProduceResponse.Topic.Partition.RecordError tagged fields")
                    }
                }

                /// Encodes for `version`, skipping fields that version does not have.
                public func encode(into writer: inout ByteWriter, version: Int16) {
                    let flexible = version >= 9
                    writer.writeInt32(self.batchIndex)
                    writer.writeNullableString(self.batchIndexErrorMessage, compact: flexible, nullable: true)
                    if flexible {
                        writer.writeEmptyTaggedFields()
                    }
                }
            }
        }
    }
}
