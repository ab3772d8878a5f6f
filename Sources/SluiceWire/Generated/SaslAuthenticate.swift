// generated from proto/ — do not edit
// Source: proto/kafka/SaslAuthenticate.json

/// One step of a SASL exchange: the client's message and the server's answer.
///
/// API key 36; versions 0-2; flexible from v2.
public struct SaslAuthenticateRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .saslAuthenticate
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// The client's message, as the mechanism defines it. (all versions)
    public var authBytes: [UInt8]

    /// A value with every field given or left at its schema default.
    public init(
        authBytes: [UInt8] = []
    ) {
        self.authBytes = authBytes
    }

    /// Decodes the SaslAuthenticateRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.authBytes = try reader.readBytes(compact: flexible, "SaslAuthenticateRequest.authBytes")
        if flexible {
            try reader.readTaggedFields("SaslAuthenticateRequest tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeBytes(self.authBytes, compact: flexible)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}

/// One step of a SASL exchange: the client's message and the server's answer.
///
/// API key 36; versions 0-2; flexible from v2.
public struct SaslAuthenticateResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .saslAuthenticate
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// Error code, 0 for none. (all versions)
    public var errorCode: Int16
    /// Why authentication failed, or null. (all versions; nullable v0-2)
    public var errorMessage: String?
    /// The server's message, as the mechanism defines it. (all versions)
    public var authBytes: [UInt8]
    /// How long the authenticated session lasts, in ms; 0: as long as the connection. (v1-2)
    public var sessionLifetimeMs: Int64

    /// A value with every field given or left at its schema default.
    public init(
        errorCode: Int16 = 0,
        errorMessage: String? = "",
        authBytes: [UInt8] = [],
        sessionLifetimeMs: Int64 = 0
    ) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.authBytes = authBytes
        self.sessionLifetimeMs = sessionLifetimeMs
    }

    /// Decodes the SaslAuthenticateResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.errorCode = try reader.readInt16("SaslAuthenticateResponse.errorCode")
        self.errorMessage = try reader.readNullableString(compact: flexible, nullable: true, "SaslAuthenticateResponse.errorMessage")
        self.authBytes = try reader.readBytes(compact: flexible, "SaslAuthenticateResponse.authBytes")
        if version >= 1 {
            self.sessionLifetimeMs = try reader.readInt64("SaslAuthenticateResponse.sessionLifetimeMs")
        }
        if flexible {
            try reader.readTaggedFields("SaslAuthenticateResponse tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt16(self.errorCode)
        writer.writeNullableString(self.errorMessage, compact: flexible, nullable: true)
        writer.writeBytes(self.authBytes, compact: flexible)
        if version >= 1 {
            writer.writeInt64(self.sessionLifetimeMs)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
