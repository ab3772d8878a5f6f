// generated from proto/ — do not edit
// Source: proto/kafka/RequestHeader.json

/// Precedes every request body: which API, which version, the correlation id and the client id.
///
/// Versions 0-2; flexible from v2.
public struct RequestHeader: WireMessage, Equatable {
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...2
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 2

    /// API key of the request. (all versions)
    public var apiKey: Int16
    /// Version of the request body. (all versions)
    public var apiVersion: Int16
    /// Echoed in the response so the client can match it. (all versions)
    public var correlationId: Int32
    /// Client-chosen id; keeps the int16 length even in header v2. (v1-2; nullable v1-2)
    public var clientId: String?

    /// A value with every field given or left at its schema default.
    public init(
        apiKey: Int16 = 0,
        apiVersion: Int16 = 0,
        correlationId: Int32 = 0,
        clientId: String? = ""
    ) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// Decodes the RequestHeader of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 2
        self.apiKey = try reader.readInt16("RequestHeader.apiKey")
        self.apiVersion = try reader.readInt16("RequestHeader.apiVersion")
        self.correlationId = try reader.readInt32("RequestHeader.correlationId")
        if version >= 1 {
            self.clientId = try reader.readNullableString(compact: false, nullable: true, "RequestHeader.clientId")
        }
        if flexible {
            try reader.readTaggedFields("RequestHeader tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt16(self.apiKey)
        writer.writeInt16(self.apiVersion)
        writer.writeInt32(self.correlationId)
        if version >= 1 {
            writer.writeNullableString(self.clientId, compact: false, nullable: true)
        }
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
