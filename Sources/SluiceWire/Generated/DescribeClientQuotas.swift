// generated from proto/ — do not edit
// Source: proto/kafka/DescribeClientQuotas.json

/// Lists client quotas (byte rates, request time) of the user and client-id entities a filter matches.
///
/// API key 48; versions 0-1; flexible from v1.
public struct DescribeClientQuotasRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeClientQuotas
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// Filter components, one per entity type. (all versions)
    public var components: [Component]
    /// Leave out entities with entity types the filter does not name. (all versions)
    public var strict: Bool

    /// A value with every field given or left at its schema default.
    public init(
        components: [Component] = [],
        strict: Bool = false
    ) {
        self.components = components
        self.strict = strict
    }

    /// Decodes the DescribeClientQuotasRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.components = try reader.readArray(compact: flexible, minimumElementBytes: 3, "DescribeClientQuotasRequest.components") { r throws(WireError) in try Component(from: &r, version: version) }
        self.strict = try reader.readBool("DescribeClientQuotasRequest.strict")
        if flexible {
            try reader.readTaggedFields("DescribeClientQuotasRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeArrayCount(self.components.count, compact: flexible, nullable: false)
        for item in self.components { item.encode(into: &writer, version: version) }
        writer.writeBool(self.strict)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// Filter components, one per entity type.
    /// Present in v0-1.
    public struct Component: WireMessage, Equatable {
        /// user or client-id. (all versions)
        public var entityType: String
        /// 0 exact name, 1 the default entity, 2 any named entity. (all versions)
        public var matchType: Int8
        /// The name for an exact match, else null. (all versions; nullable v0-1)
        public var match: String?

        /// A value with every field given or left at its schema default.
        public init(
            entityType: String = "",
            matchType: Int8 = 0,
            match: String? = ""
        ) {
            self.entityType = entityType
            self.matchType = matchType
            self.match = match
        }

        /// Decodes the Component of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.entityType = try reader.readString(compact: flexible, "DescribeClientQuotasRequest.Component.entityType")
            self.matchType = try reader.readInt8("DescribeClientQuotasRequest.Component.matchType")
            self.match = try reader.readNullableString(compact: flexible, nullable: true, "DescribeClientQuotasRequest.Component.match")
            if flexible {
                try reader.readTaggedFields("DescribeClientQuotasRequest.Component tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeString(self.entityType, compact: flexible)
            writer.writeInt8(self.matchType)
            writer.writeNullableString(self.match, compact: flexible, nullable: true)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }
}

/// Lists client quotas (byte rates, request time) of the user and client-id entities a filter matches.
///
/// API key 48; versions 0-1; flexible from v1.
public struct DescribeClientQuotasResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeClientQuotas
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Why it failed, or null. (all versions; nullable v0-1)
    public var errorMessage: String?
    /// One per matching entity. (all versions; nullable v0-1)
    public var entries: [Entry]?

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = "",
        entries: [Entry]? = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.entries = entries
    }

    /// Decodes the DescribeClientQuotasResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.throttleTimeMs = try reader.readInt32("DescribeClientQuotasResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("DescribeClientQuotasResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "DescribeClientQuotasResponse.errorMessage")
        self.entries = try reader.readNullableArray(compact: flexible, nullable: true, minimumElementBytes: 2, "DescribeClientQuotasResponse.entries") { r throws(WireError) in try Entry(from: &r, version: version) }
        if flexible {
            try reader.readTaggedFields("DescribeClientQuotasResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
        writer.writeArrayCount(self.entries?.count, compact: flexible, nullable: true)
        for item in self.entries ?? [] { item.encode(into: &writer, version: version) }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }

    /// One per matching entity.
    /// Present in v0-1.
    public struct Entry: WireMessage, Equatable {
        /// The entity: one name per entity type. (all versions)
        public var entity: [Entity]
        /// The entity's quotas. (all versions)
        public var values: [Value]

        /// A value with every field given or left at its schema default.
        public init(
            entity: [Entity] = [],
            values: [Value] = []
        ) {
            self.entity = entity
            self.values = values
        }

        /// Decodes the Entry of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 1
            self.entity = try reader.readArray(compact: flexible, minimumElementBytes: 2, "DescribeClientQuotasResponse.Entry.entity") { r throws(WireError) in try Entity(from: &r, version: version) }
            self.values = try reader.readArray(compact: flexible, minimumElementBytes: 9, "DescribeClientQuotasResponse.Entry.values") { r throws(WireError) in try Value(from: &r, version: version) }
            if flexible {
                try reader.readTaggedFields("DescribeClientQuotasResponse.Entry tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 1
            writer.writeArrayCount(self.entity.count, compact: flexible, nullable: false)
            for item in self.entity { item.encode(into: &writer, version: version) }
            writer.writeArrayCount(self.values.count, compact: flexible, nullable: false)
            for item in self.values { item.encode(into: &writer, version: version) }
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
                self.entityType = try reader.readString(compact: flexible, "DescribeClientQuotasResponse.Entry.Entity.entityType")
                self.entityName = try reader.readNullableString(compact: flexible, nullable: true, "DescribeClientQuotasResponse.Entry.Entity.entityName")
                if flexible {
                    try reader.readTaggedFields("DescribeClientQuotasResponse.Entry.Entity tagged fields")
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

        /// The entity's quotas.
        /// Present in v0-1.
        public struct Value: WireMessage, Equatable {
            /// producer_byte_rate, consumer_byte_rate or request_percentage. (all versions)
            public var key: String
            /// Bytes per second, or percent of one I/O thread. (all versions)
            public var value: Double

            /// A value with every field given or left at its schema default.
            public init(
                key: String = "",
                value: Double = 0.0
            ) {
                self.key = key
                self.value = value
            }

            /// Decodes the Value of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                let flexible = version >= 1
                self.key = try reader.readString(compact: flexible, "DescribeClientQuotasResponse.Entry.Value.key")
                self.value = try reader.readFloat64("DescribeClientQuotasResponse.Entry.Value.value")
                if flexible {
                    try reader.readTaggedFields("DescribeClientQuotasResponse.Entry.Value tagged fields")
                }
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                let flexible = version >= 1
                writer.writeString(self.key, compact: flexible)
                writer.writeFloat64(self.value)
                if flexible {
                    writer.writeEmptyTaggedFields()
                }
            }
        }
    }
}
