// generated from proto/ — do not edit
// Source: proto/kafka/AlterClientQuotas.json

/// Sets or removes client quotas of user and client-id entities.
///
/// API key 49; versions 0-1; flexible from v1.
public struct AlterClientQuotasRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterClientQuotas
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// The entities to change. (all versions)
    public var entries: [Entry]
    /// Check, but change nothing. (all versions)
    public var validateOnly: Bool

    /// A value with every field given or left at its schema default.
    public init(
        entries: [Entry] = [],
        validateOnly: Bool = false
    ) {
        self.entries = entries
        self.validateOnly = validateOnly
    }

    /// Decodes the AlterClientQuotasRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.entries = try reader.readArray(compact: flexible, minimumElementBytes: 2, "AlterClientQuotasRequest.entries") { r throws(WireError) in try Entry(from: &r, version: version) }
        self.validateOnly = try reader.readBool("AlterClientQuotasRequest.validateOnly")
        if flexible {
            try reader.readTaggedFields("AlterClientQuotasRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeArrayCount(self.entries.count, compact: flexible, nullable: false)
        for item in self.entries { item.encode(into: &writer, version: version) }
        writer.writeBool(self.validateOnly)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// The entities to change.
    /// Present in v0-1.
    public struct Entry: WireMessage, Equatable {
        /// The entity: one name per entity type. (all versions)
        public var entity: [Entity]
        /// The changes. (all versions)
        public var ops: [Op]

        /// A value with every field given or left at its schema default.
        public init(
            entity: [Entity] = [],
            ops: [Op] = []
        ) {
            self.entity = entity
            self.ops = ops
        }

        /// Decodes the Entry of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.entity = try reader.readArray(compact: flexible, minimumElementBytes: 2, "AlterClientQuotasRequest.Entry.entity") { r throws(WireError) in try Entity(from: &r, version: version) }
            self.ops = try reader.readArray(compact: flexible, minimumElementBytes: 10, "AlterClientQuotasRequest.Entry.ops") { r throws(WireError) in try Op(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("AlterClientQuotasRequest.Entry tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeArrayCount(self.entity.count, compact: flexible, nullable: false)
            for item in self.entity { item.encode(into: &writer, version: version) }
            writer.writeArrayCount(self.ops.count, compact: flexible, nullable: false)
            for item in self.ops { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// The entity: one name per entity type.
        /// Present in v0-1.
        public struct Entity: WireMessage, Equatable {
            /// user or client-id. (all versions)
            public var entityType: String
            /// The name, or null for the default. (all versions; nullable v0-1)
            public var entityName: String?

            /// A value with every field given or left at its schema default.
            public init(
                entityType: String = "",
                entityName: String? = ""
            ) {
                self.entityType = entityType
                self.entityName = entityName
            }

            /// Decodes the Entity of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 1
                self.entityType = try reader.readString(compact: flexible, "AlterClientQuotasRequest.Entry.Entity.entityType")
                self.entityName = try reader.readNullableString(compact: flexible, nullable: true, "AlterClientQuotasRequest.Entry.Entity.entityName")
                if flexible {
                    try reader.readTaggedFields("AlterClientQuotasRequest.Entry.Entity tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 1
                writer.writeString(self.entityType, compact: flexible)
                writer.writeNullableString(self.entityName, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }

        /// The changes.
        /// Present in v0-1.
        public struct Op: WireMessage, Equatable {
            /// producer_byte_rate, consumer_byte_rate or request_percentage. (all versions)
            public var key: String
            /// The value to set (ignored on remove). (all versions)
            public var value: Double
            /// Remove the key instead of setting it. (all versions)
            public var remove: Bool

            /// A value with every field given or left at its schema default.
            public init(
                key: String = "",
                value: Double = 0.0,
                remove: Bool = false
            ) {
                self.key = key
                self.value = value
                self.remove = remove
            }

            /// Decodes the Op of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 1
                self.key = try reader.readString(compact: flexible, "AlterClientQuotasRequest.Entry.Op.key")
                self.value = try reader.readFloat64("AlterClientQuotasRequest.Entry.Op.value")
                self.remove = try reader.readBool("AlterClientQuotasRequest.Entry.Op.remove")
                if flexible {
                    try reader.readTaggedFields("AlterClientQuotasRequest.Entry.Op tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 1
                writer.writeString(self.key, compact: flexible)
                writer.writeFloat64(self.value)
                writer.writeBool(self.remove)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}

/// Sets or removes client quotas of user and client-id entities.
///
/// API key 49; versions 0-1; flexible from v1.
public struct AlterClientQuotasResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterClientQuotas
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// One per entity, in order. (all versions)
    public var entries: [EntryResult]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        entries: [EntryResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.entries = entries
    }

    /// Decodes the AlterClientQuotasResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.throttleTimeMs = try reader.readInt32("AlterClientQuotasResponse.throttleTimeMs")
        self.entries = try reader.readArray(compact: flexible, minimumElementBytes: 4, "AlterClientQuotasResponse.entries") { r throws(WireError) in try EntryResult(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("AlterClientQuotasResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.entries.count, compact: flexible, nullable: false)
        for item in self.entries { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// One per entity, in order.
    /// Present in v0-1.
    public struct EntryResult: WireMessage, Equatable {
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Why it failed, or null. (all versions; nullable v0-1)
        public var errorMessage: String?
        /// The entity. (all versions)
        public var entity: [Entity]

        /// A value with every field given or left at its schema default.
        public init(
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            entity: [Entity] = []
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.entity = entity
        }

        /// Decodes the EntryResult of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.errorCode = try reader.readInt16("AlterClientQuotasResponse.EntryResult.errorCode")
            self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "AlterClientQuotasResponse.EntryResult.errorMessage")
            self.entity = try reader.readArray(compact: flexible, minimumElementBytes: 2, "AlterClientQuotasResponse.EntryResult.entity") { r throws(WireError) in try Entity(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("AlterClientQuotasResponse.EntryResult tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
            writer.writeArrayCount(self.entity.count, compact: flexible, nullable: false)
            for item in self.entity { item.encode(into: &writer, version: version) }
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }

        /// The entity.
        /// Present in v0-1.
        public struct Entity: WireMessage, Equatable {
            /// user or client-id. (all versions)
            public var entityType: String
            /// The name, or null for the default. (all versions; nullable v0-1)
            public var entityName: String?

            /// A value with every field given or left at its schema default.
            public init(
                entityType: String = "",
                entityName: String? = ""
            ) {
                self.entityType = entityType
                self.entityName = entityName
            }

            /// Decodes the Entity of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 1
                self.entityType = try reader.readString(compact: flexible, "AlterClientQuotasResponse.EntryResult.Entity.entityType")
                self.entityName = try reader.readNullableString(compact: flexible, nullable: true, "AlterClientQuotasResponse.EntryResult.Entity.entityName")
                if flexible {
                    try reader.readTaggedFields("AlterClientQuotasResponse.EntryResult.Entity tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 1
                writer.writeString(self.entityType, compact: flexible)
                writer.writeNullableString(self.entityName, compact: flexible, nullable: true)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
