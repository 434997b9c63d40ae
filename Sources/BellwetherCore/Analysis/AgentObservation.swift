/// What one agent reported at one instant, as a metric source hands it to the controller:
/// cumulative counters and histograms, delta span counts, and the version it was running.
/// Which cohort it counts for is the controller's business, decided from the version and the
/// rollout's cohorts, so the same stored data serves any rollout.
public struct AgentObservation: Sendable, Hashable, Codable {
    public var agent: String
    /// Seconds since the Unix epoch.
    public var time: Double
    /// The version the agent reported with this data; data from the wrong version never counts.
    public var version: String?
    public var counters: [String: Double]
    public var spans: [String: SpanCounts]
    public var histograms: [String: HistogramCounts]

    public init(
        agent: String,
        time: Double,
        version: String? = nil,
        counters: [String: Double] = [:],
        spans: [String: SpanCounts] = [:],
        histograms: [String: HistogramCounts] = [:]
    ) {
        self.agent = agent
        self.time = time
        self.version = version
        self.counters = counters
        self.spans = spans
        self.histograms = histograms
    }
}

extension ReplayObservation {
    /// The observation without its cohort, as a live metric source would store it.
    public var agentObservation: AgentObservation {
        AgentObservation(agent: agent, time: time, version: version, counters: counters, spans: spans, histograms: histograms)
    }
}
