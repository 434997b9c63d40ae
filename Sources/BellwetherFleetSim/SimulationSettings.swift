/// What every simulated agent shares: the versions and what each does, how installs go, how
/// many spans are traced. A plain value, so the behaviour model stays pure and a seed replays it.
public struct SimulationSettings: Sendable, Hashable {
    /// The version every agent runs at the start.
    public var stableVersion: String
    /// What each version does; a version not listed behaves like `healthy`.
    public var behaviours: [String: VersionBehaviour]
    /// Seconds between being told a version and running it (download, verify, restart), drawn
    /// uniformly from this range per install.
    public var installDelay: ClosedRange<Double>
    /// Share of installs of a version the agent never ran that fail: the agent keeps its version.
    public var installFailureRate: Double
    /// Share of records whose span is exported (a trace-id ratio sampler): keeps the trace volume
    /// of a big fleet bearable while failed-span ratios stay unbiased.
    public var traceSampleRatio: Double
    /// Upper bounds of the processing-duration histogram's buckets, in seconds: OpenTelemetry's
    /// default boundaries (milliseconds there) converted to seconds.
    public var latencyBounds: [Double]
    /// Spread (σ of the log) of one record's processing time around the agent's median.
    public var latencySpread: Double
    /// Spans an agent keeps for its next export at most; older ones are dropped, as an SDK's
    /// bounded queue drops them when the collector is unreachable.
    public var spanQueueLimit: Int
    /// Multiplies every agent's record rate: more data a second for a short real-time run (the
    /// real-Prometheus test) or a load test, the agents' differences kept.
    public var trafficFactor: Double

    public init(
        stableVersion: String = "2.3.1",
        behaviours: [String: VersionBehaviour] = [:],
        installDelay: ClosedRange<Double> = 10...40,
        installFailureRate: Double = 0.02,
        traceSampleRatio: Double = 0.08,
        latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
        latencySpread: Double = 0.5,
        spanQueueLimit: Int = 2_048,
        trafficFactor: Double = 1
    ) {
        self.trafficFactor = trafficFactor
        self.stableVersion = stableVersion
        self.behaviours = behaviours
        self.installDelay = installDelay
        self.installFailureRate = installFailureRate
        self.traceSampleRatio = traceSampleRatio
        self.latencyBounds = latencyBounds
        self.latencySpread = latencySpread
        self.spanQueueLimit = spanQueueLimit
    }

    public func behaviour(of version: String) -> VersionBehaviour {
        behaviours[version] ?? .healthy
    }
}
