import Foundation
import Hummingbird

/// How an operator endpoint recognises a dashboard session: the cookie, looked up at the
/// server's `now`, and the CSRF token a mutating request must carry with it.
struct DashboardSessionCheck: Sendable {
    let sessions: DashboardSessions
    let now: @Sendable () -> Date

    /// The session whose id the request's cookie holds, if it is live.
    func session(of request: Request) -> DashboardSessions.Session? {
        guard let id = request.cookies[DashboardSessions.cookieName]?.value, !id.isEmpty else { return nil }
        return sessions.session(id: id, at: now())
    }

    /// Reads pass; anything else needs the session's CSRF token in `X-CSRF-Token`, which only the
    /// dashboard's own page knows, so another site cannot ride the cookie.
    func requireCSRF(_ request: Request, session: DashboardSessions.Session) throws {
        guard request.method != .get, request.method != .head else { return }
        let name = DashboardSessions.csrfHeader.lowercased()
        guard let presented = request.headers.first(where: { $0.name.canonicalName == name })?.value, TokenAuthMiddleware<BasicRequestContext>.equal(presented, session.csrfToken) else {
            throw APIError(
                .forbidden, code: "csrf-token-invalid",
                "a signed-in dashboard session changes nothing without its CSRF token in \(DashboardSessions.csrfHeader); reload the dashboard, or send `Authorization: Bearer <token>`"
            )
        }
    }
}
