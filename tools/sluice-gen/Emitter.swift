// Turns checked schemas into Swift source. Everything here is deterministic: schemas are visited
// in file-name order and fields in schema order.

let generatedHeader = "// generated from proto/ — do not edit"

/// Accumulates indented lines.
struct Lines {
    private(set) var text: [String] = []
    private var depth = 0

    mutating func line(_ s: String = "") { text.append(s.isEmpty ? "" : String(repeating: "    ", count: depth) + s) }
    mutating func indent() { depth += 1 }
    mutating func outdent() { depth -= 1 }
    mutating func block(_ opener: String, closer: String = "}", _ body: (inout Lines) -> Void) {
        line(opener)
        indent()
        body(&self)
        outdent()
        line(closer)
    }
    mutating func append(_ other: Lines) {
        for l in other.text { line(l) }
    }
    var joined: String { text.joined(separator: "\n") + "\n" }
}

func escapeIdentifier(_ name: String) -> String { swiftKeywords.contains(name) ? "`\(name)`" : name }

func swiftStringLiteral(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out + "\""
}

func lowerFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }

/// Code for one schema file's messages.
struct MessageEmitter {
    let schema: SchemaSpec
    /// Counter giving each sample value something distinct.
    var sampleCounter = 0

    init(schema: SchemaSpec) { self.schema = schema }

    var flexible: VersionRange { schema.flexible }

    // MARK: Version conditions

    /// A Swift condition on `version` that is true exactly for `range` within `context`; nil when
    /// it is always true there.
    func condition(_ range: VersionRange, in context: VersionRange) -> String? {
        let r = range.intersection(context)
        precondition(!r.isEmpty, "condition for versions that never occur")
        if r.covers(context) { return nil }
        var parts: [String] = []
        let needLower = r.lower > context.lower
        let needUpper: Bool
        if let ru = r.upper { needUpper = context.upper.map { ru < $0 } ?? true } else { needUpper = false }
        if needLower && needUpper && r.lower == r.upper { return "version == \(r.lower)" }
        if needLower { parts.append("version >= \(r.lower)") }
        if needUpper, let ru = r.upper { parts.append("version <= \(ru)") }
        return parts.joined(separator: " && ")
    }

    /// `true`, `false` or a condition, for passing as a Bool argument.
    func boolExpr(_ range: VersionRange, in context: VersionRange) -> String {
        let r = range.intersection(context)
        if r.isEmpty { return "false" }
        return condition(r, in: context) ?? "true"
    }

    /// Whether versions in `context` are flexible: "true", "false" or "flexible" (a local the
    /// caller declares with `flexibleDeclaration`).
    func flexibleExpr(in context: VersionRange) -> String {
        let r = flexible.intersection(context)
        if r.isEmpty { return "false" }
        if r.covers(context) { return "true" }
        return "flexible"
    }

    var flexibleDeclaration: String { "let flexible = version >= \(flexible.lower)" }

    func mayBeFlexible(_ context: VersionRange) -> Bool { !flexible.intersection(context).isEmpty }

    // MARK: Types

    func swiftType(_ t: FieldType) -> String {
        switch t {
        case .primitive(let p):
            switch p {
            case .int8: return "Int8"
            case .int16: return "Int16"
            case .int32: return "Int32"
            case .int64: return "Int64"
            case .uint16: return "UInt16"
            case .float64: return "Double"
            case .bool: return "Bool"
            case .string: return "String"
            case .bytes: return "[UInt8]"
            case .records: return "Records"
            case .uuid: return "WireUUID"
            }
        case .structure(let s): return s.name
        case .array(let e): return "[\(swiftType(e))]"
        }
    }

    func isOptional(_ f: FieldSpec) -> Bool { !f.nullable.isEmpty }

    func propertyType(_ f: FieldSpec) -> String { swiftType(f.type) + (isOptional(f) ? "?" : "") }

    func defaultExpr(_ f: FieldSpec) -> String {
        if let d = f.defaultValue {
            switch d {
            case .null: return "nil"
            case .bool(let b): return b ? "true" : "false"
            case .int(let v): return "\(v)"
            case .double(let v): return "\(v)"
            case .string(let s): return swiftStringLiteral(s)
            }
        }
        switch f.type {
        case .primitive(let p):
            switch p {
            case .int8, .int16, .int32, .int64, .uint16: return "0"
            case .float64: return "0.0"
            case .bool: return "false"
            case .string: return "\"\""
            case .bytes: return "[]"
            case .records: return isOptional(f) ? "nil" : ".empty"
            case .uuid: return ".zero"
            }
        case .structure(let s): return "\(s.name)()"
        case .array: return "[]"
        }
    }

    /// The fewest bytes one value of `t` can take in any version of `context`.
    func minimumBytes(_ t: FieldType, in context: VersionRange) throws -> Int {
        let compactPossible = mayBeFlexible(context)
        switch t {
        case .primitive(let p):
            switch p {
            case .int8, .bool: return 1
            case .int16, .uint16: return 2
            case .int32: return 4
            case .int64, .float64: return 8
            case .uuid: return 16
            case .string: return compactPossible ? 1 : 2
            case .bytes, .records: return compactPossible ? 1 : 4
            }
        case .array: return compactPossible ? 1 : 4
        case .structure(let s): return try minimumBytes(of: s)
        }
    }

    func minimumBytes(of s: StructSpec) throws -> Int {
        var total = flexible.covers(s.context) ? 1 : 0
        for f in s.fields where f.tag == nil && f.versions.covers(s.context) {
            if case .structure = f.type, !f.nullable.isEmpty {
                total += 1  // a null struct is only its marker byte
            } else {
                total += try minimumBytes(f.type, in: f.versions)
            }
        }
        guard total >= 1 else {
            throw GenError.schema("\(s.name) can encode to zero bytes in some version, so an array count of it cannot be bounded")
        }
        return total
    }

    // MARK: Reading

    /// An expression reading one value of field `f` (or of its array element) from `reader`.
    func readExpr(_ f: FieldSpec, reader: String, compact: String, what: String) throws -> String {
        let nullable = boolExpr(f.nullable, in: f.versions)
        switch f.type {
        case .primitive(let p):
            return readPrimitive(p, reader: reader, compact: compact, nullable: nullable, optional: isOptional(f), what: what)
        case .structure(let s):
            let read = "try \(s.name)(from: &\(reader), version: version)"
            guard isOptional(f) else { return read }
            // Kafka's nullable struct: an int8 marker, -1 for null, 1 for a value that follows.
            let marked = "(try \(reader).readInt8(\(swiftStringLiteral(what))) < 0 ? nil : \(read))"
            return nullable == "true" ? marked : "(\(nullable) ? \(marked) : \(read))"
        case .array(let element):
            let minBytes = try minimumBytes(element, in: f.versions)
            let elementRead: String
            switch element {
            case .primitive(let p): elementRead = readPrimitive(p, reader: "r", compact: compact, nullable: "false", optional: false, what: what)
            case .structure(let s): elementRead = "try \(s.name)(from: &r, version: version)"
            case .array: throw GenError.schema("\(what): arrays of arrays are not supported")
            }
            if isOptional(f) {
                return "try \(reader).readNullableArray(compact: \(compact), nullable: \(nullable), minimumElementBytes: \(minBytes), \(swiftStringLiteral(what))) { r throws(WireError) in \(elementRead) }"
            }
            return "try \(reader).readArray(compact: \(compact), minimumElementBytes: \(minBytes), \(swiftStringLiteral(what))) { r throws(WireError) in \(elementRead) }"
        }
    }

    func readPrimitive(_ p: Primitive, reader: String, compact: String, nullable: String, optional: Bool, what: String) -> String {
        let w = swiftStringLiteral(what)
        switch p {
        case .int8: return "try \(reader).readInt8(\(w))"
        case .int16: return "try \(reader).readInt16(\(w))"
        case .int32: return "try \(reader).readInt32(\(w))"
        case .int64: return "try \(reader).readInt64(\(w))"
        case .uint16: return "try \(reader).readUInt16(\(w))"
        case .float64: return "try \(reader).readFloat64(\(w))"
        case .bool: return "try \(reader).readBool(\(w))"
        case .uuid: return "try \(reader).readWireUUID(\(w))"
        case .string:
            return optional
                ? "try \(reader).readNullableString(compact: \(compact), nullable: \(nullable), \(w))"
                : "try \(reader).readString(compact: \(compact), \(w))"
        case .bytes:
            return optional
                ? "try \(reader).readNullableBytes(compact: \(compact), nullable: \(nullable), \(w))"
                : "try \(reader).readBytes(compact: \(compact), \(w))"
        case .records:
            return optional
                ? "try \(reader).readRecords(compact: \(compact), nullable: \(nullable), \(w))"
                : "try \(reader).readRecords(compact: \(compact), nullable: false, \(w)) ?? .empty"
        }
    }

    // MARK: Writing

    /// Statements writing `value` (field `f`) to `writer`.
    func writeStatements(_ f: FieldSpec, value: String, writer: String, compact: String) -> [String] {
        let nullable = boolExpr(f.nullable, in: f.versions)
        switch f.type {
        case .primitive(let p):
            return [writePrimitive(p, value: value, writer: writer, compact: compact, nullable: nullable, optional: isOptional(f))]
        case .structure(let s):
            guard isOptional(f) else { return ["\(value).encode(into: &\(writer), version: version)"] }
            // A nil where the version does not allow null is written as the default struct.
            let marker = nullable == "true" ? "\(writer).writeInt8(1); " : "if \(nullable) { \(writer).writeInt8(1) }; "
            let absent = nullable == "true" ? "\(writer).writeInt8(-1)"
                : "if \(nullable) { \(writer).writeInt8(-1) } else { \(s.name)().encode(into: &\(writer), version: version) }"
            return ["if let value = \(value) { \(marker)value.encode(into: &\(writer), version: version) } else { \(absent) }"]
        case .array(let element):
            let elementWrite: String
            switch element {
            case .primitive(let p): elementWrite = writePrimitive(p, value: "item", writer: writer, compact: compact, nullable: "false", optional: false)
            case .structure: elementWrite = "item.encode(into: &\(writer), version: version)"
            case .array: preconditionFailure("rejected while reading")
            }
            if isOptional(f) {
                return ["\(writer).writeArrayCount(\(value)?.count, compact: \(compact), nullable: \(nullable))",
                        "for item in \(value) ?? [] { \(elementWrite) }"]
            }
            return ["\(writer).writeArrayCount(\(value).count, compact: \(compact), nullable: false)",
                    "for item in \(value) { \(elementWrite) }"]
        }
    }

    func writePrimitive(_ p: Primitive, value: String, writer: String, compact: String, nullable: String, optional: Bool) -> String {
        switch p {
        case .int8: return "\(writer).writeInt8(\(value))"
        case .int16: return "\(writer).writeInt16(\(value))"
        case .int32: return "\(writer).writeInt32(\(value))"
        case .int64: return "\(writer).writeInt64(\(value))"
        case .uint16: return "\(writer).writeUInt16(\(value))"
        case .float64: return "\(writer).writeFloat64(\(value))"
        case .bool: return "\(writer).writeBool(\(value))"
        case .uuid: return "\(writer).writeWireUUID(\(value))"
        case .string:
            return optional
                ? "\(writer).writeNullableString(\(value), compact: \(compact), nullable: \(nullable))"
                : "\(writer).writeString(\(value), compact: \(compact))"
        case .bytes:
            return optional
                ? "\(writer).writeNullableBytes(\(value), compact: \(compact), nullable: \(nullable))"
                : "\(writer).writeBytes(\(value), compact: \(compact))"
        case .records:
            return "\(writer).writeRecords(\(value), compact: \(compact), nullable: \(nullable))"
        }
    }

    // MARK: Structs

    func versionNote(_ f: FieldSpec, context: VersionRange) -> String {
        var notes: [String] = []
        if f.versions.covers(context) { notes.append("all versions") } else { notes.append("v\(f.versions)") }
        if !f.nullable.isEmpty { notes.append("nullable v\(f.nullable)") }
        if let tag = f.tag { notes.append("tag \(tag)") }
        return notes.joined(separator: "; ")
    }

    func emitStruct(_ s: StructSpec, message: MessageSpec?, into out: inout Lines) throws {
        let isRoot = message != nil
        out.line("/// \(s.doc)")
        if isRoot {
            if let key = schema.apiKey {
                out.line("///")
                out.line("/// API key \(key); versions \(schema.valid); flexible from \(schema.flexible.isEmpty ? "none" : "v\(schema.flexible.lower)").")
            } else {
                out.line("///")
                out.line("/// Versions \(schema.valid); flexible from \(schema.flexible.isEmpty ? "none" : "v\(schema.flexible.lower)").")
            }
        } else {
            out.line("/// Present in v\(s.context).")
        }
        let conformances = !isRoot || schema.apiKey == nil ? "WireMessage, Equatable"
            : schema.isInternal ? "InternalMessage, Equatable" : "ApiMessage, Equatable"
        try out.blockThrowing("public struct \(s.name): \(conformances) {") { body in
            if isRoot {
                if schema.apiKey != nil {
                    body.line("/// The API this message belongs to.")
                    body.line("public static let apiKey: \(schema.isInternal ? "InternalApiKey" : "ApiKey") = .\(lowerFirst(schema.name))")
                }
                body.line("/// Versions this codec reads and writes.")
                body.line("public static let validVersions: ClosedRange<Int16> = \(schema.valid.lower)...\(schema.valid.upper!)")
                body.line("/// First version using compact lengths and tagged fields; nil when none does.")
                body.line("public static let firstFlexibleVersion: Int16? = \(schema.flexible.isEmpty ? "nil" : "\(schema.flexible.lower)")")
                body.line()
            }
            for f in s.fields {
                body.line("/// \(f.doc) (\(versionNote(f, context: s.context)))")
                body.line("public var \(escapeIdentifier(f.name)): \(propertyType(f))")
            }
            body.line()
            emitInit(s, into: &body)
            body.line()
            try emitDecode(s, into: &body)
            body.line()
            emitEncode(s, into: &body)
            for f in s.fields {
                var nested: StructSpec?
                switch f.type {
                case .structure(let n): nested = n
                case .array(.structure(let n)): nested = n
                default: nested = nil
                }
                if let nested {
                    body.line()
                    try emitStruct(nested, message: nil, into: &body)
                }
            }
        }
    }

    func emitInit(_ s: StructSpec, into out: inout Lines) {
        out.line("/// A value with every field given or left at its schema default.")
        if s.fields.isEmpty {
            out.line("public init() {}")
            return
        }
        out.line("public init(")
        out.indent()
        for (i, f) in s.fields.enumerated() {
            let comma = i == s.fields.count - 1 ? "" : ","
            out.line("\(escapeIdentifier(f.name)): \(propertyType(f)) = \(defaultExpr(f))\(comma)")
        }
        out.outdent()
        out.block(") {") { b in
            for f in s.fields { b.line("self.\(f.name) = \(escapeIdentifier(f.name))") }
        }
    }

    func whatName(_ s: StructSpec, _ f: FieldSpec) -> String { "\(s.path).\(f.name)" }

    func emitDecode(_ s: StructSpec, into out: inout Lines) throws {
        let ctx = s.context
        let flex = flexibleExpr(in: ctx)
        var body = Lines()
        body.line("self.init()")
        if flex == "flexible" { body.line(flexibleDeclaration) }
        for f in s.fields where f.tag == nil {
            let compact = f.legacyEncoding ? "false" : flex
            let read = try readExpr(f, reader: "reader", compact: compact, what: whatName(s, f))
            if let cond = condition(f.versions, in: ctx) {
                body.block("if \(cond) {") { b in b.line("self.\(f.name) = \(read)") }
            } else {
                body.line("self.\(f.name) = \(read)")
            }
        }
        if flex != "false" {
            let tagged = s.fields.filter { $0.tag != nil }
            var section = Lines()
            let what = swiftStringLiteral("\(s.path) tagged fields")
            if tagged.isEmpty {
                section.line("try reader.readTaggedFields(\(what))")
            } else {
                try section.blockThrowing("try reader.readTaggedFields(\(what)) { tag, field throws(WireError) in") { t in
                    t.line("switch tag {")
                    for f in tagged.sorted(by: { $0.tag! < $1.tag! }) {
                        let guardClause = condition(f.tagged, in: ctx.intersection(flexible)).map { " where \($0)" } ?? ""
                        t.line("case \(f.tag!)\(guardClause):")
                        t.indent()
                        t.line("self.\(f.name) = \(try readExpr(f, reader: "field", compact: "true", what: whatName(s, f)))")
                        t.outdent()
                    }
                    t.line("default:")
                    t.indent()
                    t.line("break")
                    t.outdent()
                    t.line("}")
                }
            }
            if flex == "flexible" {
                body.block("if flexible {") { b in b.append(section) }
            } else {
                body.append(section)
            }
        }
        out.line("/// Decodes the \(s.name) of `version`; fields absent in that version keep their defaults.")
        out.block("public init(from reader: inout ByteReader, version: Int16) throws(WireError) {") { b in b.append(body) }
    }

    func emitEncode(_ s: StructSpec, into out: inout Lines) {
        let ctx = s.context
        let flex = flexibleExpr(in: ctx)
        var body = Lines()
        if flex == "flexible" { body.line(flexibleDeclaration) }
        for f in s.fields where f.tag == nil {
            let compact = f.legacyEncoding ? "false" : flex
            let statements = writeStatements(f, value: "self.\(f.name)", writer: "writer", compact: compact)
            if let cond = condition(f.versions, in: ctx) {
                body.block("if \(cond) {") { b in for st in statements { b.line(st) } }
            } else {
                for st in statements { body.line(st) }
            }
        }
        if flex != "false" {
            let tagged = s.fields.filter { $0.tag != nil }.sorted { $0.tag! < $1.tag! }
            var section = Lines()
            if tagged.isEmpty {
                section.line("writer.writeEmptyTaggedFields()")
            } else {
                func present(_ f: FieldSpec) -> String {
                    let differs = "self.\(f.name) != \(defaultExpr(f))"
                    guard let cond = condition(f.tagged, in: ctx.intersection(flexible)) else { return differs }
                    return "\(cond) && \(differs)"
                }
                section.line("var taggedCount: UInt32 = 0")
                for f in tagged { section.line("if \(present(f)) { taggedCount += 1 }") }
                section.line("writer.writeUnsignedVarint(taggedCount)")
                for f in tagged {
                    section.block("if \(present(f)) {") { b in
                        b.line("var tagged = ByteWriter()")
                        for st in writeStatements(f, value: "self.\(f.name)", writer: "tagged", compact: "true") { b.line(st) }
                        b.line("writer.writeUnsignedVarint(\(f.tag!))")
                        b.line("writer.writeUnsignedVarint(UInt32(tagged.count))")
                        b.line("writer.writeRaw(tagged.bytes)")
                    }
                }
            }
            if flex == "flexible" {
                body.block("if flexible {") { b in b.append(section) }
            } else {
                body.append(section)
            }
        }
        out.line("/// Encodes for `version`, skipping fields that version does not have.")
        out.block("public func encode(into writer: inout ByteWriter, version: Int16) {") { b in b.append(body) }
    }

    // MARK: Samples (test and fuzz-seed values)

    mutating func sampleValue(_ f: FieldSpec) -> String {
        sampleCounter += 1
        let k = sampleCounter
        func primitive(_ p: Primitive, name: String) -> String {
            switch p {
            case .int8: return "\(10 + k % 100)"
            case .int16: return "\(100 + k % 1000)"
            case .int32: return "\(1000 + k)"
            case .int64: return "\(1_000_000_000_000 + k)"
            case .uint16: return "\(200 + k % 1000)"
            case .float64: return "\(k).5"
            case .bool:
                if case .bool(let b)? = f.defaultValue { return b ? "false" : "true" }
                return "true"
            case .string: return swiftStringLiteral("\(name)-\(k)-é")
            case .bytes: return "[\(k % 256), 0, 255]"
            case .records: return ".bytes([0, 1, 2, \(k % 256)])"
            case .uuid: return "WireUUID(high: \(k), low: 0x0123_4567_89ab_cdef)"
            }
        }
        switch f.type {
        case .primitive(let p): return primitive(p, name: f.name)
        case .structure(let s): return "\(s.name).sample(version: version, nulls: nulls)"
        case .array(.structure(let s)):
            return "[\(s.name).sample(version: version, nulls: nulls), \(s.name).sample(version: version, nulls: nulls)]"
        case .array(.primitive(let p)):
            return "[\(primitive(p, name: "a")), \(primitive(p, name: "b"))]"
        case .array(.array): preconditionFailure("rejected while reading")
        }
    }

    mutating func emitSamples(_ s: StructSpec, path: String, into out: inout Lines) {
        out.block("extension \(path) {") { b in
            b.line("/// A value with every field of `version` set to something other than its default; with")
            b.line("/// `nulls`, fields nullable in that version are nil instead.")
            b.block("static func sample(version: Int16, nulls: Bool = false) -> Self {") { body in
                body.line("var value = Self()")
                for f in s.fields {
                    var value = sampleValue(f)
                    if !f.nullable.isEmpty {
                        if let nc = condition(f.nullable, in: f.versions) {
                            value = "nulls && \(nc) ? nil : \(value)"
                        } else {
                            value = "nulls ? nil : \(value)"
                        }
                    }
                    if let cond = condition(f.versions, in: s.context) {
                        body.line("if \(cond) { value.\(f.name) = \(value) }")
                    } else {
                        body.line("value.\(f.name) = \(value)")
                    }
                }
                body.line("return value")
            }
        }
        for f in s.fields {
            switch f.type {
            case .structure(let n), .array(.structure(let n)):
                out.line()
                emitSamples(n, path: "\(path).\(n.name)", into: &out)
            default: break
            }
        }
    }
}

extension Lines {
    mutating func blockThrowing(_ opener: String, closer: String = "}", _ body: (inout Lines) throws -> Void) throws {
        line(opener)
        indent()
        try body(&self)
        outdent()
        line(closer)
    }
}

// MARK: - Files

/// Every generated file, path under OUT_DIR → contents. Kafka APIs go at the top level; the
/// internal (inter-node) APIs under `Internal/`, with their own key enum and samples, so the
/// Kafka enums only ever list what a Kafka client may send.
func generateFiles(_ schemas: [SchemaSpec]) throws -> [(name: String, contents: String)] {
    let kafka = schemas.filter { !$0.isInternal }
    let interNode = schemas.filter(\.isInternal)
    var files = try kafkaFiles(kafka)
    if !interNode.isEmpty { files += try internalFiles(interNode) }
    return files.sorted { $0.name < $1.name }
}

/// One Swift file per schema, in `directory` (empty or ending in "/"), plus the schemas' samples.
func messageFiles(_ schemas: [SchemaSpec], directory: String) throws -> (files: [(name: String, contents: String)], samples: Lines) {
    var files: [(name: String, contents: String)] = []
    var samples = Lines()
    samples.line(generatedHeader)
    samples.line()
    samples.line("// Sample values for every generated message, used by the codec tests (and usable as fuzz seeds).")
    samples.line("// They live with the tests, not in the library.")
    samples.line()
    samples.line("@testable import SluiceWire")
    for schema in schemas {
        var emitter = MessageEmitter(schema: schema)
        var out = Lines()
        out.line(generatedHeader)
        out.line("// Source: proto/\(schema.folder)/\(schema.name).json")
        for message in schema.messages {
            out.line()
            try emitter.emitStruct(message.root, message: message, into: &out)
        }
        files.append((name: "\(directory)\(schema.name).swift", contents: out.joined))
        for message in schema.messages {
            samples.line()
            emitter.emitSamples(message.root, path: message.typeName, into: &samples)
        }
    }
    return (files, samples)
}

/// The Kafka APIs' files, `Samples.swift` and `ApiKey.swift`.
func kafkaFiles(_ schemas: [SchemaSpec]) throws -> [(name: String, contents: String)] {
    var (files, samples) = try messageFiles(schemas, directory: "")
    let apis = schemas.filter { !$0.isHeader }.sorted { $0.apiKey! < $1.apiKey! }
    for (suffix, enumName) in [("Request", "KafkaRequest"), ("Response", "KafkaResponse")] {
        emitBodyEnumSamples(enumName, keyType: "ApiKey", suffix: suffix, apis: apis, into: &samples)
    }
    files.append((name: "Samples.swift", contents: samples.joined))
    files.append((name: "ApiKey.swift", contents: apiKeyFile(schemas)))
    return files
}
