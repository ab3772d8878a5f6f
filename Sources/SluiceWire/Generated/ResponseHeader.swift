// generated from proto/ — do not edit
// Source: proto/kafka/ResponseHeader.json

/// Precedes every response body: the correlation id echoed from the request.
///
/// Versions 0-1; flexible from v1.
public struct ResponseHeader: WireMessage, Equatable {
    /// Versions this codec reads and writes.
    public static let validVersions: ClosedRange<Int16> = 0...1
    /// First version using compact lengths and tagged fields; nil when none does.
    public static let firstFlexibleVersion: Int16? = 1

    /// The correlation id of the request this answers. (all versions)
    public var correlationId: Int32

    /// A value with every field given or left at its schema default.
    public init(
        correlationId: Int32 = 0
    ) {
        self.correlationId = correlationId
    }

    /// Decodes the ResponseHeader of `version`; fields absent in that version keep their defaults.
    public init(from reader: inout ByteReader, version: Int16) throws(WireError) {
        self.init()
        let flexible = version >= 1
        self.correlationId = try reader.readInt32("ResponseHeader.correlationId")
        if flexible {
            try reader.readTaggedFields("ResponseHeader tagged fields")
        }
    }

    /// Encodes for `version`, skipping fields that version does not have.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        let flexible = version >= 1
        writer.writeInt32(self.correlationId)
        if flexible {
            writer.writeEmptyTaggedFields()
        }
    }
}
