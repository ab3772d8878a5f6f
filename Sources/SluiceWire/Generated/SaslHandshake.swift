// generated from proto/ — do not edit
// Source: proto/kafka/SaslHandshake.json

/// Names the SASL mechanism a client will authenticate with; v1 wraps the exchange in SaslAuthenticate.
///
/// API key 17; versions 0-1; flexible from none.
public struct SaslHandshakeRequest: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .saslHandshake
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

    /// The mechanism the client chose, e.g. SCRAM-SHA-256. (all versions)
    public var mechanism: String

    /// A value with every field given or left at its schema default.
    public init(
        mechanism: String = ""
    ) {
        self.mechanism = mechanism
    }

    /// Decodes the SaslHandshakeRequest of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.mechanism = try reader.readString(compact: false, "SaslHandshakeRequest.mechanism")
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeString(self.mechanism, compact: false)
    }
}

/// Names the SASL mechanism a client will authenticate with; v1 wraps the exchange in SaslAuthenticate.
///
/// API key 17; versions 0-1; flexible from none.
public struct SaslHandshakeResponse: ApiMessage, Equatable {
    /// The API this message belongs to.
    public static let apiKey: ApiKey = .saslHandshake
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = nil

    /// Error code, 0 for none (UNSUPPORTED_SASL_MECHANISM when not enabled). (all versions)
    public var errorCode: Int16
    /// The mechanisms this listener accepts. (all versions)
    public var mechanisms: [String]

    /// A value with every field given or left at its schema default.
    public init(
        errorCode: Int16 = 0,
        mechanisms: [String] = []
    ) {
        self.errorCode = errorCode
        self.mechanisms = mechanisms
    }

    /// Decodes the SaslHandshakeResponse of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        self.errorCode = try reader.readInt16("SaslHandshakeResponse.errorCode")
        self.mechanisms = try reader.readArray(compact: false, minimumElementBytes: 2, "SaslHandshakeResponse.mechanisms") { r throws(WireError) in try r.readString(compact: false, "SaslHandshakeResponse.mechanisms") }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInt16(self.errorCode)
        writer.writeArrayCount(self.mechanisms.count, compact: false, nullable: false)
        for item in self.mechanisms { writer.writeString(item, compact: false) }
    }
}
