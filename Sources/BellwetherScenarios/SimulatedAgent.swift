import BellwetherCore

/// One simulated agent's fixed traits, drawn once per stream: what it serves and how it fails.
public struct SimulatedAgent: Sendable, Hashable {
    public var id: String
    public var cohort: CohortRole
    /// Records per second this agent processes.
    public var recordsPerSecond: Double
    /// Failure probability of one of its records on the stable version.
    public var stableFailureProbability: Double
    /// Failure probability of one of its records on the version it runs in this stream.
    public var failureProbability: Double
    /// Share of its records of the special kind (only a `specialCase` effect makes them fail).
    public var specialShare: Double
    /// Offset of its reports within the report period, in (0, reportSeconds].
    public var phase: Double
    /// Seconds after the start at which it stops reporting for good, if it drops out.
    public var dropout: Double?
}
