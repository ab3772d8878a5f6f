// generated from proto/ — do not edit
// Source: proto/kafka/FindCoordinator.json

/// Locates the broker coordinating a consumer group or transaction; batched from v4.
///
/// API key 10; versions 0-4; flexible from v3.
public struct FindCoordinatorRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .findCoordinator
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// Group id or transactional id to locate (v0-3). (v0-3)
    public var key: String
    /// 0 group, 1 transaction. (v1-4)
    public var keyType: Int8
    /// Keys to locate (v4+). (v4)
    public var coordinatorKeys: [String]

    /// A value with every field given or left at its schema default.
    public init(
        key: String = "",
        keyType: Int8 = 0,
        coordinatorKeys: [String] = []
    ) {
        self.key = key
        self.keyType = keyType
        self.coordinatorKeys = coordinatorKeys
    }

    /// Decodes the FindCoordinatorRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        if version <= 3 {
            self.key = try reader.readString(compact: flexible, "FindCoordinatorRequest.key")
        }
        if version >= 1 {
            self.keyType = try reader.readInt8("FindCoordinatorRequest.keyType")
        }
        if version >= 4 {
            self.coordinatorKeys = try reader.readArray(compact: flexible, minimumElementBytes: 1, "FindCoordinatorRequest.coordinatorKeys") { r throws(WireError) in try r.readString(compact: flexible, "FindCoordinatorRequest.coordinatorKeys") }
        }
        if flexible {
            try reader.readTaggedFields("FindCoordinatorRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        if version <= 3 {
            writer.writeString(self.key, compact: flexible)
        }
        if version >= 1 {
            writer.writeInt8(self.keyType)
        }
        if version >= 4 {
            writer.writeArrayCount(self.coordinatorKeys.count, compact: flexible, nullable: false)
            for item in self.coordinatorKeys { writer.writeString(item, compact: flexible) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Locates the broker coordinating a consumer group or transaction; batched from v4.
///
/// API key 10; versions 0-4; flexible from v3.
public struct FindCoordinatorResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .findCoordinator
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-4)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (v0-3)
    public var errorCode: Int16
    /// Error text, or null. (v1-3; nullable v1-3)
    public var errorMessage: String?
    /// Coordinator broker id (v0-3). (v0-3)
    public var nodeId: Int32
    /// Coordinator host name (v0-3). (v0-3)
    public var host: String
    /// Coordinator port (v0-3). (v0-3)
    public var port: Int32
    /// One answer per requested key (v4+). (v4)
    public var coordinators: [Coordinator]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = "",
        nodeId: Int32 = 0,
        host: String = "",
        port: Int32 = 0,
        coordinators: [Coordinator] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.coordinators = coordinators
    }

    /// Decodes the FindCoordinatorResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("FindCoordinatorResponse.throttleTimeMs")
        }
        if version <= 3 {
            self.errorCode = try reader.readInt16("FindCoordinatorResponse.errorCode")
        }
        if version >= 1 && version <= 3 {
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "FindCoordinatorResponse.errorMessage")
        }
        if version <= 3 {
            self.nodeId = try reader.readInt32("FindCoordinatorResponse.nodeId")
        }
        if version <= 3 {
            self.host = try reader.readString(compact: flexible, "FindCoordinatorResponse.host")
        }
        if version <= 3 {
            self.port = try reader.readInt32("FindCoordinatorResponse.port")
        }
        if version >= 4 {
            self.coordinators = try reader.readArray(compact: flexible, minimumElementBytes: 14, "FindCoordinatorResponse.coordinators") { r throws(WireError) in try Coordinator(from: &r, version: version) }
        }
        if flexible {
            try reader.readTaggedFields("FindCoordinatorResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        if version <= 3 {
            writer.writeInt16(self.errorCode)
        }
        if version >= 1 && version <= 3 {
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
        }
        if version <= 3 {
            writer.writeInt32(self.nodeId)
        }
        if version <= 3 {
            writer.writeString(self.host, compact: flexible)
        }
        if version <= 3 {
            writer.writeInt32(self.port)
        }
        if version >= 4 {
            writer.writeArrayCount(self.coordinators.count, compact: flexible, nullable: false)
            for item in self.coordinators { item.encode(into: &writer, version: version) }
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// One answer per requested key (v4+).
    /// Present in v4.
    public struct Coordinator: WireMessage, Equatable {
        /// The key this answer is for. (all versions)
        public var key: String
        /// Broker id. (all versions)
        public var nodeId: Int32
        /// Host name clients connect to. (all versions)
        public var host: String
        /// Port clients connect to. (all versions)
        public var port: Int32
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Error text, or null. (all versions; nullable v4)
        public var errorMessage: String?

        /// A value with every field given or left at its schema default.
        public init(
            key: String = "",
            nodeId: Int32 = 0,
            host: String = "",
            port: Int32 = 0,
            errorCode: Int16 = 0,
            errorMessage: String? = ""
        ) {
            self.key = key
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Decodes the Coordinator of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.key = try reader.readString(compact: true, "FindCoordinatorResponse.Coordinator.key")
            self.nodeId = try reader.readInt32("FindCoordinatorResponse.Coordinator.nodeId")
            self.host = try reader.readString(compact: true, "FindCoordinatorResponse.Coordinator.host")
            self.port = try reader.readInt32("FindCoordinatorResponse.Coordinator.port")
            self.errorCode = try reader.readInt16("FindCoordinatorResponse.Coordinator.errorCode")
            self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "FindCoordinatorResponse.Coordinator.errorMessage")
            try reader.readTaggedFields("FindCoordinatorResponse.Coordinator tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.key, compact: true)
            writer.writeInt32(self.nodeId)
            writer.writeString(self.host, compact: true)
            writer.writeInt32(self.port)
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
            writer.writeEmptyTaggedFields()
        }
    }
}
