import BellwetherCore

/// The one shape every error response has: `{"error": {"code": "...", "message": "..."}}`.
///
/// `code` is stable and meant for scripts (`invalid-policy`, `conflicting-rollout`); `message` is
/// for people and says what to change. Invalid policies also carry their positioned diagnostics,
/// so a client can print them exactly as `bellwether policy lint` would.
public struct APIErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
        public var diagnostics: [PolicyDiagnostic]?

        public init(code: String, message: String, diagnostics: [PolicyDiagnostic]? = nil) {
            self.code = code
            self.message = message
            self.diagnostics = diagnostics
        }
    }

    public var error: Detail

    public init(code: String, message: String, diagnostics: [PolicyDiagnostic]? = nil) {
        error = Detail(code: code, message: message, diagnostics: diagnostics)
    }
}
