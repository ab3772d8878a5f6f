// generated from proto/ — do not edit
// Source: proto/kafka/InitProducerId.json

/// Allocates a producer id and epoch for an idempotent or transactional producer.
///
/// API key 22; versions 0-4; flexible from v2.
public struct InitProducerIdRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .initProducerId
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// Transactional id, or null for a plain idempotent producer. (all versions; nullable v0-4)
    public var transactionalId: String?
    /// Transaction timeout in ms; ignored without a transactional id. (all versions)
    public var transactionTimeoutMs: Int32
    /// Current producer id when asking for an epoch bump, else -1. (v3-4)
    public var producerId: Int64
    /// Current epoch when asking for a bump, else -1. (v3-4)
    public var producerEpoch: Int16

    /// A value with every field given or left at its schema default.
    public init(
        transactionalId: String? = "",
        transactionTimeoutMs: Int32 = 0,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1
    ) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    /// Decodes the InitProducerIdRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.transactionalId = try reader.readNullableString(compact: flexible, nullable: true, "InitProducerIdRequest.transactionalId")
        self.transactionTimeoutMs = try reader.readInt32("InitProducerIdRequest.transactionTimeoutMs")
        if version >= 3 {
            self.producerId = try reader.readInt64("InitProducerIdRequest.producerId")
        }
        if version >= 3 {
            self.producerEpoch = try reader.readInt16("InitProducerIdRequest.producerEpoch")
        }
        if flexible {
            try reader.readTaggedFields("InitProducerIdRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeNullableString(self.transactionalId, compact: flexible, nullable: true)
        writer.writeInt32(self.transactionTimeoutMs)
        if version >= 3 {
            writer.writeInt64(self.producerId)
        }
        if version >= 3 {
            writer.writeInt16(self.producerEpoch)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Allocates a producer id and epoch for an idempotent or transactional producer.
///
/// API key 22; versions 0-4; flexible from v2.
public struct InitProducerIdResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .initProducerId
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Allocated producer id. (all versions)
    public var producerId: Int64
    /// Epoch for that producer id. (all versions)
    public var producerEpoch: Int16

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        producerId: Int64 = -1,
        producerEpoch: Int16 = 0
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    /// Decodes the InitProducerIdResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.throttleTimeMs = try reader.readInt32("InitProducerIdResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("InitProducerIdResponse.errorCode")
        self.producerId = try reader.readInt64("InitProducerIdResponse.producerId")
        self.producerEpoch = try reader.readInt16("InitProducerIdResponse.producerEpoch")
        if flexible {
            try reader.readTaggedFields("InitProducerIdResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeInt64(self.producerId)
        writer.writeInt16(self.producerEpoch)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
