/// A consumed record as the command line shows it; the executable fills it from the client's record.
public struct RecordView: Sendable, Equatable {
    /// Topic.
    public var topic: String
    /// Partition.
    public var partition: Int32
    /// Offset.
    public var offset: Int64
    /// Timestamp, ms since the epoch.
    public var timestamp: Int64
    /// Key; nil is null.
    public var key: [UInt8]?
    /// Value; nil is a tombstone.
    public var value: [UInt8]?
    /// Headers in order: key, value (nil is null).
    public var headers: [(key: String, value: [UInt8]?)]

    /// A record from its parts.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?,
                headers: [(key: String, value: [UInt8]?)] = []) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The last value of header `key`, as text.
    public func header(_ key: String) -> String? {
        headers.last { $0.key == key }.flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// One JSON object: `topic`, `partition`, `offset`, `timestamp`, `key`, `value`, `headers`
    /// (an array of `{"key", "value"}`, since keys may repeat). Keys and values are UTF-8 text
    /// (invalid bytes become U+FFFD); null stays null.
    public var json: JSON {
        .object([
            ("topic", .string(topic)), ("partition", .int(Int64(partition))), ("offset", .int(offset)),
            ("timestamp", .int(timestamp)), ("key", .optional(key.map(Self.text))), ("value", .optional(value.map(Self.text))),
            ("headers", .array(headers.map { .object([("key", .string($0.key)), ("value", .optional($0.value.map(Self.text)))]) })),
        ])
    }

    /// Bytes as UTF-8 text; invalid sequences become U+FFFD.
    public static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Equal when every field is (headers are tuples, which cannot be `Equatable` themselves).
    public static func == (lhs: RecordView, rhs: RecordView) -> Bool {
        lhs.json == rhs.json
    }
}

/// kcat's `-f` format: `%t` topic, `%p` partition, `%o` offset, `%T` timestamp (ms), `%k` key,
/// `%K` key length, `%s` value, `%S` value length (-1 for null), `%h` headers (`k=v,k=v`), `%%`;
/// escapes `\n`, `\r`, `\t`, `\\`. Keys and values are written as their raw bytes.
public struct RecordFormat: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal([UInt8])
        case topic, partition, offset, timestamp, key, keyLength, value, valueLength, headers
    }

    let pieces: [Piece]

    /// The default: the value and a newline, as kcat prints.
    public static let valueOnly = RecordFormat(pieces: [.value, .literal([UInt8(ascii: "\n")])])

    /// Parses a format string.
    public static func parse(_ format: String) throws(UsageError) -> RecordFormat {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var characters = Substring(format).makeIterator()
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = []
        }
        while let character = characters.next() {
            switch character {
            case "%":
                let directive = characters.next()
                let piece: Piece?
                switch directive {
                case "t": piece = .topic
                case "p": piece = .partition
                case "o": piece = .offset
                case "T": piece = .timestamp
                case "k": piece = .key
                case "K": piece = .keyLength
                case "s": piece = .value
                case "S": piece = .valueLength
                case "h": piece = .headers
                case "%": piece = nil; literal.append(UInt8(ascii: "%"))
                default:
                    throw UsageError("unknown format directive '%\(directive.map(String.init) ?? "")' in '\(format)'",
                                     fix: "use %t topic, %p partition, %o offset, %T timestamp, %k key, %K key length, %s value, %S value length, %h headers, %% a percent sign")
                }
                if let piece {
                    flush()
                    pieces.append(piece)
                }
            case "\\":
                switch characters.next() {
                case "n": literal.append(UInt8(ascii: "\n"))
                case "r": literal.append(UInt8(ascii: "\r"))
                case "t": literal.append(UInt8(ascii: "\t"))
                case "\\": literal.append(UInt8(ascii: "\\"))
                case let other?: literal += Array("\\\(other)".utf8)
                case nil: literal.append(UInt8(ascii: "\\"))
                }
            default:
                literal += Array(String(character).utf8)
            }
        }
        flush()
        return RecordFormat(pieces: pieces)
    }

    /// The record formatted, as bytes.
    public func render(_ record: RecordView) -> [UInt8] {
        var out: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out += bytes
            case .topic: out += Array(record.topic.utf8)
            case .partition: out += Array(String(record.partition).utf8)
            case .offset: out += Array(String(record.offset).utf8)
            case .timestamp: out += Array(String(record.timestamp).utf8)
            case .key: out += record.key ?? []
            case .keyLength: out += Array(String(record.key?.count ?? -1).utf8)
            case .value: out += record.value ?? []
            case .valueLength: out += Array(String(record.value?.count ?? -1).utf8)
            case .headers:
                let rendered = record.headers.map { Array($0.key.utf8) + [UInt8(ascii: "=")] + ($0.value ?? []) }
                out += Array(rendered.joined(separator: [UInt8(ascii: ",")]))
            }
        }
        return out
    }
}
