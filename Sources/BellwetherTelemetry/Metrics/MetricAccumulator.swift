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
/// - series with different attributes (`record.type=invoice`, `record.type=order`) add up; a check
///   that filters by attribute is a later step;
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
    private var counters = SeriesTotals<Double>()
    private var histograms = SeriesTotals<HistogramCounts>()

    public init(attribution: AgentAttribution = AgentAttribution()) {
        self.attribution = attribution
    }

    /// The observations `request` makes, one per agent, stamped `time` (when it was received: the
    /// controller's clock, not the agents', decides which interval data falls in), reporting the
    /// running totals of the metrics the request touched.
    public mutating func ingest(_ request: OTLPExportMetricsServiceRequest, at time: Double) -> (observations: [AgentObservation], summary: IngestSummary) {
        var summary = IngestSummary()
        var touched = AgentGroups<AgentTouch>()
        for resourceMetrics in request.resourceMetrics {
            guard let identity = attribution.identity(of: resourceMetrics.resource) else {
                summary.unattributed += resourceMetrics.scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.pointCount } }
                continue
            }
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

    /// What one request changed for one agent.
    private struct AgentTouch {
        var version: String?
        var counters: Set<String> = []
        var histograms: Set<String> = []
    }

    private mutating func ingest(_ metric: OTLPMetric, agent: String, touch: inout AgentTouch, summary: inout IngestSummary) {
        switch metric.data {
        case .sum(let sum) where sum.isMonotonic:
            guard let cumulative = sum.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: sum.dataPoints.count)
                return
            }
            let changed = counters.add(
                sum.dataPoints, metric: metric.name, agent: agent, cumulative: cumulative,
                value: { point in point.number.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } },
                problem: "a monotonic sum must be a finite number ≥ 0", summary: &summary
            )
            if changed { touch.counters.insert(metric.name) }
        case .histogram(let histogram):
            guard let cumulative = histogram.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: histogram.dataPoints.count)
                return
            }
            let changed = histograms.add(
                histogram.dataPoints, metric: metric.name, agent: agent, cumulative: cumulative, value: \.counts,
                problem: "bucket_counts must have one more entry than increasing, finite explicit_bounds", summary: &summary
            )
            if changed { touch.histograms.insert(metric.name) }
        default:
            summary.ignored += metric.pointCount
        }
    }
}
