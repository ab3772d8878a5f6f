// generated from proto/ — do not edit
// Source: proto/kafka/AddRaftVoter.json

/// Makes a node that follows the controller quorum one of its voters (KIP-853).
///
/// API key 80; versions 0-1; flexible from v0.
public struct AddRaftVoterRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .addRaftVoter
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// The cluster the caller means, or null for any. (all versions; nullable v0-1)
    public var clusterId: String?
    /// How long to wait for the node to catch up and the change to commit, in ms. (all versions)
    public var timeoutMs: Int32
    /// The node to add. (all versions)
    public var voterId: Int32
    /// The node's log directory id (all zero: any). (all versions)
    public var voterDirectoryId: WireUUID
    /// Where the node's controller listener is. (all versions)
    public var listeners: [Listener]
    /// Answer once the new voter set is committed (true) or once the leader wrote it (false). (v1)
    public var ackWhenCommitted: Bool

    /// A value with every field given or left at its schema default.
    public init(
        clusterId: String? = nil,
        timeoutMs: Int32 = 0,
        voterId: Int32 = 0,
        voterDirectoryId: WireUUID = .zero,
        listeners: [Listener] = [],
        ackWhenCommitted: Bool = true
    ) {
        self.clusterId = clusterId
        self.timeoutMs = timeoutMs
        self.voterId = voterId
        self.voterDirectoryId = voterDirectoryId
        self.listeners = listeners
        self.ackWhenCommitted = ackWhenCommitted
    }

    /// Decodes the AddRaftVoterRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.clusterId = try reader.readNullableString(compact: true, nullable: true, "AddRaftVoterRequest.clusterId")
        self.timeoutMs = try reader.readInt32("AddRaftVoterRequest.timeoutMs")
        self.voterId = try reader.readInt32("AddRaftVoterRequest.voterId")
        self.voterDirectoryId = try reader.readWireUUID("AddRaftVoterRequest.voterDirectoryId")
        self.listeners = try reader.readArray(compact: true, minimumElementBytes: 5, "AddRaftVoterRequest.listeners") { r throws(WireError) in try Listener(from: &r, version: version) }
        if version >= 1 {
            self.ackWhenCommitted = try reader.readBool("AddRaftVoterRequest.ackWhenCommitted")
        }
        try reader.readTaggedFields("AddRaftVoterRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeNullableString(self.clusterId, compact: true, nullable: true)
        writer.writeInt32(self.timeoutMs)
        writer.writeInt32(self.voterId)
        writer.writeWireUUID(self.voterDirectoryId)
        writer.writeArrayCount(self.listeners.count, compact: true, nullable: false)
        for item in self.listeners { item.encode(into: &writer, version: version) }
        if version >= 1 {
            writer.writeBool(self.ackWhenCommitted)
        }
        writer.writeEmptyTaggedFields()
    }

    /// Where the node's controller listener is.
    /// Present in v0-1.
    public struct Listener: WireMessage, Equatable {
        /// Listener name. (all versions)
        public var name: String
        /// Host. (all versions)
        public var host: String
        /// Port. (all versions)
        public var port: UInt16

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            host: String = "",
            port: UInt16 = 0
        ) {
            self.name = name
            self.host = host
            self.port = port
        }

        /// Decodes the Listener of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "AddRaftVoterRequest.Listener.name")
            self.host = try reader.readString(compact: true, "AddRaftVoterRequest.Listener.host")
            self.port = try reader.readUInt16("AddRaftVoterRequest.Listener.port")
            try reader.readTaggedFields("AddRaftVoterRequest.Listener tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeString(self.host, compact: true)
            writer.writeUInt16(self.port)
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Makes a node that follows the controller quorum one of its voters (KIP-853).
///
/// API key 80; versions 0-1; flexible from v0.
public struct AddRaftVoterResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .addRaftVoter
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// 0, or why the node was not added. (all versions)
    public var errorCode: Int16
    /// Why, or null. (all versions; nullable v0-1)
    public var errorMessage: String?

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = nil
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// Decodes the AddRaftVoterResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("AddRaftVoterResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("AddRaftVoterResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "AddRaftVoterResponse.errorMessage")
        try reader.readTaggedFields("AddRaftVoterResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
        writer.writeEmptyTaggedFields()
    }
}
