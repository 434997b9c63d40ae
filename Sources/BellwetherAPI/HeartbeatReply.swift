import BellwetherCore

/// What the controller tells an agent in answer to its heartbeat: the version to run (its current
/// one when nothing is assigned, so an agent can always act on the answer), where to get it, and
/// when to check in again.
public struct HeartbeatReply: Sendable, Hashable, Codable {
    public var desiredVersion: String
    public var artifact: Artifact?
    /// The rollout that assigned the version, when one did.
    public var rollout: String?
    /// The cohort the agent belongs to in that rollout (`canary`, `baseline`, or a step's cohort).
    public var cohort: String?
    public var heartbeatSeconds: Int

    public init(desiredVersion: String, artifact: Artifact? = nil, rollout: String? = nil, cohort: String? = nil, heartbeatSeconds: Int) {
        self.desiredVersion = desiredVersion
        self.artifact = artifact
        self.rollout = rollout
        self.cohort = cohort
        self.heartbeatSeconds = heartbeatSeconds
    }
}
