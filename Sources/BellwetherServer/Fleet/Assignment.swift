import BellwetherCore

/// What a rollout has told one agent to run, as the heartbeat reply carries it.
public struct Assignment: Sendable, Hashable {
    public var desiredVersion: String
    public var artifact: Artifact?
    public var rollout: String?
    public var cohort: String?

    public init(desiredVersion: String, artifact: Artifact? = nil, rollout: String? = nil, cohort: String? = nil) {
        self.desiredVersion = desiredVersion
        self.artifact = artifact
        self.rollout = rollout
        self.cohort = cohort
    }
}
