import BellwetherCore

/// Turns OTLP metric points into per-agent cumulative counters and histograms, the form the
/// decision engine reads (it takes increases itself, with `CumulativeNormalizer`).
///
/// Every series (an agent's metric with one attribute set) is reduced to its increases, which are
/// added to the agent's running total for the metric; the observation reports that total. So:
/// - **cumulative** points increase by their difference from the series' previous point, and a
///   changed `start_time_unix_nano` (or a lower value) is a reset whose new value is all increase
///   (a restarted agent's counter that has already passed its old value is still seen as a reset);
/// - **delta** points are increases already;
/// - series with different attributes (`record.type=invoice`, `record.type=order`) add up; the
///   series a check's `filter` selects (`checks.metricFilters`) also add up to a total of their
///   own, reported under `Check.metricKey` (`name{record.type="invoice"}`);
/// - the first point of a series counts in full: OpenTelemetry exports a series only once
///   something was recorded in it, and a total restarted with the receiver (the running totals
///   live in memory) is seen by the engine as a counter reset, which counts its value from zero.
///
/// Only monotonic sums and explicit-bucket histograms are used. Gauges, non-monotonic sums,
/// exponential histograms and summaries are accepted and ignored. A point whose series already
/// had a point at the same or a later time is a retry and is ignored, so a resent batch never
/// counts twice.
public struct MetricAccumulator: Sendable {
    public var attribution: AgentAttribution
    public var checks = TelemetryChecks()
    public var limits: SeriesLimits
    private var counters = SeriesTotals<Double>()
    private var histograms = SeriesTotals<HistogramCounts>()
    /// When each agent last sent a point, by the receiver's clock: who may be forgotten.
    private var lastSeen: [String: Double] = [:]

    public init(attribution: AgentAttribution = AgentAttribution(), limits: SeriesLimits = SeriesLimits()) {
        self.attribution = attribution
        self.limits = limits
    }

    /// The observations `request` makes, one per agent, stamped `time` (when it was received: the
    /// controller's clock, not the agents', decides which interval data falls in), reporting the
    /// running totals of the metrics the request touched. Resources of agents outside `scope` are
    /// rejected before they touch any total.
    public mutating func ingest(
        _ request: OTLPExportMetricsServiceRequest, at time: Double, scope: AgentScope = .any
    ) -> (observations: [AgentObservation], summary: IngestSummary) {
        var summary = IngestSummary()
        var touched = AgentGroups<AgentTouch>()
        for resourceMetrics in request.resourceMetrics {
            guard let identity = attribution.identity(of: resourceMetrics.resource) else {
                summary.unattributed += resourceMetrics.scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.pointCount } }
                continue
            }
            guard scope.admits(identity.agent) else {
                summary.reject(scope.refusal(of: identity.agent), count: resourceMetrics.scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.pointCount } })
                continue
            }
            if lastSeen[identity.agent] == nil, lastSeen.count >= limits.agents {
                summary.reject(
                    "the receiver holds its limit of \(limits.agents) agents; agent \(identity.agent) is refused until others fall silent",
                    count: resourceMetrics.scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.pointCount } }
                )
                continue
            }
            lastSeen[identity.agent] = time
            touched.update(identity.agent, initial: AgentTouch()) { touch in
                touch.version = identity.version ?? touch.version
                for scopeMetrics in resourceMetrics.scopeMetrics {
                    for metric in scopeMetrics.metrics {
                        ingest(metric, agent: identity.agent, touch: &touch, summary: &summary)
                    }
                }
            }
        }
        let observations = touched.ordered.compactMap { agent, touch -> AgentObservation? in
            guard !touch.counters.isEmpty || !touch.histograms.isEmpty else { return nil }
            return AgentObservation(
                agent: agent, time: time, version: touch.version,
                counters: Dictionary(uniqueKeysWithValues: touch.counters.compactMap { name in
                    counters.total(agent: agent, metric: name).map { (name, $0) }
                }),
                histograms: Dictionary(uniqueKeysWithValues: touch.histograms.compactMap { name in
                    histograms.total(agent: agent, metric: name).map { (name, $0) }
                })
            )
        }
        return (observations, summary)
    }

    /// Forgets the series and totals of agents that sent nothing since `time`, so agents that
    /// come and go (autoscaling, renamed hosts) do not grow the controller's memory for ever.
    /// One that comes back starts a new running total, which the engine reads as a counter
    /// reset, as after a controller restart. Returns the agents forgotten.
    @discardableResult
    public mutating func forget(silentSince time: Double) -> Set<String> {
        let gone = Set(lastSeen.filter { $0.value < time }.keys)
        guard !gone.isEmpty else { return [] }
        for agent in gone { lastSeen[agent] = nil }
        counters.remove(agents: gone)
        histograms.remove(agents: gone)
        return gone
    }

    /// Agents whose series the accumulator holds.
    public var agentCount: Int { lastSeen.count }

    /// How many series `agent` may still add, counters and histograms together, and whose limit
    /// that is (the agent's, or the receiver's for all agents).
    private func seriesLeft(agent: String) -> (count: Int, holder: String) {
        let own = limits.seriesPerAgent - counters.seriesCount(agent: agent) - histograms.seriesCount(agent: agent)
        let all = limits.series - counters.seriesCount - histograms.seriesCount
        return all < own ? (all, "the receiver (\(limits.series) series of all agents)") : (own, "agent \(agent)")
    }

    /// What one request changed for one agent.
    private struct AgentTouch {
        var version: String?
        var counters: Set<String> = []
        var histograms: Set<String> = []
    }

    /// The points of `metric` with at most `limits.histogramBuckets` buckets; the others are
    /// rejected with the reason (a held series keeps its buckets for as long as its agent reports).
    private func withinBucketLimit<Point>(
        _ points: [Point], metric: String, summary: inout IngestSummary, buckets: (Point) -> Int
    ) -> [Point] {
        let limit = limits.histogramBuckets
        let kept = points.filter { buckets($0) <= limit }
        if kept.count < points.count {
            summary.reject("\(metric): a histogram point has more than \(limit) buckets", count: points.count - kept.count)
        }
        return kept
    }

    private mutating func ingest(_ metric: OTLPMetric, agent: String, touch: inout AgentTouch, summary: inout IngestSummary) {
        guard metric.name.utf8.count <= limits.nameBytes else {
            summary.reject("a metric name is longer than \(limits.nameBytes) bytes", count: metric.pointCount)
            return
        }
        switch metric.data {
        case .sum(let sum) where sum.isMonotonic:
            guard let cumulative = sum.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: sum.dataPoints.count)
                return
            }
            counters.add(
                sum.dataPoints, metric: metric.name, agent: agent, cumulative: cumulative, filters: checks.metricFilters[metric.name] ?? [],
                seriesLimit: seriesLeft(agent: agent),
                value: { point in point.number.flatMap { CountBounds.admits(count: $0) ? $0 : nil } },
                problem: "a monotonic sum must be a number from 0 to 2^53", summary: &summary, changed: &touch.counters
            )
        case .histogram(let histogram):
            guard let cumulative = histogram.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: histogram.dataPoints.count)
                return
            }
            let points = withinBucketLimit(histogram.dataPoints, metric: metric.name, summary: &summary) {
                max($0.bucketCounts.count, $0.explicitBounds.count + 1)
            }
            histograms.add(
                points, metric: metric.name, agent: agent, cumulative: cumulative,
                filters: checks.metricFilters[metric.name] ?? [], seriesLimit: seriesLeft(agent: agent), value: \.counts,
                problem: "bucket_counts must have one more entry than increasing, finite explicit_bounds",
                summary: &summary, changed: &touch.histograms
            )
        case .exponentialHistogram(let histogram):
            guard let cumulative = histogram.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: histogram.dataPoints.count)
                return
            }
            let limit = limits.histogramBuckets
            // Its positive buckets and the one below them, before it is put on the grid.
            let points = withinBucketLimit(histogram.dataPoints, metric: metric.name, summary: &summary) { $0.positive.bucketCounts.count + 1 }
            histograms.add(
                points, metric: metric.name, agent: agent, cumulative: cumulative,
                filters: checks.metricFilters[metric.name] ?? [], seriesLimit: seriesLeft(agent: agent),
                value: { point in point.counts.flatMap { $0.counts.count <= limit ? $0 : nil } },
                problem: "an exponential histogram's scale must be from -10 to 20, its buckets within 2^±64 and \(limit) grid buckets, its counts up to 2^53",
                summary: &summary, changed: &touch.histograms
            )
        default:
            summary.ignored += metric.pointCount
        }
    }
}
