import Foundation

/// An agent as `GET /api/v1/agents` lists it: what it reports, what it has been told to run, and
/// whether it still checks in.
public struct AgentView: Sendable, Hashable, Codable {
    public var id: String
    public var version: String
    /// The version assigned by a rollout, when one is.
    public var desiredVersion: String?
    public var labels: [String: String]
    public var healthy: Bool
    /// No heartbeat for longer than the server's `silent-after`.
    public var silent: Bool
    public var rollout: String?
    public var cohort: String?
    public var firstSeen: Date
    public var lastSeen: Date

    public init(
        id: String, version: String, desiredVersion: String?, labels: [String: String], healthy: Bool, silent: Bool,
        rollout: String?, cohort: String?, firstSeen: Date, lastSeen: Date
    ) {
        self.id = id
        self.version = version
        self.desiredVersion = desiredVersion
        self.labels = labels
        self.healthy = healthy
        self.silent = silent
        self.rollout = rollout
        self.cohort = cohort
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
