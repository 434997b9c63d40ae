import Foundation
import Synchronization

/// The dashboard's signed-in browsers: a session is made by presenting the admin token (or a
/// one-time sign-in link minted with it) and lives in an HttpOnly, SameSite=Strict cookie, so no
/// script can read it and no other site's page can send it. Each session has its own CSRF token,
/// which the page holds and sends in a header with every mutating request: a cookie alone never
/// changes anything.
///
/// Held in memory: a restart signs everyone out, which costs an operator one sign-in and keeps
/// no credential on disk.
public final class DashboardSessions: Sendable {
    /// The cookie holding the session id.
    public static let cookieName = "bellwether_session"
    /// The header carrying the session's CSRF token on mutating requests.
    public static let csrfHeader = "X-CSRF-Token"
    /// How long a session lasts after sign-in: a working night, not forever.
    public static let lifetime: TimeInterval = 12 * 3600
    /// How long a sign-in link stays usable; it works once.
    public static let linkLifetime: TimeInterval = 300

    public struct Session: Sendable, Hashable {
        public var csrfToken: String
        public var expires: Date
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var tickets: [String: Date] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A new session; returns its id (the cookie's value) and the session.
    public func create(at now: Date) -> (id: String, session: Session) {
        let id = Self.randomToken()
        let session = Session(csrfToken: Self.randomToken(), expires: now.addingTimeInterval(Self.lifetime))
        state.withLock { state in
            state.sessions = state.sessions.filter { $0.value.expires > now }
            state.sessions[id] = session
        }
        return (id, session)
    }

    /// The live session with this id, if any.
    public func session(id: String, at now: Date) -> Session? {
        state.withLock { state in
            guard let session = state.sessions[id], session.expires > now else { return nil }
            return session
        }
    }

    public func end(id: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: id) }
    }

    /// A one-time sign-in ticket, for a link an operator with the admin token opens in a browser.
    public func mintTicket(at now: Date) -> (ticket: String, expires: Date) {
        let ticket = Self.randomToken()
        let expires = now.addingTimeInterval(Self.linkLifetime)
        state.withLock { state in
            state.tickets = state.tickets.filter { $0.value > now }
            state.tickets[ticket] = expires
        }
        return (ticket, expires)
    }

    /// Spends a ticket: true once, for a ticket that was minted and has not expired.
    public func redeem(ticket: String, at now: Date) -> Bool {
        state.withLock { state in
            guard let expires = state.tickets.removeValue(forKey: ticket) else { return false }
            return expires > now
        }
    }

    /// 256 random bits as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
