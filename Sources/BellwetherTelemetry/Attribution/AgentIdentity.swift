/// Which agent a resource's telemetry belongs to, and the version it said it runs.
public struct AgentIdentity: Sendable, Hashable {
    public var agent: String
    public var version: String?

    public init(agent: String, version: String?) {
        self.agent = agent
        self.version = version
    }
}
