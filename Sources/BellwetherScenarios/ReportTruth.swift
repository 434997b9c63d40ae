import BellwetherCore

/// The ground truth behind one agent's report: every record the agent processed in the report's
/// window (including any its telemetry lost to a restart) and the true probabilities, which is
/// what the oracles need and no real judge ever sees.
public struct ReportTruth: Sendable, Hashable {
    /// When the window closed (seconds since the Unix epoch).
    public var time: Double
    /// How long the window was: it opened at `time - windowSeconds`.
    public var windowSeconds: Double
    public var agent: String
    public var cohort: CohortRole
    public var records: Int
    public var failures: Int
    /// The agent's per-record failure probability on the stable version (the oracles' H0).
    public var stableProbability: Double
    /// Its true per-record failure probability on the version it runs: the canary's in A/B (the
    /// oracles' H1), the stable one for a baseline agent.
    public var canaryProbability: Double
}
