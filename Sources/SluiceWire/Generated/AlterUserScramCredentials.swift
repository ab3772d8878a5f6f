// generated from proto/ — do not edit
// Source: proto/kafka/AlterUserScramCredentials.json

/// Creates, replaces or deletes users' SCRAM credentials; the client sends the salted password, never the password.
///
/// API key 51; versions 0; flexible from v0.
public struct AlterUserScramCredentialsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterUserScramCredentials
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// Credentials to delete. (all versions)
    public var deletions: [Deletion]
    /// Credentials to create or replace. (all versions)
    public var upsertions: [Upsertion]

    /// A value with every field given or left at its schema default.
    public init(
        deletions: [Deletion] = [],
        upsertions: [Upsertion] = []
    ) {
        self.deletions = deletions
        self.upsertions = upsertions
    }

    /// Decodes the AlterUserScramCredentialsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.deletions = try reader.readArray(compact: true, minimumElementBytes: 3, "AlterUserScramCredentialsRequest.deletions") { r throws(WireError) in try Deletion(from: &r, version: version) }
        self.upsertions = try reader.readArray(compact: true, minimumElementBytes: 9, "AlterUserScramCredentialsRequest.upsertions") { r throws(WireError) in try Upsertion(from: &r, version: version) }
        try reader.readTaggedFields("AlterUserScramCredentialsRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeArrayCount(self.deletions.count, compact: true, nullable: false)
        for item in self.deletions { item.encode(into: &writer, version: version) }
        writer.writeArrayCount(self.upsertions.count, compact: true, nullable: false)
        for item in self.upsertions { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Credentials to delete.
    /// Present in v0.
    public struct Deletion: WireMessage, Equatable {
        /// User name. (all versions)
        public var name: String
        /// 1: SCRAM-SHA-256, 2: SCRAM-SHA-512. (all versions)
        public var mechanism: Int8

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            mechanism: Int8 = 0
        ) {
            self.name = name
            self.mechanism = mechanism
        }

        /// Decodes the Deletion of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "AlterUserScramCredentialsRequest.Deletion.name")
            self.mechanism = try reader.readInt8("AlterUserScramCredentialsRequest.Deletion.mechanism")
            try reader.readTaggedFields("AlterUserScramCredentialsRequest.Deletion tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeInt8(self.mechanism)
            writer.writeEmptyTaggedFields()
        }
    }

    /// Credentials to create or replace.
    /// Present in v0.
    public struct Upsertion: WireMessage, Equatable {
        /// User name. (all versions)
        public var name: String
        /// 1: SCRAM-SHA-256, 2: SCRAM-SHA-512. (all versions)
        public var mechanism: Int8
        /// PBKDF2 iterations the salted password was made with. (all versions)
        public var iterations: Int32
        /// The salt, chosen by the client. (all versions)
        public var salt: [UInt8]
        /// PBKDF2 of the password with the salt and iterations (RFC 5802's SaltedPassword). (all versions)
        public var saltedPassword: [UInt8]

        /// A value with every field given or left at its schema default.
        public init(
            name: String = "",
            mechanism: Int8 = 0,
            iterations: Int32 = 0,
            salt: [UInt8] = [],
            saltedPassword: [UInt8] = []
        ) {
            self.name = name
            self.mechanism = mechanism
            self.iterations = iterations
            self.salt = salt
            self.saltedPassword = saltedPassword
        }

        /// Decodes the Upsertion of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "AlterUserScramCredentialsRequest.Upsertion.name")
            self.mechanism = try reader.readInt8("AlterUserScramCredentialsRequest.Upsertion.mechanism")
            self.iterations = try reader.readInt32("AlterUserScramCredentialsRequest.Upsertion.iterations")
            self.salt = try reader.readBytes(compact: true, "AlterUserScramCredentialsRequest.Upsertion.salt")
            self.saltedPassword = try reader.readBytes(compact: true, "AlterUserScramCredentialsRequest.Upsertion.saltedPassword")
            try reader.readTaggedFields("AlterUserScramCredentialsRequest.Upsertion tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeInt8(self.mechanism)
            writer.writeInt32(self.iterations)
            writer.writeBytes(self.salt, compact: true)
            writer.writeBytes(self.saltedPassword, compact: true)
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Creates, replaces or deletes users' SCRAM credentials; the client sends the salted password, never the password.
///
/// API key 51; versions 0; flexible from v0.
public struct AlterUserScramCredentialsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .alterUserScramCredentials
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// One per user named in the request. (all versions)
    public var results: [UserResult]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        results: [UserResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    /// Decodes the AlterUserScramCredentialsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("AlterUserScramCredentialsResponse.throttleTimeMs")
        self.results = try reader.readArray(compact: true, minimumElementBytes: 5, "AlterUserScramCredentialsResponse.results") { r throws(WireError) in try UserResult(from: &r, version: version) }
        try reader.readTaggedFields("AlterUserScramCredentialsResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeArrayCount(self.results.count, compact: true, nullable: false)
        for item in self.results { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// One per user named in the request.
    /// Present in v0.
    public struct UserResult: WireMessage, Equatable {
        /// User name. (all versions)
        public var user: String
        /// Error code, 0 for none. (all versions)
        public var errorCode: Int16
        /// Why it failed, or null. (all versions; nullable v0)
        public var errorMessage: String?

        /// A value with every field given or left at its schema default.
        public init(
            user: String = "",
            errorCode: Int16 = 0,
            errorMessage: String? = ""
        ) {
            self.user = user
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Decodes the UserResult of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.user = try reader.readString(compact: true, "AlterUserScramCredentialsResponse.UserResult.user")
            self.errorCode = try reader.readInt16("AlterUserScramCredentialsResponse.UserResult.errorCode")
            self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "AlterUserScramCredentialsResponse.UserResult.errorMessage")
            try reader.readTaggedFields("AlterUserScramCredentialsResponse.UserResult tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.user, compact: true)
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
            writer.writeEmptyTaggedFields()
        }
    }
}
