// generated from proto/ — do not edit
// Source: proto/internal/BrokerHeartbeat.json

/// One-way: a node tells another that it is alive, where it listens, and which partitions it leads.
///
/// API key 1001; versions 0; flexible from v0.
public struct BrokerHeartbeatRequest: InternalMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: InternalApiKey = .brokerHeartbeat
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The sending node. (all versions)
    public var nodeId: Int32
    /// When the sending process started (ms since the epoch): a new value means it restarted. (all versions)
    public var incarnation: Int64
    /// The sender's cluster id; a heartbeat from another cluster is dropped. (all versions)
    public var clusterId: String
    /// The advertised host of the client listener. (all versions)
    public var host: String
    /// The advertised port of the client listener. (all versions)
    public var port: Int32
    /// The host of the inter-node listener. (all versions)
    public var interNodeHost: String
    /// The port of the inter-node listener. (all versions)
    public var interNodePort: Int32
    /// The node's rack, if it has one. (all versions; nullable v0)
    public var rack: String?
    /// The partitions the sender currently leads. (all versions)
    public var leaderships: [Leadership]
    /// Set when the sender is stopping, so others move leadership away now. (all versions)
    public var shuttingDown: Bool
    /// Topics a client asked the sender for that do not exist: the controller creates them with the cluster defaults (auto.create.topics.enable). (all versions)
    public var topicsToCreate: [String]
    /// Every client listener's advertised address, so Metadata can answer each client with the listener it came in on; empty from a node that predates several listeners. (all versions; tag 0)
    public var listeners: [Endpoint]

    /// A value with every field given or left at its schema default.
    public init(
        nodeId: Int32 = 0,
        incarnation: Int64 = 0,
        clusterId: String = "",
        host: String = "",
        port: Int32 = 0,
        interNodeHost: String = "",
        interNodePort: Int32 = 0,
        rack: String? = nil,
        leaderships: [Leadership] = [],
        shuttingDown: Bool = false,
        topicsToCreate: [String] = [],
        listeners: [Endpoint] = []
    ) {
        self.nodeId = nodeId
        self.incarnation = incarnation
        self.clusterId = clusterId
        self.host = host
        self.port = port
        self.interNodeHost = interNodeHost
        self.interNodePort = interNodePort
        self.rack = rack
        self.leaderships = leaderships
        self.shuttingDown = shuttingDown
        self.topicsToCreate = topicsToCreate
        self.listeners = listeners
    }

    /// Decodes the BrokerHeartbeatRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.nodeId = try reader.readInt32("BrokerHeartbeatRequest.nodeId")
        self.incarnation = try reader.readInt64("BrokerHeartbeatRequest.incarnation")
        self.clusterId = try reader.readString(compact: true, "BrokerHeartbeatRequest.clusterId")
        self.host = try reader.readString(compact: true, "BrokerHeartbeatRequest.host")
        self.port = try reader.readInt32("BrokerHeartbeatRequest.port")
        self.interNodeHost = try reader.readString(compact: true, "BrokerHeartbeatRequest.interNodeHost")
        self.interNodePort = try reader.readInt32("BrokerHeartbeatRequest.interNodePort")
        self.rack = try reader.readNullableString(compact: true, nullable: true, "BrokerHeartbeatRequest.rack")
        self.leaderships = try reader.readArray(compact: true, minimumElementBytes: 16, "BrokerHeartbeatRequest.leaderships") { r throws(WireError) in try Leadership(from: &r, version: version) }
        self.shuttingDown = try reader.readBool("BrokerHeartbeatRequest.shuttingDown")
        self.topicsToCreate = try reader.readArray(compact: true, minimumElementBytes: 1, "BrokerHeartbeatRequest.topicsToCreate") { r throws(WireError) in try r.readString(compact: true, "BrokerHeartbeatRequest.topicsToCreate") }
        try reader.readTaggedFields("BrokerHeartbeatRequest tagged fields") { tag, field throws(WireError) in
            switch tag {
            case 0:
                self.listeners = try field.readArray(compact: true, minimumElementBytes: 7, "BrokerHeartbeatRequest.listeners") { r throws(WireError) in try Endpoint(from: &r, version: version) }
            default:
                break
            }
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.nodeId)
        writer.writeInt64(self.incarnation)
        writer.writeString(self.clusterId, compact: true)
        writer.writeString(self.host, compact: true)
        writer.writeInt32(self.port)
        writer.writeString(self.interNodeHost, compact: true)
        writer.writeInt32(self.interNodePort)
        writer.writeNullableString(self.rack, compact: true, nullable: true)
        writer.writeArrayCount(self.leaderships.count, compact: true, nullable: false)
        for item in self.leaderships { item.encode(into: &writer, version: version) }
        writer.writeBool(self.shuttingDown)
        writer.writeArrayCount(self.topicsToCreate.count, compact: true, nullable: false)
        for item in self.topicsToCreate { writer.writeString(item, compact: true) }
        var taggedCount: UInt32 = 0
        if self.listeners != [] { taggedCount += 1 }
        writer.writeUnsignedVarint(taggedCount)
        if self.listeners != [] {
            var tagged = ByteWriter()
            tagged.writeArrayCount(self.listeners.count, compact: true, nullable: false)
            for item in self.listeners { item.encode(into: &tagged, version: version) }
            writer.writeUnsignedVarint(0)
            writer.writeUnsignedVarint(UInt32(tagged.count))
            writer.writeRaw(tagged.bytes)
        }
    }

    /// The partitions the sender currently leads.
    /// Present in v0.
    public struct Leadership: WireMessage, Equatable {
        /// The topic. (all versions)
        public var topic: String
        /// The partition index. (all versions)
        public var partition: Int32
        /// The Raft term of the leadership (the partition leader epoch). (all versions)
        public var term: Int64
        /// The group's voting members as the leader knows them. (all versions)
        public var voters: [Int32]
        /// The group's learners (replicas still catching up). (all versions)
        public var learners: [Int32]
        /// The in-sync replicas as the leader measures them (match index at its log end within replica.lag.time.max.ms); empty from a node that predates it. (all versions; tag 0)
        public var inSync: [Int32]

        /// A value with every field given or left at its schema default.
        public init(
            topic: String = "",
            partition: Int32 = 0,
            term: Int64 = 0,
            voters: [Int32] = [],
            learners: [Int32] = [],
            inSync: [Int32] = []
        ) {
            self.topic = topic
            self.partition = partition
            self.term = term
            self.voters = voters
            self.learners = learners
            self.inSync = inSync
        }

        /// Decodes the Leadership of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.topic = try reader.readString(compact: true, "BrokerHeartbeatRequest.Leadership.topic")
            self.partition = try reader.readInt32("BrokerHeartbeatRequest.Leadership.partition")
            self.term = try reader.readInt64("BrokerHeartbeatRequest.Leadership.term")
            self.voters = try reader.readArray(compact: true, minimumElementBytes: 4, "BrokerHeartbeatRequest.Leadership.voters") { r throws(WireError) in try r.readInt32("BrokerHeartbeatRequest.Leadership.voters") }
            self.learners = try reader.readArray(compact: true, minimumElementBytes: 4, "BrokerHeartbeatRequest.Leadership.learners") { r throws(WireError) in try r.readInt32("BrokerHeartbeatRequest.Leadership.learners") }
            try reader.readTaggedFields("BrokerHeartbeatRequest.Leadership tagged fields") { tag, field throws(WireError) in
                switch tag {
                case 0:
                    self.inSync = try field.readArray(compact: true, minimumElementBytes: 4, "BrokerHeartbeatRequest.Leadership.inSync") { r throws(WireError) in try r.readInt32("BrokerHeartbeatRequest.Leadership.inSync") }
                default:
                    break
                }
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.topic, compact: true)
            writer.writeInt32(self.partition)
            writer.writeInt64(self.term)
            writer.writeArrayCount(self.voters.count, compact: true, nullable: false)
            for item in self.voters { writer.writeInt32(item) }
            writer.writeArrayCount(self.learners.count, compact: true, nullable: false)
            for item in self.learners { writer.writeInt32(item) }
            var taggedCount: UInt32 = 0
            if self.inSync != [] { taggedCount += 1 }
            writer.writeUnsignedVarint(taggedCount)
            if self.inSync != [] {
                var tagged = ByteWriter()
                tagged.writeArrayCount(self.inSync.count, compact: true, nullable: false)
                for item in self.inSync { tagged.writeInt32(item) }
                writer.writeUnsignedVarint(0)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
        }
    }

    /// Every client listener's advertised address, so Metadata can answer each client with the listener it came in on; empty from a node that predates several listeners.
    /// Present in v0.
    public struct Endpoint: WireMessage, Equatable {
        /// The listener name. (all versions)
        public var name: String
        /// The advertised host. (all versions)
        public var host: String
        /// The advertised port. (all versions)
        public var port: Int32

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            host: String = "",
            port: Int32 = 0
        ) {
            self.name = name
            self.host = host
            self.port = port
        }

        /// Decodes the Endpoint of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "BrokerHeartbeatRequest.Endpoint.name")
            self.host = try reader.readString(compact: true, "BrokerHeartbeatRequest.Endpoint.host")
            self.port = try reader.readInt32("BrokerHeartbeatRequest.Endpoint.port")
            try reader.readTaggedFields("BrokerHeartbeatRequest.Endpoint tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeString(self.host, compact: true)
            writer.writeInt32(self.port)
            writer.writeEmptyTaggedFields()
        }
    }
}
