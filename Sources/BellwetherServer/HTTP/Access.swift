/// Who may call an endpoint. Each kind has its own bearer token, so a token copied off an agent
/// host cannot start, pause or roll back anything.
public enum Access: String, Sendable, Hashable, CaseIterable {
    /// Liveness and readiness: orchestrators probe them without credentials.
    case anyone
    /// Agents reporting heartbeats and telemetry (`BELLWETHER_AGENT_TOKEN`).
    case agent
    /// Operators and their tools (`BELLWETHER_ADMIN_TOKEN`).
    case `operator`
}

/// The tokens the server accepts; an endpoint whose kind has no token configured is open.
public struct AccessTokens: Sendable, Hashable {
    public var admin: String?
    public var agent: String?

    public init(admin: String?, agent: String?) {
        self.admin = admin
        self.agent = agent
    }

    func token(for access: Access) -> String? {
        switch access {
        case .anyone: nil
        case .agent: agent
        case .operator: admin
        }
    }
}
