/// A command line that cannot run as typed: an unknown command or option, a missing or malformed
/// value. Printed as `error: <message>` plus the fix, and the process exits with status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the offending word.
    public var message: String
    /// How to put it right (a corrected command, where to find help); may be empty.
    public var fix: String

    /// An error with its message and fix.
    public init(_ message: String, fix: String = "") {
        self.message = message
        self.fix = fix
    }

    /// `message`, then the fix on its own line.
    public var description: String { fix.isEmpty ? message : "\(message)\n\(fix)" }
}

/// The closest of `candidates` to `word`, if any is close enough to be what the user meant:
/// a prefix of it, or at most two edits away.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    if let prefixed = candidates.first(where: { $0.hasPrefix(word) && !word.isEmpty }) { return prefixed }
    let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
    return scored.min { $0.1 < $1.1 }?.0
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let left = Array(a), right = Array(b)
    guard !left.isEmpty else { return right.count }
    guard !right.isEmpty else { return left.count }
    var previous = Array(0...right.count)
    for (i, l) in left.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: right.count)
        for (j, r) in right.enumerated() {
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (l == r ? 0 : 1))
        }
        previous = current
    }
    return previous[right.count]
}
