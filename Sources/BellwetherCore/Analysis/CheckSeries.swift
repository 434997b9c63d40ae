/// One check's data, kept per evaluation interval and per agent so the judge can weigh agents as
/// the unit and re-read histograms at a threshold chosen later.
struct CheckSeries: Sendable {
    let check: Check
    /// intervals[j][agent]: event counts of ratio, spans and rate checks.
    private(set) var counts: [[String: EventCounts]] = []
    /// intervals[j][agent]: bucket increases of histogram checks.
    private(set) var buckets: [[String: HistogramCounts]] = []

    init(check: Check) {
        self.check = check
    }

    mutating func add(_ sample: AgentSample, interval: Int) {
        switch check.kind {
        case .ratio(let numerator, let denominator):
            // An OpenTelemetry counter is exported only once something was added to it, so a
            // missing numerator beside a present denominator means zero events.
            guard let records = sample.counters[denominator] else { return }
            add(EventCounts(events: sample.counters[numerator] ?? 0, exposure: records), for: sample.agent, interval: interval)
        case .spans(let name, _):
            guard let spans = sample.spans[name] else { return }
            add(EventCounts(events: spans.failed, exposure: spans.total), for: sample.agent, interval: interval)
        case .rate(let metric):
            guard let increase = sample.counters[metric], let seconds = sample.coveredSeconds, seconds > 0 else { return }
            add(EventCounts(events: increase, exposure: seconds), for: sample.agent, interval: interval)
        case .histogram(let metric, _):
            guard let histogram = sample.histograms[metric] else { return }
            while buckets.count <= interval { buckets.append([:]) }
            if let existing = buckets[interval][sample.agent], existing.bounds == histogram.bounds {
                buckets[interval][sample.agent] = HistogramCounts(
                    bounds: histogram.bounds,
                    counts: zip(existing.counts, histogram.counts).map { $0 + $1 },
                    count: existing.count + histogram.count,
                    sum: existing.sum + histogram.sum
                )
            } else {
                buckets[interval][sample.agent] = histogram
            }
        }
    }

    private mutating func add(_ value: EventCounts, for agent: String, interval: Int) {
        while counts.count <= interval { counts.append([:]) }
        counts[interval][agent, default: EventCounts()] += value
    }

    /// Event counts of the first `intervals` intervals, with histograms read as "observations
    /// beyond `threshold`" over observations (`above` for `worseWhen: higher`).
    func eventCounts(intervals: Int, threshold: HistogramThreshold? = nil) -> [[String: EventCounts]] {
        guard let threshold else { return Array(counts.prefix(intervals)) }
        return buckets.prefix(intervals).map { agents in
            agents.compactMapValues { histogram in
                guard histogram.bounds == threshold.bounds else { return nil }
                let beyond = threshold.above
                    ? histogram.countAbove(boundIndex: threshold.boundIndex)
                    : histogram.countAtOrBelow(boundIndex: threshold.boundIndex)
                return EventCounts(events: beyond, exposure: histogram.counts.reduce(0, +))
            }
        }
    }

    /// Pooled bucket counts of one cohort over the first `intervals` intervals.
    func pooledHistogram(intervals: Int, agents: Set<String>) -> HistogramCounts? {
        var pooled: HistogramCounts?
        for interval in buckets.prefix(intervals) {
            for (agent, histogram) in interval where agents.contains(agent) {
                guard let current = pooled else { pooled = histogram; continue }
                guard current.bounds == histogram.bounds else { continue }
                pooled = HistogramCounts(
                    bounds: current.bounds,
                    counts: zip(current.counts, histogram.counts).map { $0 + $1 },
                    count: current.count + histogram.count,
                    sum: current.sum + histogram.sum
                )
            }
        }
        return pooled
    }
}

/// The bucket bound a histogram check tests at: the share of canary observations beyond it is
/// compared with the share the quantile allows.
struct HistogramThreshold: Sendable, Hashable {
    var bounds: [Double]
    var boundIndex: Int
    var above: Bool
    var value: Double { bounds[boundIndex] }
}
