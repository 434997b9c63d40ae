import BellwetherCore

/// The body of `POST /api/v1/agents/heartbeat`. Only `id` and `version` are required, so the
/// smallest agent integration is one line of `curl`; `labels` default to none and `healthy` to true.
public struct HeartbeatRequest: Sendable, Hashable, Codable {
    public var id: String
    public var version: String
    public var labels: [String: String]?
    public var healthy: Bool?

    public init(id: String, version: String, labels: [String: String]? = nil, healthy: Bool? = nil) {
        self.id = id
        self.version = version
        self.labels = labels
        self.healthy = healthy
    }

    public var heartbeat: AgentHeartbeat {
        AgentHeartbeat(id: id, version: version, labels: labels ?? [:], healthy: healthy ?? true)
    }
}
