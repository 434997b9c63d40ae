/// How much one exporter can make the receiver hold: agents, series per agent, and the length
/// of a metric name. Each series is a few hundred bytes of memory for as long as its agent
/// reports; without a bound, one exporter that puts a request id in an attribute would grow the
/// controller until it dies. Points past a limit are rejected and reported to the exporter in
/// `partial_success` (and counted as rejected in `/metrics`); what the receiver already holds
/// goes on counting.
public struct SeriesLimits: Sendable, Hashable {
    /// Agents held at once; an agent silent for `forgetAgentsAfterSeconds` frees its place.
    public var agents = 200_000
    /// Series (a metric with one set of attributes) held for one agent.
    public var seriesPerAgent = 2_000
    /// Series held for all agents together: about 200 bytes each, so the default bounds them near
    /// 200 MiB however many agents a flood of made-up ids brings.
    public var series = 1_000_000
    /// Bytes of a metric name.
    public var nameBytes = 255
    /// Buckets of one histogram point (explicit bounds + 1). Each held histogram series keeps its
    /// buckets, so without a bound one point with a million bounds costs 16 MB for as long as its
    /// agent reports. OpenTelemetry's defaults use 16 (explicit) and at most 160 (exponential).
    public var histogramBuckets = 1_024

    public init() {}
}
