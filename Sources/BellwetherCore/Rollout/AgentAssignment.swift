/// What the controller wants one agent to run, and why: the answer to the agent's next heartbeat.
///
/// The control loop decides it and the agent-facing side (the heartbeat registry, OpAMP, a push
/// driver) delivers it; it lives in the core so both sides share it without depending on each other.
public struct AgentAssignment: Sendable, Hashable, Codable {
    /// The version to run; `nil` means "keep what you run".
    public var desiredVersion: String?
    /// Where to download `desiredVersion`, when it is a rollout's target version.
    public var artifact: Artifact?
    /// The rollout that owns the agent, while one does.
    public var rolloutID: String?
    /// The step's cohort name when the agent is on the target version, `baseline` when it is watched
    /// on the stable version beside them, `nil` otherwise.
    public var cohort: String?

    public init(desiredVersion: String?, artifact: Artifact? = nil, rolloutID: String? = nil, cohort: String? = nil) {
        self.desiredVersion = desiredVersion
        self.artifact = artifact
        self.rolloutID = rolloutID
        self.cohort = cohort
    }

    /// The cohort name of agents compared with the canary on the stable version.
    public static let baselineCohort = "baseline"
}
