/// The ground truth behind one canary report: every record the agent processed in the report's
/// window (including any its telemetry lost to a restart) and the true probabilities, which is
/// what the Wald oracle needs and no real judge ever sees.
public struct CanaryReport: Sendable, Hashable {
    /// When the window closed (seconds since the Unix epoch).
    public var time: Double
    public var agent: String
    public var records: Int
    public var failures: Int
    /// The agent's per-record failure probability on the stable version (the oracle's H0).
    public var stableProbability: Double
    /// Its true per-record failure probability on the canary version (the oracle's H1 in A/B).
    public var canaryProbability: Double
}
