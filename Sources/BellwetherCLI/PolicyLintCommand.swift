import ArgumentParser
import BellwetherCore
import Foundation

/// `bellwether policy lint FILE...`: catch every mistake in a policy before a rollout depends on it.
struct PolicyLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate rollout policy files.",
        discussion: """
            Prints `FILE: ok (N steps, M checks)` for each valid policy and, on standard error, one \
            `file:line:column: error: field: message` line per problem. Exits 0 when every file is \
            valid and 2 when any is invalid or cannot be read.
            """
    )

    @Argument(help: "Policy files to validate.")
    var files: [String]

    @Option(help: "Output format: table or json.")
    var output: OutputFormat = .table

    func run() throws {
        let reports = files.map(PolicyLintReport.lint(file:))
        for line in reports.flatMap(\.errorLines) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        switch output {
        case .table:
            for summary in reports.compactMap(\.summary) { print(summary) }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode(2) }
    }
}
