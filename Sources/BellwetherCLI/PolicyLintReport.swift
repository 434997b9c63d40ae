import BellwetherCore
import Foundation

/// The verdict on one policy file, in the shape `policy lint --output json` prints.
struct PolicyLintReport: Encodable, Sendable {
    struct Problem: Encodable, Sendable {
        var line: Int
        var column: Int
        var field: String
        var message: String
    }

    var file: String
    var valid: Bool
    var diagnostics: [Problem]
    /// Shown on stderr; kept out of the JSON, which carries the same facts in `diagnostics`.
    var errorLines: [String]
    /// The `ok` line for a valid file.
    var summary: String?

    private enum CodingKeys: String, CodingKey { case file, valid, diagnostics }

    /// Reads and decodes `file`, turning every way it can fail into a report rather than a throw,
    /// so one bad file never hides the verdict on the others.
    static func lint(file: String) -> PolicyLintReport {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory)
        guard exists, !isDirectory.boolValue, let yaml = try? String(contentsOfFile: file, encoding: .utf8) else {
            let message = !exists ? "no such file: check the path"
                : isDirectory.boolValue ? "is a directory, not a policy file"
                : "cannot be read: check its permissions and that it is UTF-8 text"
            return PolicyLintReport(
                file: file, valid: false,
                diagnostics: [Problem(line: 0, column: 0, field: "", message: message)],
                errorLines: ["\(file): error: \(message)"]
            )
        }
        do throws(PolicyError) {
            let policy = try PolicyDecoder.decode(yaml: yaml, file: file)
            let summary = "\(file): ok (\(counted(policy.steps.count, "step")), \(counted(policy.analysis.checks.count, "check")))"
            return PolicyLintReport(file: file, valid: true, diagnostics: [], errorLines: [], summary: summary)
        } catch {
            return PolicyLintReport(
                file: file, valid: false,
                diagnostics: error.diagnostics.map { Problem(line: $0.line, column: $0.column, field: $0.field, message: $0.message) },
                errorLines: error.diagnostics.map(\.description)
            )
        }
    }
}

/// "1 check", "4 checks".
private func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
