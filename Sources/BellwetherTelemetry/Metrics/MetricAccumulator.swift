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
    private struct CounterSeries: Sendable {
        var start: UInt64
        var time: UInt64
        var value: Double
    }

    private struct HistogramSeries: Sendable {
        var start: UInt64
        var time: UInt64
        var value: HistogramCounts
    }

    public var attribution: AgentAttribution
    private var counterSeries: [SeriesKey: CounterSeries] = [:]
    private var histogramSeries: [SeriesKey: HistogramSeries] = [:]
    private var counterTotals: [AgentMetric: Double] = [:]
    private var histogramTotals: [AgentMetric: HistogramCounts] = [:]

    public init(attribution: AgentAttribution = AgentAttribution()) {
        self.attribution = attribution
    }

    /// The observations `request` makes, one per agent, stamped `time` (when it was received: the
    /// controller's clock, not the agents', decides which interval data falls in), reporting the
    /// running totals of the metrics the request touched.
    public mutating func ingest(_ request: OTLPExportMetricsServiceRequest, at time: Double) -> (observations: [AgentObservation], summary: IngestSummary) {
        var summary = IngestSummary()
        var touched: [String: AgentTouch] = [:]
        var order: [String] = []
        for resourceMetrics in request.resourceMetrics {
            guard let identity = attribution.identity(of: resourceMetrics.resource) else {
                summary.unattributed += resourceMetrics.scopeMetrics.reduce(0) { $0 + $1.metrics.reduce(0) { $0 + $1.pointCount } }
                continue
            }
            if touched[identity.agent] == nil { order.append(identity.agent) }
            var touch = touched[identity.agent] ?? AgentTouch()
            touch.version = identity.version ?? touch.version
            for scopeMetrics in resourceMetrics.scopeMetrics {
                for metric in scopeMetrics.metrics {
                    ingest(metric, agent: identity.agent, touch: &touch, summary: &summary)
                }
            }
            touched[identity.agent] = touch
        }
        let observations = order.compactMap { agent -> AgentObservation? in
            guard let touch = touched[agent], !touch.counters.isEmpty || !touch.histograms.isEmpty else { return nil }
            return AgentObservation(
                agent: agent, time: time, version: touch.version,
                counters: Dictionary(uniqueKeysWithValues: touch.counters.map { ($0, counterTotals[AgentMetric(agent: agent, metric: $0)] ?? 0) }),
                histograms: Dictionary(uniqueKeysWithValues: touch.histograms.compactMap { name in
                    histogramTotals[AgentMetric(agent: agent, metric: name)].map { (name, $0) }
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
            for point in sum.dataPoints {
                guard point.flags & 1 == 0 else { summary.ignored += 1; continue }
                guard let value = point.number, value.isFinite, value >= 0 else {
                    summary.reject("\(metric.name): a monotonic sum must be a finite number ≥ 0")
                    continue
                }
                let key = SeriesKey(agent: agent, metric: metric.name, attributes: point.attributes)
                guard let increase = counterIncrease(key, point: point, value: value, cumulative: cumulative) else {
                    summary.ignored += 1
                    continue
                }
                counterTotals[AgentMetric(agent: agent, metric: metric.name), default: 0] += increase
                touch.counters.insert(metric.name)
                summary.accepted += 1
            }
        case .histogram(let histogram):
            guard let cumulative = histogram.aggregationTemporality.isCumulative else {
                summary.reject("\(metric.name): aggregation temporality unspecified", count: histogram.dataPoints.count)
                return
            }
            for point in histogram.dataPoints {
                guard point.flags & 1 == 0 else { summary.ignored += 1; continue }
                guard let value = point.counts else {
                    summary.reject("\(metric.name): bucket_counts must have one more entry than increasing, finite explicit_bounds")
                    continue
                }
                let key = SeriesKey(agent: agent, metric: metric.name, attributes: point.attributes)
                guard let increase = histogramIncrease(key, point: point, value: value, cumulative: cumulative) else {
                    summary.ignored += 1
                    continue
                }
                let total = AgentMetric(agent: agent, metric: metric.name)
                histogramTotals[total] = histogramTotals[total].map { $0.adding(increase) } ?? increase
                touch.histograms.insert(metric.name)
                summary.accepted += 1
            }
        default:
            summary.ignored += metric.pointCount
        }
    }

    /// The increase a point adds, nil for a repeat of a point already counted.
    private mutating func counterIncrease(_ key: SeriesKey, point: OTLPNumberDataPoint, value: Double, cumulative: Bool) -> Double? {
        let last = counterSeries[key]
        if let last, last.start == point.startTimeUnixNano, point.timeUnixNano <= last.time, point.timeUnixNano != 0 { return nil }
        counterSeries[key] = CounterSeries(start: point.startTimeUnixNano, time: point.timeUnixNano, value: value)
        guard cumulative, let last, last.start == point.startTimeUnixNano, value >= last.value else { return value }
        return value - last.value
    }

    private mutating func histogramIncrease(
        _ key: SeriesKey, point: OTLPHistogramDataPoint, value: HistogramCounts, cumulative: Bool
    ) -> HistogramCounts? {
        let last = histogramSeries[key]
        if let last, last.start == point.startTimeUnixNano, point.timeUnixNano <= last.time, point.timeUnixNano != 0 { return nil }
        histogramSeries[key] = HistogramSeries(start: point.startTimeUnixNano, time: point.timeUnixNano, value: value)
        guard cumulative, let last, last.start == point.startTimeUnixNano else { return value }
        return CumulativeNormalizer.increase(from: last.value, to: value)
    }
}
