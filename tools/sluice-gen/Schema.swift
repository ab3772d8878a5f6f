import Foundation

// The schema format of proto/kafka/*.json and proto/internal/*.json (described in proto/README.md),
// decoded and checked.

/// A set of versions written "3+", "1-4", "5" or "none". `upper == nil` means open-ended.
struct VersionRange: Equatable, CustomStringConvertible {
    var lower: Int
    var upper: Int?

    static let none = VersionRange(lower: 1, upper: 0)

    var isEmpty: Bool { if let upper { return upper < lower } else { return false } }

    init(lower: Int, upper: Int?) {
        self.lower = lower
        self.upper = upper
    }

    init(parsing text: String, what: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "none" {
            self = .none
        } else if t.hasSuffix("+"), let low = Int(t.dropLast()) {
            self.init(lower: low, upper: nil)
        } else if let dash = t.firstIndex(of: "-"), let low = Int(t[..<dash]), let high = Int(t[t.index(after: dash)...]) {
            guard low <= high else { throw GenError.schema("\(what): empty range \"\(text)\"") }
            self.init(lower: low, upper: high)
        } else if let single = Int(t) {
            self.init(lower: single, upper: single)
        } else {
            throw GenError.schema("\(what): cannot read version range \"\(text)\"")
        }
        guard lower >= 0, lower <= Int(Int16.max) else { throw GenError.schema("\(what): version out of range in \"\(text)\"") }
    }

    func contains(_ v: Int) -> Bool { v >= lower && (upper.map { v <= $0 } ?? true) }

    func intersection(_ other: VersionRange) -> VersionRange {
        if isEmpty || other.isEmpty { return .none }
        let low = max(lower, other.lower)
        let high: Int?
        switch (upper, other.upper) {
        case let (a?, b?): high = min(a, b)
        case let (a?, nil): high = a
        case let (nil, b?): high = b
        case (nil, nil): high = nil
        }
        return VersionRange(lower: low, upper: high)
    }

    /// Whether every version of `other` is in self.
    func covers(_ other: VersionRange) -> Bool {
        if other.isEmpty { return true }
        if isEmpty { return false }
        guard other.lower >= lower else { return false }
        guard let upper else { return true }
        guard let otherUpper = other.upper else { return false }
        return otherUpper <= upper
    }

    var description: String {
        if isEmpty { return "none" }
        guard let upper else { return "\(lower)+" }
        return upper == lower ? "\(lower)" : "\(lower)-\(upper)"
    }
}

enum GenError: Error, CustomStringConvertible {
    case schema(String)
    case usage(String)
    var description: String {
        switch self {
        case .schema(let s): return "schema error: \(s)"
        case .usage(let s): return s
        }
    }
}

/// A default value as written in JSON.
enum DefaultValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
}

/// One field as written in a schema file.
struct RawField: Decodable {
    var name: String
    var type: String
    var versions: String
    var nullableVersions: String?
    var tag: Int?
    var taggedVersions: String?
    var legacyEncoding: Bool?
    var defaultValue: DefaultValue?
    var doc: String
    var fields: [RawField]?

    enum CodingKeys: String, CodingKey {
        case name, type, versions, nullableVersions, tag, taggedVersions, legacyEncoding, doc, fields
        case defaultValue = "default"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(String.self, forKey: .type)
        versions = try c.decode(String.self, forKey: .versions)
        nullableVersions = try c.decodeIfPresent(String.self, forKey: .nullableVersions)
        tag = try c.decodeIfPresent(Int.self, forKey: .tag)
        taggedVersions = try c.decodeIfPresent(String.self, forKey: .taggedVersions)
        legacyEncoding = try c.decodeIfPresent(Bool.self, forKey: .legacyEncoding)
        doc = try c.decode(String.self, forKey: .doc)
        fields = try c.decodeIfPresent([RawField].self, forKey: .fields)
        if c.contains(.defaultValue) {
            if try c.decodeNil(forKey: .defaultValue) {
                defaultValue = .null
            } else if let b = try? c.decode(Bool.self, forKey: .defaultValue) {
                defaultValue = .bool(b)
            } else if let i = try? c.decode(Int64.self, forKey: .defaultValue) {
                defaultValue = .int(i)
            } else if let d = try? c.decode(Double.self, forKey: .defaultValue) {
                defaultValue = .double(d)
            } else {
                defaultValue = .string(try c.decode(String.self, forKey: .defaultValue))
            }
        } else {
            defaultValue = nil
        }
    }
}

/// One schema file: an API (request + response) or a header.
struct RawSchema: Decodable {
    var name: String
    var apiKey: Int?
    var validVersions: String
    var flexibleVersions: String
    var doc: String
    var request: [RawField]?
    var response: [RawField]?
    var header: [RawField]?
}

// MARK: - Checked model

enum Primitive: String, CaseIterable {
    case int8, int16, int32, int64, uint16, float64, bool, string, bytes, records, uuid
}

indirect enum FieldType {
    case primitive(Primitive)
    case structure(StructSpec)
    case array(FieldType)

    var isArray: Bool { if case .array = self { return true } else { return false } }
}

struct FieldSpec {
    var name: String          // Swift property name
    var type: FieldType
    var versions: VersionRange
    var nullable: VersionRange
    var tag: Int?
    var tagged: VersionRange
    var legacyEncoding: Bool
    var defaultValue: DefaultValue?
    var doc: String
}

final class StructSpec {
    let name: String          // Swift type name, nested in its parent
    let path: String          // full Swift path, e.g. MetadataResponse.Topic.Partition
    let doc: String
    /// Versions in which this struct can appear at all.
    let context: VersionRange
    var fields: [FieldSpec] = []
    init(name: String, path: String, doc: String, context: VersionRange) {
        self.name = name
        self.path = path
        self.doc = doc
        self.context = context
    }
}

struct MessageSpec {
    var typeName: String       // e.g. MetadataRequest
    var root: StructSpec
}

struct SchemaSpec {
    var name: String
    var apiKey: Int?
    var valid: VersionRange
    var flexible: VersionRange
    var doc: String
    var messages: [MessageSpec]
    /// From proto/internal: a one-way inter-node API (request only, key ≥ `internalApiKeyMin`).
    var isInternal: Bool
    var isHeader: Bool { apiKey == nil }
    /// The schema's folder under proto/, for the generated file's "Source:" line.
    var folder: String { isInternal ? "internal" : "kafka" }
}

/// Internal (inter-node) API keys start here, far above Kafka's, so a frame sent to the wrong
/// listener is never mistaken for a Kafka request.
let internalApiKeyMin = 1000

let swiftKeywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
    "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
    "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type", "Protocol",
]

/// Names a generated struct must not take: they would shadow types the generated code uses.
let reservedTypeNames: Set<String> = [
    "Records", "ByteReader", "ByteWriter", "WireError", "WireUUID", "String", "Int8", "Int16", "Int32", "Int64",
    "UInt16", "UInt32", "Double", "Bool", "Array", "Optional", "Result", "Error", "ApiKey", "Type", "Protocol", "Self",
]

func isIdentifier(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
    return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" } && s.allSatisfy(\.isASCII)
}

func checkSchema(_ raw: RawSchema, file: String, isInternal: Bool) throws -> SchemaSpec {
    let valid = try VersionRange(parsing: raw.validVersions, what: "\(file) validVersions")
    guard let validUpper = valid.upper, !valid.isEmpty else {
        throw GenError.schema("\(file): validVersions must be a closed range such as 0-12")
    }
    _ = validUpper
    let flexible = try VersionRange(parsing: raw.flexibleVersions, what: "\(file) flexibleVersions")
    guard flexible.isEmpty || flexible.upper == nil else {
        throw GenError.schema("\(file): flexibleVersions must be \"N+\" or \"none\"")
    }
    guard isIdentifier(raw.name), raw.name.first!.isUppercase else { throw GenError.schema("\(file): bad name \(raw.name)") }
    guard !raw.doc.isEmpty else { throw GenError.schema("\(file): missing doc") }

    var messages: [MessageSpec] = []
    if isInternal {
        // One-way: nothing ever answers an inter-node message, so there is no response schema.
        guard let key = raw.apiKey, let request = raw.request, raw.response == nil, raw.header == nil else {
            throw GenError.schema("\(file): an internal schema has \"apiKey\" and \"request\" only (no response: it is one-way)")
        }
        guard (internalApiKeyMin...Int(Int16.max)).contains(key) else {
            throw GenError.schema("\(file): internal api keys run from \(internalApiKeyMin)")
        }
        let typeName = raw.name + "Request"
        let root = StructSpec(name: typeName, path: typeName, doc: raw.doc, context: valid)
        root.fields = try checkFields(request, in: root, flexible: flexible, path: typeName)
        messages.append(MessageSpec(typeName: typeName, root: root))
    } else if raw.apiKey != nil {
        guard let request = raw.request, let response = raw.response, raw.header == nil else {
            throw GenError.schema("\(file): an API schema has \"request\" and \"response\" and no \"header\"")
        }
        guard (0..<internalApiKeyMin).contains(raw.apiKey!) else { throw GenError.schema("\(file): Kafka api keys run below \(internalApiKeyMin)") }
        for (suffix, fields) in [("Request", request), ("Response", response)] {
            let typeName = raw.name + suffix
            let root = StructSpec(name: typeName, path: typeName, doc: raw.doc, context: valid)
            root.fields = try checkFields(fields, in: root, flexible: flexible, path: typeName)
            messages.append(MessageSpec(typeName: typeName, root: root))
        }
    } else {
        guard let header = raw.header, raw.request == nil, raw.response == nil else {
            throw GenError.schema("\(file): a header schema has \"header\" only (and no apiKey)")
        }
        let root = StructSpec(name: raw.name, path: raw.name, doc: raw.doc, context: valid)
        root.fields = try checkFields(header, in: root, flexible: flexible, path: raw.name)
        messages.append(MessageSpec(typeName: raw.name, root: root))
    }
    return SchemaSpec(name: raw.name, apiKey: raw.apiKey, valid: valid, flexible: flexible, doc: raw.doc, messages: messages,
                      isInternal: isInternal)
}

private func checkFields(_ raws: [RawField], in parent: StructSpec, flexible: VersionRange, path: String) throws -> [FieldSpec] {
    var names = Set<String>()
    var tags = Set<Int>()
    var nestedNames = Set<String>()
    var out: [FieldSpec] = []
    for raw in raws {
        let what = "\(path).\(raw.name)"
        guard isIdentifier(raw.name), raw.name.first!.isLowercase else { throw GenError.schema("\(what): field names are lowerCamel identifiers") }
        guard names.insert(raw.name).inserted else { throw GenError.schema("\(what): duplicate field name") }
        guard !raw.doc.isEmpty else { throw GenError.schema("\(what): missing doc") }
        let versions = try VersionRange(parsing: raw.versions, what: "\(what) versions")
        let present = versions.intersection(parent.context)
        guard !present.isEmpty, versions.lower >= parent.context.lower else {
            throw GenError.schema("\(what): versions \(versions) fall outside \(parent.context)")
        }
        let nullable = try raw.nullableVersions.map { try VersionRange(parsing: $0, what: "\(what) nullableVersions") } ?? .none
        guard versions.covers(nullable) else { throw GenError.schema("\(what): nullableVersions \(nullable) outside versions \(versions)") }
        let tagged = try raw.taggedVersions.map { try VersionRange(parsing: $0, what: "\(what) taggedVersions") } ?? .none
        if let tag = raw.tag {
            guard tag >= 0, tag <= Int(Int32.max) else { throw GenError.schema("\(what): bad tag") }
            guard tags.insert(tag).inserted else { throw GenError.schema("\(what): duplicate tag \(tag)") }
            guard !tagged.isEmpty, tagged == versions else {
                throw GenError.schema("\(what): taggedVersions must equal versions (a field is tagged in all its versions or none)")
            }
            guard flexible.covers(tagged) else { throw GenError.schema("\(what): tagged in a non-flexible version") }
        } else if !tagged.isEmpty {
            throw GenError.schema("\(what): taggedVersions without tag")
        }

        var isArray = false
        var base = raw.type
        if base.hasPrefix("[") && base.hasSuffix("]") {
            isArray = true
            base = String(base.dropFirst().dropLast())
        }
        let elementType: FieldType
        if let prim = Primitive(rawValue: base) {
            guard raw.fields == nil else { throw GenError.schema("\(what): a \(base) field has no \"fields\"") }
            if isArray && [.records, .bytes].contains(prim) { throw GenError.schema("\(what): arrays of \(base) are not supported") }
            elementType = .primitive(prim)
        } else {
            guard isIdentifier(base), base.first!.isUppercase, !reservedTypeNames.contains(base) else {
                throw GenError.schema("\(what): unknown type \(raw.type) (struct names are UpperCamel and not \(reservedTypeNames.sorted()))")
            }
            guard let subFields = raw.fields, !subFields.isEmpty else { throw GenError.schema("\(what): struct \(base) needs \"fields\"") }
            guard nestedNames.insert(base).inserted, base != parent.name else {
                throw GenError.schema("\(what): struct name \(base) used twice in \(parent.name)")
            }
            let spec = StructSpec(name: base, path: "\(path).\(base)", doc: raw.doc, context: present)
            spec.fields = try checkFields(subFields, in: spec, flexible: flexible, path: "\(path).\(base)")
            elementType = .structure(spec)
        }
        let type: FieldType = isArray ? .array(elementType) : elementType

        if !nullable.isEmpty {
            switch type {
            case .array, .structure, .primitive(.string), .primitive(.bytes), .primitive(.records): break
            default: throw GenError.schema("\(what): only strings, bytes, records, structs and arrays can be nullable")
            }
        }
        if case .primitive(.records) = type, raw.tag != nil { throw GenError.schema("\(what): records cannot be tagged") }
        if raw.legacyEncoding == true, case .primitive(.string) = type {} else if raw.legacyEncoding == true {
            throw GenError.schema("\(what): legacyEncoding applies to strings only")
        }
        if let d = raw.defaultValue {
            try checkDefault(d, type: type, nullable: !nullable.isEmpty, what: what)
        }
        out.append(FieldSpec(name: raw.name, type: type, versions: present, nullable: nullable.intersection(present),
                             tag: raw.tag, tagged: tagged.intersection(present), legacyEncoding: raw.legacyEncoding ?? false,
                             defaultValue: raw.defaultValue, doc: raw.doc))
    }
    return out
}

private func checkDefault(_ d: DefaultValue, type: FieldType, nullable: Bool, what: String) throws {
    switch (d, type) {
    case (.null, _):
        guard nullable else { throw GenError.schema("\(what): default null on a field that is never nullable") }
    case (.bool, .primitive(.bool)): break
    case (.string, .primitive(.string)): break
    case (.double, .primitive(.float64)), (.int, .primitive(.float64)): break
    case (.int(let v), .primitive(let p)):
        let ok: Bool
        switch p {
        case .int8: ok = Int8(exactly: v) != nil
        case .int16: ok = Int16(exactly: v) != nil
        case .int32: ok = Int32(exactly: v) != nil
        case .int64: ok = true
        case .uint16: ok = UInt16(exactly: v) != nil
        default: ok = false
        }
        guard ok else { throw GenError.schema("\(what): default \(v) does not fit \(p)") }
    default:
        throw GenError.schema("\(what): default \(d) does not suit the field's type")
    }
}

/// Every schema in `directory` (a folder of proto/), in file-name order. `keys` collects API keys
/// across folders so no key is used twice anywhere.
func loadSchemas(directory: URL, isInternal: Bool, keys: inout Set<Int>) throws -> [SchemaSpec] {
    let fm = FileManager.default
    let names = try fm.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    guard !names.isEmpty else { throw GenError.usage("no *.json schemas in \(directory.path)") }
    var out: [SchemaSpec] = []
    for name in names {
        let url = directory.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        let raw: RawSchema
        do {
            raw = try JSONDecoder().decode(RawSchema.self, from: data)
        } catch {
            throw GenError.schema("\(name): \(error)")
        }
        guard raw.name + ".json" == name else { throw GenError.schema("\(name): file name must be <name>.json") }
        let spec = try checkSchema(raw, file: name, isInternal: isInternal)
        if let key = spec.apiKey, !keys.insert(key).inserted { throw GenError.schema("\(name): api key \(key) used twice") }
        out.append(spec)
    }
    return out
}
