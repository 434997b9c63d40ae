import BellwetherCore
import Foundation
import Hummingbird

/// Admits a request only with the bearer token of the endpoint's kind.
///
/// No token is 401 (authenticate), a token of the other kind is 403 (authenticated, but not for
/// this), and an unknown token is 401. Comparison takes the same time wherever the first wrong
/// byte is, so a token cannot be guessed byte by byte from response times.
///
/// Operator endpoints given `sessions` also admit the dashboard's signed-in browsers: without a
/// bearer token, a live session cookie admits reads, and writes only with the session's CSRF
/// token in `X-CSRF-Token` (403 `csrf-token-invalid` otherwise).
struct TokenAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: Access
    let tokens: AccessTokens
    var sessions: DashboardSessionCheck?
    /// Also admits the admin token (`Endpoint.alsoAdmitsOperator`).
    var alsoAdmitsOperator = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let expected = tokens.tokens(for: access)
        guard !expected.isEmpty else { return try await next(request, context) }
        let variable = access == .operator ? "BELLWETHER_ADMIN_TOKEN" : "BELLWETHER_AGENT_TOKEN"
        if request.headers[.authorization] == nil, let sessions, let session = sessions.session(of: request) {
            try sessions.requireCSRF(request, session: session)
            return try await next(request, context)
        }
        guard let presented = Self.bearer(request) else {
            throw APIError(.unauthorized, code: "unauthorized", "missing bearer token: send `Authorization: Bearer <token>` with the \(variable) value")
        }
        if expected.contains(where: { Self.equal(presented, $0) }) { return try await next(request, context) }
        if alsoAdmitsOperator, let admin = tokens.admin, Self.equal(presented, admin) { return try await next(request, context) }
        for other in Access.allCases where other != access {
            if tokens.tokens(for: other).contains(where: { Self.equal(presented, $0) }) {
                throw APIError(.forbidden, code: "forbidden", "this is the \(other.rawValue) token; this endpoint needs the \(variable) token")
            }
        }
        throw APIError(.unauthorized, code: "unauthorized", "the bearer token is not valid: check \(variable)")
    }

    /// Whether the request carries the admin token, or the server has no tokens at all (a
    /// loopback-only server without tokens treats every caller as its operator).
    static func isOperator(_ request: Request, tokens: AccessTokens) -> Bool {
        guard let admin = tokens.admin else { return tokens.agent == nil && tokens.scopedAgents.isEmpty }
        return bearer(request).map { equal($0, admin) } ?? false
    }

    /// The agents a request admitted to an agent endpoint may speak for (`AgentScope`).
    static func agentScope(_ request: Request, tokens: AccessTokens) -> AgentScope {
        tokens.agentScope(of: bearer(request))
    }

    private static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
