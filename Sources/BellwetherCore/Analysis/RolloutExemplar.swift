/// A failing span kept as evidence for one check of one rollout, from an agent of one of its
/// cohorts: what the report and the dashboard show beside a verdict, so an operator sees which
/// records failed and how, not only that a ratio moved.
public struct RolloutExemplar: Sendable, Hashable, Codable {
    public var rolloutID: String
    /// The step's cohort name the agent was in (`canary`, `early`, …) or `baseline`.
    public var cohort: String
    /// The `spans` check the span failed.
    public var check: String
    /// When the controller received it, in seconds since the Unix epoch (its own clock).
    public var receivedAt: Double
    public var span: FailingSpanExemplar

    public init(rolloutID: String, cohort: String, check: String, receivedAt: Double, span: FailingSpanExemplar) {
        self.rolloutID = rolloutID
        self.cohort = cohort
        self.check = check
        self.receivedAt = receivedAt
        self.span = span
    }

    /// Which side of the comparison the agent was on.
    public var role: CohortRole {
        cohort == AgentAssignment.baselineCohort ? .baseline : .canary
    }
}
