// generated from proto/ — do not edit
// Source: proto/kafka/Metadata.json

/// Lists brokers, the controller and, for the requested topics, partitions with their leaders and replicas.
///
/// API key 3; versions 0-12; flexible from v9.
public struct MetadataRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .metadata
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...12
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 9

    /// Topics to describe. v0: empty means all. v1+: null means all, empty means none. (all versions; nullable v1-12)
    public var topics: [Topic]?
    /// Whether unknown requested topics may be created. (v4-12)
    public var allowAutoTopicCreation: Bool
    /// Whether to return the operations the caller may perform on the cluster. (v8-10)
    public var includeClusterAuthorizedOperations: Bool
    /// Whether to return the operations the caller may perform on each topic. (v8-12)
    public var includeTopicAuthorizedOperations: Bool

    /// A value with every field given or left at its schema default.
    public init(
        topics: [Topic]? = [],
        allowAutoTopicCreation: Bool = true,
        includeClusterAuthorizedOperations: Bool = false,
        includeTopicAuthorizedOperations: Bool = false
    ) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    /// Decodes the MetadataRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 9
        self.topics = try reader.readNullableArray(compact: flexible, nullable: version >= 1, minimumElementBytes: 1, "MetadataRequest.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if version >= 4 {
            self.allowAutoTopicCreation = try reader.readBool("MetadataRequest.allowAutoTopicCreation")
        }
        if version >= 8 && version <= 10 {
            self.includeClusterAuthorizedOperations = try reader.readBool("MetadataRequest.includeClusterAuthorizedOperations")
        }
        if version >= 8 {
            self.includeTopicAuthorizedOperations = try reader.readBool("MetadataRequest.includeTopicAuthorizedOperations")
        }
        if flexible {
            try reader.readTaggedFields("MetadataRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 9
        writer.writeArrayCount(self.topics?.count, compact: flexible, nullable: version >= 1)
        for item in self.topics ?? [] { item.encode(into: &writer, version: version) }
        if version >= 4 {
            writer.writeBool(self.allowAutoTopicCreation)
        }
        if version >= 8 && version <= 10 {
            writer.writeBool(self.includeClusterAuthorizedOperations)
        }
        if version >= 8 {
            writer.writeBool(self.includeTopicAuthorizedOperations)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Topics to describe. v0: empty means all. v1+: null means all, empty means none.
    /// Present in v0-12.
    public struct Topic: WireMessage, Equatable {
        /// Topic id (all zero when unknown or not used). (v10-12)
        public var topicId: WireUUID
        /// Topic name (null when asking by id). (all versions; nullable v10-12)
        public var name: String?

        /// A value with every field given or left at its schema default.
        public init(
            topicId: WireUUID = .zero,
            name: String? = ""
        ) {
            self.topicId = topicId
            self.name = name
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 9
            if version >= 10 {
                self.topicId = try reader.readWireUUID("MetadataRequest.Topic.topicId")
            }
            self.name = try reader.readNullableString(compact: flexible, nullable: version >= 10, "MetadataRequest.Topic.name")
            if flexible {
                try reader.readTaggedFields("MetadataRequest.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 9
            if version >= 10 {
                writer.writeWireUUID(self.topicId)
            }
            writer.writeNullableString(self.name, compact: flexible, nullable: version >= 10)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Lists brokers, the controller and, for the requested topics, partitions with their leaders and replicas.
///
/// API key 3; versions 0-12; flexible from v9.
public struct MetadataResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .metadata
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...12
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 9

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v3-12)
    public var throttleTimeMs: Int32
    /// Every live broker the client may connect to. (all versions)
    public var brokers: [Broker]
    /// Cluster id, or null. (v2-12; nullable v2-12)
    public var clusterId: String?
    /// Broker id of the controller, -1 if none; admin requests go there. (v1-12)
    public var controllerId: Int32
    /// One entry per requested (or, for "all", existing) topic. (all versions)
    public var topics: [Topic]
    /// Bit set of permitted operations on the cluster, INT32_MIN if not asked for. (v8-10)
    public var clusterAuthorizedOperations: Int32

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        brokers: [Broker] = [],
        clusterId: String? = nil,
        controllerId: Int32 = -1,
        topics: [Topic] = [],
        clusterAuthorizedOperations: Int32 = -2147483648
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    /// Decodes the MetadataResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 9
        if version >= 3 {
            self.throttleTimeMs = try reader.readInt32("MetadataResponse.throttleTimeMs")
        }
        self.brokers = try reader.readArray(compact: flexible, minimumElementBytes: 9, "MetadataResponse.brokers") { r throws(WireError) in try Broker(from: &r, version: version) }
        if version >= 2 {
            self.clusterId = try reader.readNullableString(compact: flexible, nullable: true, "MetadataResponse.clusterId")
        }
        if version >= 1 {
            self.controllerId = try reader.readInt32("MetadataResponse.controllerId")
        }
        self.topics = try reader.readArray(compact: flexible, minimumElementBytes: 4, "MetadataResponse.topics") { r throws(WireError) in try Topic(from: &r, version: version) }
        if version >= 8 && version <= 10 {
            self.clusterAuthorizedOperations = try reader.readInt32("MetadataResponse.clusterAuthorizedOperations")
        }
        if flexible {
            try reader.readTaggedFields("MetadataResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 9
        if version >= 3 {
            writer.writeInt32(self.throttleTimeMs)
        }
        writer.writeArrayCount(self.brokers.count, compact: flexible, nullable: false)
        for item in self.brokers { item.encode(into: &writer, version: version) }
        if version >= 2 {
            writer.writeNullableString(self.clusterId, compact: flexible, nullable: true)
        }
        if version >= 1 {
            writer.writeInt32(self.controllerId)
        }
        writer.writeArrayCount(self.topics.count, compact: flexible, nullable: false)
        for item in self.topics { item.encode(into: &writer, version: version) }
        if version >= 8 && version <= 10 {
            writer.writeInt32(self.clusterAuthorizedOperations)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Every live broker the client may connect to.
    /// Present in v0-12.
    public struct Broker: WireMessage, Equatable {
        /// Broker id. (all versions)
        public var nodeId: Int32
        /// Host name clients connect to. (all versions)
        public var host: String
        /// Port clients connect to. (all versions)
        public var port: Int32
        /// Rack of the broker, or null. (v1-12; nullable v1-12)
        public var rack: String?

        /// A value with every field given or left at its schema default.
        public init(
            nodeId: Int32 = 0,
            host: String = "",
            port: Int32 = 0,
            rack: String? = nil
        ) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }

        /// Decodes the Broker of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 9
            self.nodeId = try reader.readInt32("MetadataResponse.Broker.nodeId")
            self.host = try reader.readString(compact: flexible, "MetadataResponse.Broker.host")
            self.port = try reader.readInt32("MetadataResponse.Broker.port")
            if version >= 1 {
                self.rack = try reader.readNullableString(compact: flexible, nullable: true, "MetadataResponse.Broker.rack")
            }
            if flexible {
                try reader.readTaggedFields("MetadataResponse.Broker tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 9
            writer.writeInt32(self.nodeId)
            writer.writeString(self.host, compact: flexible)
            writer.writeInt32(self.port)
            if version >= 1 {
                writer.writeNullableString(self.rack, compact: flexible, nullable: true)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }

    /// One entry per requested (or, for "all", existing) topic.
    /// Present in v0-12.
    public struct Topic: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Topic name. (all versions; nullable v12)
        public var name: String?
        /// Topic id (all zero when unknown or not used). (v10-12)
        public var topicId: WireUUID
        /// Whether the topic is internal to the cluster. (v1-12)
        public var isInternal: Bool
        /// Every partition of the topic. (all versions)
        public var partitions: [Partition]
        /// Bit set of permitted operations on the topic, INT32_MIN if not asked for. (v8-12)
        public var topicAuthorizedOperations: Int32

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            name: String? = "",
            topicId: WireUUID = .zero,
            isInternal: Bool = false,
            partitions: [Partition] = [],
            topicAuthorizedOperations: Int32 = -2147483648
        ) {
            self.errorCode = errorCode
            self.name = name
            self.topicId = topicId
            self.isInternal = isInternal
            self.partitions = partitions
            self.topicAuthorizedOperations = topicAuthorizedOperations
        }

        /// Decodes the Topic of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 9
            self.errorCode = try reader.readInt16("MetadataResponse.Topic.errorCode")
            self.name = try reader.readNullableString(compact: flexible, nullable: version >= 12, "MetadataResponse.Topic.name")
            if version >= 10 {
                self.topicId = try reader.readWireUUID("MetadataResponse.Topic.topicId")
            }
            if version >= 1 {
                self.isInternal = try reader.readBool("MetadataResponse.Topic.isInternal")
            }
            self.partitions = try reader.readArray(compact: flexible, minimumElementBytes: 12, "MetadataResponse.Topic.partitions") { r throws(WireError) in try Partition(from: &r, version: version) }
            if version >= 8 {
                self.topicAuthorizedOperations = try reader.readInt32("MetadataResponse.Topic.topicAuthorizedOperations")
            }
            if flexible {
                try reader.readTaggedFields("MetadataResponse.Topic tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 9
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.name, compact: flexible, nullable: version >= 12)
            if version >= 10 {
                writer.writeWireUUID(self.topicId)
            }
            if version >= 1 {
                writer.writeBool(self.isInternal)
            }
            writer.writeArrayCount(self.partitions.count, compact: flexible, nullable: false)
            for item in self.partitions { item.encode(into: &writer, version: version) }
            if version >= 8 {
                writer.writeInt32(self.topicAuthorizedOperations)
            }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// Every partition of the topic.
        /// Present in v0-12.
        public struct Partition: WireMessage, Equatable {
            /// Error code, 0 for none. (all versions)
            public var errorCode: Int16
            /// Partition index. (all versions)
            public var partitionIndex: Int32
            /// Broker leading the partition, -1 when there is none. (all versions)
            public var leaderId: Int32
            /// Epoch of the current leader, -1 to hide epochs from clients. (v7-12)
            public var leaderEpoch: Int32
            /// Brokers holding replicas. (all versions)
            public var replicaNodes: [Int32]
            /// Brokers in the in-sync replica set. (all versions)
            public var isrNodes: [Int32]
            /// Replicas that are offline. (v5-12)
            public var offlineReplicas: [Int32]

            /// A value with every field given or left at its schema default.
            public init(
                errorCode: Int16 = 0,
                partitionIndex: Int32 = 0,
                leaderId: Int32 = 0,
                leaderEpoch: Int32 = -1,
                replicaNodes: [Int32] = [],
                isrNodes: [Int32] = [],
                offlineReplicas: [Int32] = []
            ) {
                self.errorCode = errorCode
                self.partitionIndex = partitionIndex
                self.leaderId = leaderId
                self.leaderEpoch = leaderEpoch
                self.replicaNodes = replicaNodes
                self.isrNodes = isrNodes
                self.offlineReplicas = offlineReplicas
            }

            /// Decodes the Partition of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 9
                self.errorCode = try reader.readInt16("MetadataResponse.Topic.Partition.errorCode")
                self.partitionIndex = try reader.readInt32("MetadataResponse.Topic.Partition.partitionIndex")
                self.leaderId = try reader.readInt32("MetadataResponse.Topic.Partition.leaderId")
                if version >= 7 {
                    self.leaderEpoch = try reader.readInt32("MetadataResponse.Topic.Partition.leaderEpoch")
                }
                self.replicaNodes = try reader.readArray(compact: flexible, minimumElementBytes: 4, "MetadataResponse.Topic.Partition.replicaNodes") { r throws(WireError) in try r.readInt32("MetadataResponse.Topic.Partition.replicaNodes") }
                self.isrNodes = try reader.readArray(compact: flexible, minimumElementBytes: 4, "MetadataResponse.Topic.Partition.isrNodes") { r throws(WireError) in try r.readInt32("MetadataResponse.Topic.Partition.isrNodes") }
                if version >= 5 {
                    self.offlineReplicas = try reader.readArray(compact: flexible, minimumElementBytes: 4, "MetadataResponse.Topic.Partition.offlineReplicas") { r throws(WireError) in try r.readInt32("MetadataResponse.Topic.Partition.offlineReplicas") }
                }
                if flexible {
                    try reader.readTaggedFields("MetadataResponse.Topic.Partition tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 9
                writer.writeInt16(self.errorCode)
                writer.writeInt32(self.partitionIndex)
                writer.writeInt32(self.leaderId)
                if version >= 7 {
                    writer.writeInt32(self.leaderEpoch)
                }
                writer.writeArrayCount(self.replicaNodes.count, compact: flexible, nullable: false)
                for item in self.replicaNodes { writer.writeInt32(item) }
                writer.writeArrayCount(self.isrNodes.count, compact: flexible, nullable: false)
                for item in self.isrNodes { writer.writeInt32(item) }
                if version >= 5 {
                    writer.writeArrayCount(self.offlineReplicas.count, compact: flexible, nullable: false)
                    for item in self.offlineReplicas { writer.writeInt32(item) }
                }
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
