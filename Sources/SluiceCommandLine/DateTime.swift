/// Timestamps as users type them and as tables show them, in UTC, without Foundation:
/// milliseconds since the epoch, ISO-8601 date-times, and durations back from now (`-15m`).
public enum DateTime {
    /// Milliseconds in a unit suffix of a duration.
    private static let unitMillis: [(suffix: String, millis: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
    ]

    /// A duration such as `500ms`, `30s`, `15m`, `2h`, `7d`, `1w`, in milliseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        // Longest suffix first: `500ms` is milliseconds, not `500m` followed by a stray `s`.
        for (suffix, millis) in unitMillis.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: millis)
            return overflow ? nil : product
        }
        return nil
    }

    /// A point in time: milliseconds since the epoch (`1700000000000`), an ISO-8601 date or
    /// date-time (`2024-05-01`, `2024-05-01T12:30:00Z`, `2024-05-01 12:30:00.250+02:00`; no zone
    /// means UTC), or a duration back from `nowMillis` (`-15m`, `-2h`, `-7d`).
    public static func parseTimestamp(_ text: String, nowMillis: Int64) -> Int64? {
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) { return Int64(text) }
        if text.hasPrefix("-"), let back = parseDuration(String(text.dropFirst())) { return nowMillis - back }
        return parseISO8601(text)
    }

    /// An ISO-8601 date or date-time in milliseconds since the epoch.
    public static func parseISO8601(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
              let day = scanner.number(digits: 2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var millisOfDay: Int64 = 0
        if scanner.skip("T") || scanner.skip(" ") {
            guard let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
                  hour < 24, minute < 60 else { return nil }
            var second: Int64 = 0, millis: Int64 = 0
            if scanner.skip(":") {
                guard let value = scanner.number(digits: 2), value < 60 else { return nil }
                second = value
                if scanner.skip(".") || scanner.skip(",") {
                    guard let fraction = scanner.fractionMillis() else { return nil }
                    millis = fraction
                }
            }
            millisOfDay = ((hour * 60 + minute) * 60 + second) * 1_000 + millis
            guard let offset = scanner.zoneOffsetMillis() else { return nil }
            millisOfDay -= offset
        }
        guard scanner.atEnd else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400_000 + millisOfDay
    }

    /// `2024-05-01T12:30:00.250Z`.
    public static func formatISO8601(millis: Int64) -> String {
        let days = floorDivide(millis, 86_400_000)
        let millisOfDay = millis - days * 86_400_000
        let (year, month, day) = civilFromDays(days)
        let hour = millisOfDay / 3_600_000, minute = millisOfDay / 60_000 % 60, second = millisOfDay / 1_000 % 60
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millisOfDay % 1_000, 3))Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil` (H. Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Reads fixed-width numbers and punctuation from ASCII bytes.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int64? {
        guard index + digits <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<(index + digits)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    /// One or more fraction digits, as milliseconds (digits past the third are dropped).
    mutating func fractionMillis() -> Int64? {
        var digits: [Int64] = []
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            digits.append(Int64(bytes[index] - UInt8(ascii: "0")))
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        let padded = (digits + [0, 0, 0]).prefix(3)
        return padded.reduce(0) { $0 * 10 + $1 }
    }

    /// `Z`, `+HH:MM`, `+HHMM`, `-HH:MM`, or nothing (UTC): the zone's offset east of UTC.
    mutating func zoneOffsetMillis() -> Int64? {
        if atEnd || skip("Z") || skip("z") { return 0 }
        let sign: Int64
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2) else { return nil }
        _ = skip(":")
        guard let minutes = number(digits: 2), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 60 + minutes) * 60_000
    }
}

extension Character {
    /// `0`-`9` only (not other Unicode digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) && isASCII }
}
