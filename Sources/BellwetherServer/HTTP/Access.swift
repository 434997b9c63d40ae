import BellwetherCore
import Hummingbird

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
    /// Agent tokens that speak only for some agents (`AgentScope`), by token.
    public var scopedAgents: [String: String]

    public init(admin: String?, agent: String?, scopedAgents: [ScopedAgentToken] = []) {
        self.admin = admin
        self.agent = agent
        self.scopedAgents = Dictionary(scopedAgents.map { ($0.token, $0.idPrefix) }) { first, _ in first }
    }

    /// The tokens an endpoint of this kind admits; empty when it is open.
    func tokens(for access: Access) -> [String] {
        switch access {
        case .anyone: []
        case .agent: (agent.map { [$0] } ?? []) + scopedAgents.keys.sorted()
        case .operator: admin.map { [$0] } ?? []
        }
    }

    /// Which agents a request that passed `TokenAuthMiddleware` may speak for: those of its
    /// scoped token, or every one (the fleet's agent token, the admin token, an open server).
    func agentScope(of bearer: String?) -> AgentScope {
        guard let bearer else { return .any }
        for (token, prefix) in scopedAgents where TokenAuthMiddleware<BasicRequestContext>.equal(bearer, token) {
            return .prefix(prefix)
        }
        return .any
    }
}

/// An agent token that speaks only for agent ids starting with `idPrefix`.
public struct ScopedAgentToken: Sendable, Hashable {
    public var idPrefix: String
    public var token: String

    public init(idPrefix: String, token: String) {
        self.idPrefix = idPrefix
        self.token = token
    }
}
