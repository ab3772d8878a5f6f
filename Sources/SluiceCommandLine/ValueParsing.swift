/// Small parsers for option values, each throwing a `UsageError` that names the option.
public enum ValueParsing {
    /// `KEY=VALUE` (the value may itself contain `=`; it may be empty).
    public static func keyValue(_ text: String, option: String) throws(UsageError) -> (key: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw UsageError("\(option) takes KEY=VALUE, not '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// `KEY=VALUE` pairs into a dictionary; a key given twice keeps the last value.
    public static func keyValues(_ texts: [String], option: String) throws(UsageError) -> [String: String] {
        var result: [String: String] = [:]
        for text in texts {
            let (key, value) = try keyValue(text, option: option)
            result[key] = value
        }
        return result
    }

    /// The broker list: `--brokers` if given, else `SLUICE_BROKERS`, else `127.0.0.1:9092`.
    /// Entries are comma-separated `host:port`.
    public static func brokers(option: String?, environment: String?) throws(UsageError) -> [String] {
        let text = option ?? environment.flatMap { $0.isEmpty ? nil : $0 } ?? defaultBrokers
        let entries = text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        guard !entries.isEmpty else {
            throw UsageError("no brokers given", fix: "pass --brokers HOST:PORT[,HOST:PORT...] or set SLUICE_BROKERS")
        }
        return entries
    }

    /// Where the CLI looks when told nothing: what `make run` starts.
    public static let defaultBrokers = "127.0.0.1:9092"

    /// `--acks`: `all` (or `-1`), `1` or `0`, as the wire value.
    public static func acks(_ text: String) throws(UsageError) -> Int16 {
        switch text {
        case "all", "-1": return -1
        case "1", "leader": return 1
        case "0", "none": return 0
        default: throw UsageError("--acks takes all, 1 or 0, not '\(text)'")
        }
    }

    /// `TOPIC:PARTITION` (the topic may itself contain `:`; the partition is what follows the last one).
    public static func topicPartition(_ text: String) throws(UsageError) -> (topic: String, partition: Int32) {
        let bad = UsageError("bad partition '\(text)'", fix: "write TOPIC:PARTITION, e.g. orders:0")
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let partition = Int32(text[text.index(after: colon)...]), partition >= 0 else { throw bad }
        return (String(text[..<colon]), partition)
    }

    /// A replica list `4,2,3`: distinct broker ids, at least one, in the order given.
    public static func brokerIds(_ text: String, option: String) throws(UsageError) -> [Int32] {
        var ids: [Int32] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int32(part.trimmingSpacesSubstring), id >= 0 else {
                throw UsageError("\(option) takes broker ids separated by commas, not '\(text)'", fix: "e.g. \(option) 4,2,3")
            }
            guard !ids.contains(id) else { throw UsageError("\(option) names broker \(id) twice", fix: "list each broker once, e.g. \(option) 4,2,3") }
            ids.append(id)
        }
        return ids
    }

    /// A key delimiter: the text itself, with `\t` and `\n` read as tab and newline.
    public static func delimiter(_ text: String, option: String) throws(UsageError) -> [UInt8] {
        let bytes = Array(text.replacingEscapes.utf8)
        guard !bytes.isEmpty else { throw UsageError("\(option) needs a non-empty delimiter") }
        return bytes
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesSubstring: String { String(self).trimmingSpaces }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// `\t`, `\n` and `\\` read as the characters they stand for.
    var replacingEscapes: String {
        var out = ""
        var escaping = false
        for character in self {
            if escaping {
                switch character {
                case "t": out.append("\t")
                case "n": out.append("\n")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}

/// Splits a line into key and value at the first delimiter (kcat's `-K`); nil key when absent.
public func splitKey(_ line: [UInt8], delimiter: [UInt8]) -> (key: [UInt8]?, value: [UInt8]) {
    guard !delimiter.isEmpty, line.count >= delimiter.count else { return (nil, line) }
    var index = 0
    while index + delimiter.count <= line.count {
        if line[index..<(index + delimiter.count)].elementsEqual(delimiter) {
            return (Array(line[..<index]), Array(line[(index + delimiter.count)...]))
        }
        index += 1
    }
    return (nil, line)
}
