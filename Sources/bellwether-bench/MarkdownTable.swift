/// A Markdown table as the benchmark prints it: an optional `###` title, the header, the
/// separator and one line a row, so every table of a run pastes into the docs the same way.
struct MarkdownTable {
    var title: String?
    var columns: [String]
    var rows: [[String]] = []

    var text: String {
        var lines = title.map { ["### \($0)", ""] } ?? []
        lines.append(Self.line(columns))
        lines.append(Self.line(columns.map { _ in "---" }))
        lines += rows.map(Self.line)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
