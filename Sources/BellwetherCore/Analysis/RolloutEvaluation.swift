/// One analysis-interval boundary of one rollout step, as the controller judged it: every check's
/// verdict and, when the step was decided there, the decision. The health endpoint and the report
/// read these; the controller writes each boundary at most once.
public struct RolloutEvaluation: Sendable, Hashable, Codable {
    public var rolloutID: String
    /// 0-based step.
    public var step: Int
    /// Start of the analysis window (seconds since the Unix epoch); a resumed step starts a new one.
    public var windowStart: Double
    /// 1 for the first boundary after `windowStart`.
    public var boundary: Int
    /// The boundary's time, seconds since the Unix epoch.
    public var time: Double
    public var verdicts: [CheckVerdict]
    public var decision: StepDecision?
    /// Why there are no verdicts, when the metric source could not be read.
    public var problem: String?

    public init(
        rolloutID: String, step: Int, windowStart: Double, boundary: Int, time: Double,
        verdicts: [CheckVerdict], decision: StepDecision? = nil, problem: String? = nil
    ) {
        self.rolloutID = rolloutID
        self.step = step
        self.windowStart = windowStart
        self.boundary = boundary
        self.time = time
        self.verdicts = verdicts
        self.decision = decision
        self.problem = problem
    }
}
