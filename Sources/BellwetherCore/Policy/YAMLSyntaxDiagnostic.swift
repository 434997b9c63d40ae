import Yams

/// Turns a Yams parse failure into a positioned diagnostic, so broken YAML is reported in the same
/// `file:line:column` form as every other mistake.
enum YAMLSyntaxDiagnostic {
    static func make(_ error: any Error, file: String) -> PolicyDiagnostic {
        let (mark, problem): (Mark?, String) = switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            (mark, context.map { "\(problem) \($0.text)" } ?? problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            (context.mark, "the key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appears twice in one mapping")
        case .reader(let problem, _, _, _):
            (nil, problem)
        default:
            (nil, String(describing: error))
        }
        return PolicyDiagnostic(
            file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, field: "",
            message: "the YAML does not parse: \(problem); check indentation, colons and brackets near here"
        )
    }
}
