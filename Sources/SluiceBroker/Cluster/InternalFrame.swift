import SluiceWire

/// The payload of an inter-node frame (what follows the int32 size): a request header, then an
/// internal API body. The same layout as a Kafka request, so the listener reuses `FrameServer`
/// and captures read with Kafka tools, but one-way: no correlation id is ever answered.
public enum InternalFrame {
    /// The version every sender writes; receivers read any version the schemas describe.
    static let version: Int16 = 0

    /// Header and body bytes for `body`, `clientID` naming the sender in captures.
    public static func encode(_ body: InternalRequest, correlationID: Int32, clientID: String) -> [UInt8] {
        let key = body.apiKey
        var writer = ByteWriter()
        let header = RequestHeader(apiKey: key.rawValue, apiVersion: version, correlationId: correlationID, clientId: clientID)
        header.encode(into: &writer, version: key.requestHeaderVersion(version))
        body.encode(into: &writer, version: version)
        return writer.bytes
    }

    /// The body in `payload`; throws on an unknown key or version, a malformed body, or bytes
    /// left over after it (a sender and receiver disagreeing on the layout).
    public static func decode(_ payload: [UInt8]) throws(ClusterWireError) -> InternalRequest {
        var reader = ByteReader(payload)
        let body: InternalRequest
        do throws(WireError) {
            var peek = reader
            let rawKey = try peek.readInt16("RequestHeader.apiKey")
            let version = try peek.readInt16("RequestHeader.apiVersion")
            guard let key = InternalApiKey(rawValue: rawKey) else { throw .inconsistent("unknown internal api key \(rawKey)") }
            _ = try RequestHeader(from: &reader, version: key.requestHeaderVersion(version))
            body = try InternalRequest(apiKey: key, version: version, from: &reader)
        } catch {
            throw .wire(error)
        }
        guard reader.isAtEnd else { throw .invalid("\(reader.remaining) bytes after the \(body.apiKey) body") }
        return body
    }
}
