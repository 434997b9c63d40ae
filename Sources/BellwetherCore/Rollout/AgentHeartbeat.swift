/// What an agent says about itself each time it checks in (the body of
/// `POST /api/v1/agents/heartbeat`). The controller learns the fleet only from these, so an agent
/// that stops sending them is eventually treated as silent.
public struct AgentHeartbeat: Sendable, Hashable, Codable {
    /// OpenTelemetry's `service.instance.id`.
    public var id: String
    /// The version the agent is running right now, which may lag the version it was assigned.
    public var version: String
    public var labels: [String: String]
    public var healthy: Bool

    public init(id: String, version: String, labels: [String: String] = [:], healthy: Bool = true) {
        self.id = id
        self.version = version
        self.labels = labels
        self.healthy = healthy
    }
}
