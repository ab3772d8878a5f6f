// generated from proto/ — do not edit
// Source: proto/kafka/ApiVersions.json

/// Asks which API keys and version ranges the broker serves; the first request on every connection.
///
/// API key 18; versions 0-4; flexible from v3.
public struct ApiVersionsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .apiVersions
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// Client library name, checked against [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?. (v3-4)
    public var clientSoftwareName: String
    /// Client library version, checked like the name. (v3-4)
    public var clientSoftwareVersion: String

    /// A value with every field given or left at its schema default.
    public init(
        clientSoftwareName: String = "",
        clientSoftwareVersion: String = ""
    ) {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    /// Decodes the ApiVersionsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        if version >= 3 {
            self.clientSoftwareName = try reader.readString(compact: flexible, "ApiVersionsRequest.clientSoftwareName")
        }
        if version >= 3 {
            self.clientSoftwareVersion = try reader.readString(compact: flexible, "ApiVersionsRequest.clientSoftwareVersion")
        }
        if flexible {
            try reader.readTaggedFields("ApiVersionsRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 3 {
            writer.writeString(self.clientSoftwareName, compact: flexible)
        }
        if version >= 3 {
            writer.writeString(self.clientSoftwareVersion, compact: flexible)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Asks which API keys and version ranges the broker serves; the first request on every connection.
///
/// API key 18; versions 0-4; flexible from v3.
public struct ApiVersionsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .apiVersions
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...4
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 3

    /// UNSUPPORTED_VERSION (35) when the request version is unknown; the body is then laid out as v0. (all versions)
    public var errorCode: Int16
    /// One entry per API the broker serves. (all versions)
    public var apiKeys: [ApiKeyRange]
    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (v1-4)
    public var throttleTimeMs: Int32
    /// Feature flags this broker understands (tagged). (v3-4; tag 0)
    public var supportedFeatures: [SupportedFeature]
    /// Epoch of the finalized feature levels, -1 if unknown (tagged). (v3-4; tag 1)
    public var finalizedFeaturesEpoch: Int64
    /// Feature levels agreed for the whole cluster (tagged). (v3-4; tag 2)
    public var finalizedFeatures: [FinalizedFeature]
    /// ZooKeeper migration flag of KRaft controllers; always false here (tagged). (v3-4; tag 3)
    public var zkMigrationReady: Bool

    /// A value with every field given or left at its schema default.
    public init(
        errorCode: Int16 = 0,
        apiKeys: [ApiKeyRange] = [],
        throttleTimeMs: Int32 = 0,
        supportedFeatures: [SupportedFeature] = [],
        finalizedFeaturesEpoch: Int64 = -1,
        finalizedFeatures: [FinalizedFeature] = [],
        zkMigrationReady: Bool = false
    ) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
        self.supportedFeatures = supportedFeatures
        self.finalizedFeaturesEpoch = finalizedFeaturesEpoch
        self.finalizedFeatures = finalizedFeatures
        self.zkMigrationReady = zkMigrationReady
    }

    /// Decodes the ApiVersionsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 3
        self.errorCode = try reader.readInt16("ApiVersionsResponse.errorCode")
        self.apiKeys = try reader.readArray(compact: flexible, minimumElementBytes: 6, "ApiVersionsResponse.apiKeys") { r throws(WireError) in try ApiKeyRange(from: &r, version: version) }
        if version >= 1 {
            self.throttleTimeMs = try reader.readInt32("ApiVersionsResponse.throttleTimeMs")
        }
        if flexible {
            try reader.readTaggedFields("ApiVersionsResponse tagged fields") { tag, field throws(WireError) in
                switch tag {
                case 0:
                    self.supportedFeatures = try field.readArray(compact: true, minimumElementBytes: 6, "ApiVersionsResponse.supportedFeatures") { r throws(WireError) in try SupportedFeature(from: &r, version: version) }
                case 1:
                    self.finalizedFeaturesEpoch = try field.readInt64("ApiVersionsResponse.finalizedFeaturesEpoch")
                case 2:
                    self.finalizedFeatures = try field.readArray(compact: true, minimumElementBytes: 6, "ApiVersionsResponse.finalizedFeatures") { r throws(WireError) in try FinalizedFeature(from: &r, version: version) }
                case 3:
                    self.zkMigrationReady = try field.readBool("ApiVersionsResponse.zkMigrationReady")
                default:
                    break
                }
            }
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 3
        writer.writeInt16(self.errorCode)
        writer.writeArrayCount(self.apiKeys.count, compact: flexible, nullable: false)
        for item in self.apiKeys { item.encode(into: &writer, version: version) }
        if version >= 1 {
            writer.writeInt32(self.throttleTimeMs)
        }
        if flexible {
            var taggedCount: UInt32 = 0
            if self.supportedFeatures != [] { taggedCount += 1 }
            if self.finalizedFeaturesEpoch != -1 { taggedCount += 1 }
            if self.finalizedFeatures != [] { taggedCount += 1 }
            if self.zkMigrationReady != false { taggedCount += 1 }
            writer.writeUnsignedVarint(taggedCount)
            if self.supportedFeatures != [] {
                var tagged = ByteWriter()
                tagged.writeArrayCount(self.supportedFeatures.count, compact: true, nullable: false)
                for item in self.supportedFeatures { item.encode(into: &tagged, version: version) }
                writer.writeUnsignedVarint(0)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
            if self.finalizedFeaturesEpoch != -1 {
                var tagged = ByteWriter()
                tagged.writeInt64(self.finalizedFeaturesEpoch)
                writer.writeUnsignedVarint(1)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
            if self.finalizedFeatures != [] {
                var tagged = ByteWriter()
                tagged.writeArrayCount(self.finalizedFeatures.count, compact: true, nullable: false)
                for item in self.finalizedFeatures { item.encode(into: &tagged, version: version) }
                writer.writeUnsignedVarint(2)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
            if self.zkMigrationReady != false {
                var tagged = ByteWriter()
                tagged.writeBool(self.zkMigrationReady)
                writer.writeUnsignedVarint(3)
                writer.writeUnsignedVarint(UInt32(tagged.count))
                writer.writeRaw(tagged.bytes)
            }
        }
    }

    /// One entry per API the broker serves.
    /// Present in v0-4.
    public struct ApiKeyRange: WireMessage, Equatable {
        /// API key. (all versions)
        public var apiKey: Int16
        /// Lowest version served. (all versions)
        public var minVersion: Int16
        /// Highest version served. (all versions)
        public var maxVersion: Int16

        /// A value with every field given or left at its schema default.
        public init(
            apiKey: Int16 = 0,
            minVersion: Int16 = 0,
            maxVersion: Int16 = 0
        ) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        /// Decodes the ApiKeyRange of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            let flexible = version >= 3
            self.apiKey = try reader.readInt16("ApiVersionsResponse.ApiKeyRange.apiKey")
            self.minVersion = try reader.readInt16("ApiVersionsResponse.ApiKeyRange.minVersion")
            self.maxVersion = try reader.readInt16("ApiVersionsResponse.ApiKeyRange.maxVersion")
            if flexible {
                try reader.readTaggedFields("ApiVersionsResponse.ApiKeyRange tagged fields")
            }
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            let flexible = version >= 3
            writer.writeInt16(self.apiKey)
            writer.writeInt16(self.minVersion)
            writer.writeInt16(self.maxVersion)
            if flexible {
                writer.writeEmptyTaggedFields()
            }
        }
    }

    /// Feature flags this broker understands (tagged).
    /// Present in v3-4.
    public struct SupportedFeature: WireMessage, Equatable {
        /// Feature name. (all versions)
        public var name: String
        /// Lowest feature level understood. (all versions)
        public var minVersion: Int16
        /// Highest feature level understood. (all versions)
        public var maxVersion: Int16

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            minVersion: Int16 = 0,
            maxVersion: Int16 = 0
        ) {
            self.name = name
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        /// Decodes the SupportedFeature of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "ApiVersionsResponse.SupportedFeature.name")
            self.minVersion = try reader.readInt16("ApiVersionsResponse.SupportedFeature.minVersion")
            self.maxVersion = try reader.readInt16("ApiVersionsResponse.SupportedFeature.maxVersion")
            try reader.readTaggedFields("ApiVersionsResponse.SupportedFeature tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeInt16(self.minVersion)
            writer.writeInt16(self.maxVersion)
            writer.writeEmptyTaggedFields()
        }
    }

    /// Feature levels agreed for the whole cluster (tagged).
    /// Present in v3-4.
    public struct FinalizedFeature: WireMessage, Equatable {
        /// Feature name. (all versions)
        public var name: String
        /// Highest finalized level. (all versions)
        public var maxVersionLevel: Int16
        /// Lowest finalized level. (all versions)
        public var minVersionLevel: Int16

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            maxVersionLevel: Int16 = 0,
            minVersionLevel: Int16 = 0
        ) {
            self.name = name
            self.maxVersionLevel = maxVersionLevel
            self.minVersionLevel = minVersionLevel
        }

        /// Decodes the FinalizedFeature of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "ApiVersionsResponse.FinalizedFeature.name")
            self.maxVersionLevel = try reader.readInt16("ApiVersionsResponse.FinalizedFeature.maxVersionLevel")
            self.minVersionLevel = try reader.readInt16("ApiVersionsResponse.FinalizedFeature.minVersionLevel")
            try reader.readTaggedFields("ApiVersionsResponse.FinalizedFeature tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeInt16(self.maxVersionLevel)
            writer.writeInt16(self.minVersionLevel)
            writer.writeEmptyTaggedFields()
        }
    }
}
