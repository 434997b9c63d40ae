/// Which agent ids a caller may speak for. The fleet's agent token speaks for every agent; a
/// scoped token (one per team, region or host group, `agentTokens:` in the server's config) only
/// for ids that start with its prefix, so a token copied off one host cannot make up heartbeats or
/// telemetry for agents it does not run, in a canary cohort or a baseline one.
public enum AgentScope: Sendable, Hashable {
    case any
    case prefix(String)

    public func admits(_ agent: String) -> Bool {
        switch self {
        case .any: true
        case .prefix(let prefix): agent.hasPrefix(prefix)
        }
    }

    /// Why `agent` is refused, for the caller to read.
    public func refusal(of agent: String) -> String {
        switch self {
        case .any: "agent \(agent) is refused"
        case .prefix(let prefix): "agent \(agent) is outside this token's scope: it speaks only for agent ids starting with '\(prefix)'"
        }
    }
}
