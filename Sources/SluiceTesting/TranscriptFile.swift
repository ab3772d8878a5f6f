/// A transcript in the datadriven format of etcd-io/raft's `testdata/*.txt`:
///
/// ```
/// # Comments and blank lines between directives are kept as they are.
/// command arg key=value
/// ----
/// expected output, one or more lines
/// (ends at a blank line or the end of the file)
/// ```
///
/// ``run(_:)`` replays the commands through a fresh ``TranscriptRunner`` and returns the file
/// with every output block replaced by what the runner printed; a transcript passes when that is
/// identical to the file, and rewriting the file with it updates the golden output.
public enum TranscriptFile {
    private enum Item {
        case verbatim(String)
        case directive(command: String, expected: [String])
    }

    /// Replays `text` and returns it with actual outputs in place of the expected ones.
    public static func run(_ text: String) throws(TranscriptError) -> String {
        let items = try parse(text)
        var runner = TranscriptRunner()
        var lines: [String] = []
        for (k, item) in items.enumerated() {
            switch item {
            case .verbatim(let l):
                lines.append(l)
            case .directive(let command, _):
                lines.append(command)
                lines.append("----")
                lines.append(runner.run(command))
                // Directives are separated by a blank line; the last one ends the file.
                if k + 1 < items.count { lines.append("") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func parse(_ text: String) throws(TranscriptError) -> [Item] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var items: [Item] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                items.append(.verbatim(line))
                i += 1
                continue
            }
            guard i + 1 < lines.count, lines[i + 1] == "----" else {
                throw TranscriptError("line \(i + 1): command `\(line)` is not followed by ----")
            }
            var expected: [String] = []
            i += 2
            while i < lines.count && !lines[i].isEmpty {
                expected.append(lines[i])
                i += 1
            }
            if i < lines.count { i += 1 } // The blank line that ends the block.
            items.append(.directive(command: line, expected: expected))
        }
        return items
    }
}
