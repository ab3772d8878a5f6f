/// A plain-text table as Kafka's tools and rpk print them: upper-case headers, columns
/// left-aligned and separated by two spaces, no borders, no trailing spaces.
public struct Table: Sendable, Equatable {
    /// Column headers.
    public var headers: [String]
    /// Rows; each has one cell per header.
    public private(set) var rows: [[String]] = []

    /// An empty table with these headers.
    public init(_ headers: [String]) {
        self.headers = headers
    }

    /// Adds a row; `cells` must match the headers one for one.
    public mutating func append(_ cells: [String]) {
        precondition(cells.count == headers.count, "a row has \(cells.count) cells for \(headers.count) headers")
        rows.append(cells)
    }

    /// The table as text, one line per row after the header line, each ending in a newline.
    public func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += column == row.count - 1 ? cell : cell.padding(to: widths[column]) + "  "
            }
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}
