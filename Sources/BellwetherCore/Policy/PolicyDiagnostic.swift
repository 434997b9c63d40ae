/// One problem in a policy file, positioned so an editor or a terminal can jump straight to it.
///
/// `message` reads after the field (`steps[0].percent: must be a number, found 'ten'`) and says how
/// to fix the problem, not only what it is.
public struct PolicyDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the offending node.
    public var line: Int
    /// 1-based column of the offending node, counted in Unicode scalars as libYAML does.
    public var column: Int
    /// Where in the policy, such as `steps[2].percent`; empty for problems with the YAML itself.
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// The compiler-style line editors and CI annotations understand.
    public var description: String {
        let position = "\(file):\(line):\(column): error: "
        return field.isEmpty ? position + message : position + "\(field): " + message
    }
}

/// Everything wrong with a policy, found in one pass so an operator fixes it in one go.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// In the order they appear in the file.
    public var diagnostics: [PolicyDiagnostic]

    public init(diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
