/// What one agent's OpenTelemetry SDK exports at one instant: cumulative totals since the
/// process started (`startTime`), and the spans ended since the last export.
public struct AgentReport: Sendable, Hashable {
    public var agent: String
    public var version: String
    public var labels: [String: String]
    /// The process start, seconds since the Unix epoch: a new one tells the receiver the counters reset.
    public var startTime: Double
    public var time: Double
    public var records: UInt64
    public var failures: UInt64
    /// Per bucket of `SimulationSettings.latencyBounds`, plus the overflow bucket.
    public var latencyCounts: [UInt64]
    public var latencySum: Double
    public var latencyBounds: [Double]
    public var spans: [SimulatedSpan]
    /// Every traced span since `startTime`, by outcome (cumulative, unlike `spans`).
    public var spanCalls: SpanCalls = SpanCalls()
}
