import BellwetherCore

/// `GET /api/v1/rollouts/{id}/health`: where the rollout is, who is in its cohorts, and how each
/// check judges canary against baseline.
public struct RolloutHealthView: Sendable, Hashable, Codable {
    /// One side of the comparison at the current step.
    public struct Cohort: Sendable, Hashable, Codable {
        /// `canary` or `baseline`.
        public var role: CohortRole
        /// The step's cohort name for the canary (`early`); `baseline` for the baseline.
        public var name: String
        public var agents: Int
        /// How many of them report the version they should run (target for the canary, stable for the baseline).
        public var onExpectedVersion: Int
        public var silent: Int

        public init(role: CohortRole, name: String, agents: Int, onExpectedVersion: Int, silent: Int) {
            self.role = role
            self.name = name
            self.agents = agents
            self.onExpectedVersion = onExpectedVersion
            self.silent = silent
        }
    }

    public var rollout: RolloutView
    /// Empty unless the rollout is progressing or halted at a step.
    public var cohorts: [Cohort]
    /// The latest verdict of each check, from the control loop; empty until it has analysed the step.
    public var checks: [CheckVerdict]
    /// The fleet freeze, while one holds this active rollout's next promotion; absent otherwise.
    public var freeze: FreezeView?

    public init(rollout: RolloutView, cohorts: [Cohort], checks: [CheckVerdict], freeze: FreezeView? = nil) {
        self.rollout = rollout
        self.cohorts = cohorts
        self.checks = checks
        self.freeze = freeze
    }
}
