// generated from proto/ — do not edit
// Source: proto/kafka/DescribeUserScramCredentials.json

/// Lists which SCRAM mechanisms (and iteration counts) users have credentials for; never the credentials.
///
/// API key 50; versions 0; flexible from v0.
public struct DescribeUserScramCredentialsRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeUserScramCredentials
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// Users to describe; null or empty: every user. (all versions; nullable v0)
    public var users: [UserName]?

    /// A value with every field given or left at its schema default.
    public init(
        users: [UserName]? = []
    ) {
        self.users = users
    }

    /// Decodes the DescribeUserScramCredentialsRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.users = try reader.readNullableArray(compact: true, nullable: true, minimumElementBytes: 2, "DescribeUserScramCredentialsRequest.users") { r throws(WireError) in try UserName(from: &r, version: version) }
        try reader.readTaggedFields("DescribeUserScramCredentialsRequest tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeArrayCount(self.users?.count, compact: true, nullable: true)
        for item in self.users ?? [] { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// Users to describe; null or empty: every user.
    /// Present in v0.
    public struct UserName: WireMessage, Equatable {
        /// User name. (all versions)
        public var name: String

        /// A value with every field given or left at its schema default.
        public init(
            name: String = ""
        ) {
            self.name = name
        }

        /// Decodes the UserName of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.name = try reader.readString(compact: true, "DescribeUserScramCredentialsRequest.UserName.name")
            try reader.readTaggedFields("DescribeUserScramCredentialsRequest.UserName tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.name, compact: true)
            writer.writeEmptyTaggedFields()
        }
    }
}

/// Lists which SCRAM mechanisms (and iteration counts) users have credentials for; never the credentials.
///
/// API key 50; versions 0; flexible from v0.
public struct DescribeUserScramCredentialsResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .describeUserScramCredentials
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...0
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 0

    /// How long the client should back off for quota reasons, in ms; 0 if not throttled. (all versions)
    public var throttleTimeMs: Int32
    /// Error code for the whole request, 0 for none. (all versions)
    public var errorCode: Int16
    /// Why the request failed, or null. (all versions; nullable v0)
    public var errorMessage: String?
    /// One per user. (all versions)
    public var results: [UserResult]

    /// A value with every field given or left at its schema default.
    public init(
        throttleTimeMs: Int32 = 0,
        errorCode: Int16 = 0,
        errorMessage: String? = "",
        results: [UserResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.results = results
    }

    /// Decodes the DescribeUserScramCredentialsResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.throttleTimeMs = try reader.readInt32("DescribeUserScramCredentialsResponse.throttleTimeMs")
        self.errorCode = try reader.readInt16("DescribeUserScramCredentialsResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "DescribeUserScramCredentialsResponse.errorMessage")
        self.results = try reader.readArray(compact: true, minimumElementBytes: 6, "DescribeUserScramCredentialsResponse.results") { r throws(WireError) in try UserResult(from: &r, version: version) }
        try reader.readTaggedFields("DescribeUserScramCredentialsResponse tagged fields")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt32(self.throttleTimeMs)
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
        writer.writeArrayCount(self.results.count, compact: true, nullable: false)
        for item in self.results { item.encode(into: &writer, version: version) }
        writer.writeEmptyTaggedFields()
    }

    /// One per user.
    /// Present in v0.
    public struct UserResult: WireMessage, Equatable {
        /// User name. (all versions)
        public var user: String
        /// Error code for this user (RESOURCE_NOT_FOUND: no credentials), 0 for none. (all versions)
        public var errorCode: Int16
        /// Why, or null. (all versions; nullable v0)
        public var errorMessage: String?
        /// The user's credentials. (all versions)
        public var credentialInfos: [CredentialInfo]

        /// A value with every field given or left at its schema default.
        public init(
            user: String = "",
            errorCode: Int16 = 0,
            errorMessage: String? = "",
            credentialInfos: [CredentialInfo] = []
        ) {
            self.user = user
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.credentialInfos = credentialInfos
        }

        /// Decodes the UserResult of `version`; fields absent in that version keep their defaults.
        public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
            self.init()
            self.user = try reader.readString(compact: true, "DescribeUserScramCredentialsResponse.UserResult.user")
            self.errorCode = try reader.readInt16("DescribeUserScramCredentialsResponse.UserResult.errorCode")
            self.errorMessage = try reader.readNullableString(compact: true, nullable: true, "DescribeUserScramCredentialsResponse.UserResult.errorMessage")
            self.credentialInfos = try reader.readArray(compact: true, minimumElementBytes: 6, "DescribeUserScramCredentialsResponse.UserResult.credentialInfos") { r throws(WireError) in try CredentialInfo(from: &r, version: version) }
            try reader.readTaggedFields("DescribeUserScramCredentialsResponse.UserResult tagged fields")
        }

        /// Encodes for `version`, skipping fields that version does not have.
        public func encode(into writer: inout ByteWriter, version: Int16) {
            writer.writeString(self.user, compact: true)
            writer.writeInt16(self.errorCode)
            writer.writeNullableString(self.errorMessage, compact: true, nullable: true)
            writer.writeArrayCount(self.credentialInfos.count, compact: true, nullable: false)
            for item in self.credentialInfos { item.encode(into: &writer, version: version) }
            writer.writeEmptyTaggedFields()
        }

        /// The user's credentials.
        /// Present in v0.
        public struct CredentialInfo: WireMessage, Equatable {
            /// 1: SCRAM-SHA-256, 2: SCRAM-SHA-512. (all versions)
            public var mechanism: Int8
            /// PBKDF2 iterations of the credential. (all versions)
            public var iterations: Int32

            /// A value with every field given or left at its schema default.
            public init(
                mechanism: Int8 = 0,
                iterations: Int32 = 0
            ) {
                self.mechanism = mechanism
                self.iterations = iterations
            }

            /// Decodes the CredentialInfo of `version`; fields absent in that version keep their defaults.
            public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
                self.init()
                self.mechanism = try reader.readInt8("DescribeUserScramCredentialsResponse.UserResult.CredentialInfo.mechanism")
                self.iterations = try reader.readInt32("DescribeUserScramCredentialsResponse.UserResult.CredentialInfo.iterations")
                try reader.readTaggedFields("DescribeUserScramCredentialsResponse.UserResult.CredentialInfo tagged fields")
            }

            /// Encodes for `version`, skipping fields that version does not have.
            public func encode(into writer: inout ByteWriter, version: Int16) {
                writer.writeInt8(self.mechanism)
                writer.writeInt32(self.iterations)
                writer.writeEmptyTaggedFields()
            }
        }
    }
}
