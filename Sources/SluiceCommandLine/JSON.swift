/// A JSON value that keeps the order of object members, so `--json` output is stable from run to
/// run and field order can be documented. Field names are a compatibility surface: add, never rename.
public indirect enum JSON: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int64)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object whose members keep the order given.
    case object([(String, JSON)])

    /// A string, or null for nil.
    public static func optional(_ text: String?) -> JSON { text.map(JSON.string) ?? .null }

    /// A number, or null for nil.
    public static func optional(_ number: Int64?) -> JSON { number.map(JSON.int) ?? .null }

    /// Compact text on one line (no spaces), as JSON Lines wants it.
    public func rendered() -> String {
        String(decoding: renderedBytes(), as: UTF8.self)
    }

    /// `rendered()` as UTF-8 bytes, built without intermediate strings: `consume --json` renders
    /// one document per record.
    public func renderedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Self.nullBytes
        case .bool(let value): out += value ? Self.trueBytes : Self.falseBytes
        case .int(let value): out += String(value).utf8
        case .string(let value): JSON.writeString(value, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let nullBytes = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A string literal. A Swift string is valid UTF-8, so bytes from 0x80 up are copied as they are;
    /// only `"`, `\` and control characters need escapes.
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7F:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Equal when they render to the same text (member order counts, as it does in the output).
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        lhs.rendered() == rhs.rendered()
    }
}
