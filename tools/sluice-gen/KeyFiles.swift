// The files that tie the APIs together: `ApiKey.swift` for Kafka's APIs, and
// `Internal/InternalApiKey.swift` + `Internal/InternalSamples.swift` for the inter-node ones. Both
// key enums and both body enums come from the same emitters so they cannot drift apart.

/// `opener`, then a `switch` with one case per API whose text is `body(api)`, then `}`.
func emitPerApiSwitch(_ opener: String, over subject: String = "self", apis: [SchemaSpec], into o: inout Lines,
                      _ body: (SchemaSpec) -> String) {
    o.block(opener) { n in
        n.line("switch \(subject) {")
        for api in apis { n.line(body(api)) }
        n.line("}")
    }
}

/// The members every API-key enum has: name, validVersions, firstFlexibleVersion, isFlexible.
/// `extra` adds members of one enum only.
func emitKeyEnum(_ name: String, doc: String, apis: [SchemaSpec], into o: inout Lines, extra: (inout Lines) -> Void = { _ in }) {
    o.line("/// \(doc)")
    o.block("public enum \(name): Int16, Sendable, CaseIterable, CustomStringConvertible {") { b in
        for api in apis {
            b.line("/// \(api.doc)")
            b.line("case \(lowerFirst(api.name)) = \(api.apiKey!)")
        }
        b.line()
        b.line("/// Kafka's name for the API.")
        emitPerApiSwitch("public var name: String {", apis: apis, into: &b) { api in
            "case .\(lowerFirst(api.name)): return \(swiftStringLiteral(api.name))"
        }
        b.line()
        b.line("public var description: String { name }")
        b.line()
        b.line("/// Versions the schema describes; the broker may advertise fewer.")
        emitPerApiSwitch("public var validVersions: ClosedRange<Int16> {", apis: apis, into: &b) { api in
            "case .\(lowerFirst(api.name)): return \(api.valid.lower)...\(api.valid.upper!)"
        }
        b.line()
        b.line("/// The first flexible version (compact lengths, tagged fields, header v2 / v1); nil when none is.")
        emitPerApiSwitch("public var firstFlexibleVersion: Int16? {", apis: apis, into: &b) { api in
            "case .\(lowerFirst(api.name)): return \(api.flexible.isEmpty ? "nil" : "\(api.flexible.lower)")"
        }
        b.line()
        b.line("/// Whether `version` is flexible. Flexibility never ends once it starts, so versions above")
        b.line("/// `validVersions` count as flexible too (a newer client's header is still read right).")
        b.block("public func isFlexible(_ version: Int16) -> Bool {") { n in
            n.line("guard let first = firstFlexibleVersion else { return false }")
            n.line("return version >= first")
        }
        extra(&b)
    }
}

/// An enum with one case per API holding its `suffix` body (`KafkaRequest`, `InternalRequest`…),
/// decoding by key and encoding by case.
func emitBodyEnum(_ enumName: String, keyType: String, suffix: String, apis: [SchemaSpec], into o: inout Lines) {
    o.line("/// Any \(suffix.lowercased()) body with a schema, tagged by API.")
    o.block("public enum \(enumName): Sendable, Equatable {") { b in
        for api in apis { b.line("case \(lowerFirst(api.name))(\(api.name)\(suffix))") }
        b.line()
        b.line("/// The API of the body.")
        emitPerApiSwitch("public var apiKey: \(keyType) {", apis: apis, into: &b) { api in
            "case .\(lowerFirst(api.name)): return .\(lowerFirst(api.name))"
        }
        b.line()
        b.line("/// Decodes the body of `apiKey` at `version`; a version outside the schema's range throws.")
        b.block("public init(apiKey: \(keyType), version: Int16, from reader: inout ByteReader) throws(WireError) {") { n in
            n.block("guard apiKey.validVersions.contains(version) else {") { g in
                g.line("throw .inconsistent(\"\\(apiKey.name) \(suffix.lowercased()) v\\(version) is outside versions \\(apiKey.validVersions)\")")
            }
            n.line("switch apiKey {")
            for api in apis {
                n.line("case .\(lowerFirst(api.name)): self = .\(lowerFirst(api.name))(try \(api.name)\(suffix)(from: &reader, version: version))")
            }
            n.line("}")
        }
        b.line()
        b.line("/// Encodes the body for `version`.")
        emitPerApiSwitch("public func encode(into writer: inout ByteWriter, version: Int16) {", apis: apis, into: &b) { api in
            "case .\(lowerFirst(api.name))(let body): body.encode(into: &writer, version: version)"
        }
    }
}

/// `sample(_:version:nulls:)` and `defaults(_:)` of a body enum, for the samples file.
func emitBodyEnumSamples(_ enumName: String, keyType: String, suffix: String, apis: [SchemaSpec], into samples: inout Lines) {
    samples.line()
    samples.block("extension \(enumName) {") { b in
        b.line("/// `sample(version:nulls:)` of the \(suffix.lowercased()) body of `apiKey`.")
        b.block("static func sample(_ apiKey: \(keyType), version: Int16, nulls: Bool = false) -> Self {") { n in
            n.line("switch apiKey {")
            for api in apis {
                let c = lowerFirst(api.name)
                n.line("case .\(c): return .\(c)(\(api.name)\(suffix).sample(version: version, nulls: nulls))")
            }
            n.line("}")
        }
        b.line()
        b.line("/// The \(suffix.lowercased()) body of `apiKey` with every field at its schema default.")
        b.block("static func defaults(_ apiKey: \(keyType)) -> Self {") { n in
            n.line("switch apiKey {")
            for api in apis {
                let c = lowerFirst(api.name)
                n.line("case .\(c): return .\(c)(\(api.name)\(suffix)())")
            }
            n.line("}")
        }
    }
}

/// The inter-node APIs' files, under `Internal/`.
func internalFiles(_ schemas: [SchemaSpec]) throws -> [(name: String, contents: String)] {
    var (files, samples) = try messageFiles(schemas, directory: "Internal/")
    let apis = schemas.sorted { $0.apiKey! < $1.apiKey! }
    emitBodyEnumSamples("InternalRequest", keyType: "InternalApiKey", suffix: "Request", apis: apis, into: &samples)
    files.append((name: "Internal/InternalSamples.swift", contents: samples.joined))
    files.append((name: "Internal/InternalApiKey.swift", contents: internalApiKeyFile(apis)))
    return files
}

func internalApiKeyFile(_ apis: [SchemaSpec]) -> String {
    var o = Lines()
    o.line(generatedHeader)
    o.line()
    o.line("/// A one-way inter-node message: a request body that is never answered.")
    o.block("public protocol InternalMessage: WireMessage {") { b in
        b.line("/// The API the message belongs to.")
        b.line("static var apiKey: InternalApiKey { get }")
        b.line("/// Versions the codec reads and writes.")
        b.line("static var validVersions: ClosedRange<Int16> { get }")
    }
    o.line()
    emitKeyEnum("InternalApiKey", doc: "The inter-node APIs that have a schema in proto/internal: spoken only between nodes, on the inter-node listener, and never answered.",
                apis: apis, into: &o) { b in
        b.line()
        b.line("/// The request header version for `version`: 2 when flexible, else 1 (as for Kafka's APIs).")
        b.block("public func requestHeaderVersion(_ version: Int16) -> Int16 {") { n in
            n.line("isFlexible(version) ? 2 : 1")
        }
    }
    o.line()
    emitBodyEnum("InternalRequest", keyType: "InternalApiKey", suffix: "Request", apis: apis, into: &o)
    return o.joined
}

func apiKeyFile(_ schemas: [SchemaSpec]) -> String {
    let apis = schemas.filter { !$0.isHeader }.sorted { $0.apiKey! < $1.apiKey! }
    var o = Lines()
    o.line(generatedHeader)
    o.line()
    o.line("/// A message the generated codecs read and write.")
    o.block("public protocol WireMessage: Sendable {") { b in
        b.line("/// Decodes the message as laid out in `version`.")
        b.line("init(from reader: inout ByteReader, version: Int16) throws(WireError)")
        b.line("/// Encodes the message as laid out in `version`.")
        b.line("func encode(into writer: inout ByteWriter, version: Int16)")
    }
    o.line()
    o.line("/// A request or response body of one API.")
    o.block("public protocol ApiMessage: WireMessage {") { b in
        b.line("/// The API the message belongs to.")
        b.line("static var apiKey: ApiKey { get }")
        b.line("/// Versions the codec reads and writes.")
        b.line("static var validVersions: ClosedRange<Int16> { get }")
    }
    o.line()
    emitKeyEnum("ApiKey", doc: "The APIs that have a schema in proto/kafka.", apis: apis, into: &o) { b in
        b.line()
        b.line("/// Every API with its valid and flexible versions, in key order.")
        b.line("public static let versionTable: [ApiVersionInfo] = allCases.map {")
        b.line("    ApiVersionInfo(apiKey: $0, validVersions: $0.validVersions, firstFlexibleVersion: $0.firstFlexibleVersion)")
        b.line("}")
    }
    o.line()
    o.line("/// One row of `ApiKey.versionTable`.")
    o.block("public struct ApiVersionInfo: Sendable, Equatable {") { b in
        b.line("/// The API.")
        b.line("public var apiKey: ApiKey")
        b.line("/// Versions the schema describes.")
        b.line("public var validVersions: ClosedRange<Int16>")
        b.line("/// First flexible version, nil when none is.")
        b.line("public var firstFlexibleVersion: Int16?")
        b.line()
        b.line("/// A row of the table.")
        b.block("public init(apiKey: ApiKey, validVersions: ClosedRange<Int16>, firstFlexibleVersion: Int16?) {") { i in
            i.line("self.apiKey = apiKey")
            i.line("self.validVersions = validVersions")
            i.line("self.firstFlexibleVersion = firstFlexibleVersion")
        }
    }
    o.line()
    o.line("/// The request header version for a request: 2 when the request version is flexible, else 1.")
    o.block("public func requestHeaderVersion(apiKey: ApiKey, version: Int16) -> Int16 {") { b in
        b.line("apiKey.isFlexible(version) ? 2 : 1")
    }
    o.line()
    o.line("/// As above for a raw key; nil when the key has no schema here.")
    o.block("public func requestHeaderVersion(apiKey: Int16, version: Int16) -> Int16? {") { b in
        b.line("ApiKey(rawValue: apiKey).map { requestHeaderVersion(apiKey: $0, version: version) }")
    }
    o.line()
    o.line("/// The response header version: 1 when the version is flexible, else 0; ApiVersions always")
    o.line("/// answers with header v0, even in its flexible versions, so a client can read the answer")
    o.line("/// before it knows which versions the broker speaks.")
    o.block("public func responseHeaderVersion(apiKey: ApiKey, version: Int16) -> Int16 {") { b in
        b.line("if apiKey == .apiVersions { return 0 }")
        b.line("return apiKey.isFlexible(version) ? 1 : 0")
    }
    o.line()
    o.line("/// As above for a raw key; nil when the key has no schema here.")
    o.block("public func responseHeaderVersion(apiKey: Int16, version: Int16) -> Int16? {") { b in
        b.line("ApiKey(rawValue: apiKey).map { responseHeaderVersion(apiKey: $0, version: version) }")
    }
    o.line()
    o.block("extension RequestHeader {") { b in
        b.line("/// Reads a request header without knowing its version: peeks at the API key and version,")
        b.line("/// picks header v2 for flexible versions and v1 otherwise (also for keys without a schema,")
        b.line("/// so the caller can still answer or close), then decodes. The client id keeps its int16")
        b.line("/// length in v2; the tagged-field section follows it.")
        b.block("public init(from reader: inout ByteReader) throws(WireError) {") { i in
            i.line("var peek = reader")
            i.line("let key = try peek.readInt16(\"RequestHeader.apiKey\")")
            i.line("let version = try peek.readInt16(\"RequestHeader.apiVersion\")")
            i.line("try self.init(from: &reader, version: requestHeaderVersion(apiKey: key, version: version) ?? 1)")
        }
    }
    for (suffix, enumName) in [("Request", "KafkaRequest"), ("Response", "KafkaResponse")] {
        o.line()
        emitBodyEnum(enumName, keyType: "ApiKey", suffix: suffix, apis: apis, into: &o)
    }
    return o.joined
}
