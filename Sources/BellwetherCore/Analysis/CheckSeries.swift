/// One check's data: what agents sent, per evaluation interval and per agent, and the running
/// comparison folded from the intervals evaluated so far.
///
/// Folding is incremental, so each look costs the same however long the step has baked. A
/// histogram check's threshold follows the baseline's quantile; when it moves to another bucket
/// bound, the comparison is folded again from the stored buckets.
struct CheckSeries: Sendable {
    let check: Check
    /// counts[j][agent]: event counts of ratio, spans and rate checks.
    private(set) var counts: [[String: EventCounts]] = []
    /// buckets[j][agent]: bucket increases of histogram checks.
    private(set) var buckets: [[String: HistogramCounts]] = []
    private(set) var folded = FoldedComparison()
    private(set) var histograms = PooledHistograms()

    /// Where a `spans` check's counts are (see `Check.spanKey`), computed once.
    private let spanKey: String

    init(check: Check) {
        self.check = check
        spanKey = check.spanKey ?? ""
    }

    mutating func add(_ sample: AgentSample, interval: Int) {
        switch check.kind {
        case .ratio(let numerator, let denominator):
            // An OpenTelemetry counter is exported only once something was added to it, so a
            // missing numerator beside a present denominator means zero events.
            guard let records = sample.counters[check.metricKey(denominator)] else { return }
            add(EventCounts(events: sample.counters[check.metricKey(numerator)] ?? 0, exposure: records), for: sample.agent, interval: interval)
        case .spans(let name, _):
            // A replay file may carry spans by name only, classified by whoever recorded them.
            guard let spans = sample.spans[spanKey] ?? sample.spans[name] else { return }
            add(EventCounts(events: spans.failed, exposure: spans.total), for: sample.agent, interval: interval)
        case .rate(let metric):
            guard let increase = sample.counters[check.metricKey(metric)], let seconds = sample.coveredSeconds, seconds > 0 else { return }
            add(EventCounts(events: increase, exposure: seconds), for: sample.agent, interval: interval)
        case .histogram(let metric, _):
            guard let histogram = sample.histograms[check.metricKey(metric)] else { return }
            while buckets.count <= interval { buckets.append([:]) }
            buckets[interval][sample.agent] = buckets[interval][sample.agent].map { $0.adding(histogram) } ?? histogram
        }
    }

    private mutating func add(_ value: EventCounts, for agent: String, interval: Int) {
        while counts.count <= interval { counts.append([:]) }
        counts[interval][agent, default: EventCounts()] += value
    }

    /// Brings the comparison up to the first `intervals` intervals. `threshold` picks a
    /// histogram check's threshold from the baseline's pooled histogram (nil: none can be set).
    mutating func fold(
        through intervals: Int,
        cohortOf: [String: CohortRole],
        threshold: (HistogramCounts) -> HistogramThreshold?
    ) {
        if intervals < folded.intervals || intervals < histograms.intervals {
            folded = FoldedComparison()
            histograms = PooledHistograms()
        }
        guard case .histogram = check.kind else {
            while folded.intervals < intervals {
                folded.add(folded.intervals < counts.count ? counts[folded.intervals] : [:], cohortOf: cohortOf)
            }
            return
        }
        while histograms.intervals < intervals {
            histograms.add(histograms.intervals < buckets.count ? buckets[histograms.intervals] : [:], cohortOf: cohortOf)
        }
        let wanted = histograms.baseline.flatMap(threshold)
        if wanted != folded.threshold {
            folded = FoldedComparison(threshold: wanted)
        }
        guard let wanted, case .histogram(_, let quantile) = check.kind else { return }
        let reference = wanted.above ? 1 - quantile : quantile
        while folded.intervals < intervals {
            let agents = folded.intervals < buckets.count ? buckets[folded.intervals] : [:]
            folded.add(agents.compactMapValues { wanted.counts(in: $0) }, cohortOf: cohortOf, referenceRate: reference)
        }
    }
}

/// The comparison folded so far: the sequential test and every agent's totals.
struct FoldedComparison: Sendable {
    var intervals = 0
    var threshold: HistogramThreshold?
    var test = SequentialRateRatioTest()
    var canaryAgents: [String: EventCounts] = [:]
    var baselineAgents: [String: EventCounts] = [:]

    /// Folds one interval. With a reference rate, the canary is compared with that known rate
    /// (a baseline of a million times its exposure at exactly that rate) instead of the baseline.
    mutating func add(_ agents: [String: EventCounts], cohortOf: [String: CohortRole], referenceRate: Double? = nil) {
        var pair = IntervalPair(canary: EventCounts(), baseline: EventCounts())
        for (agent, counts) in agents {
            switch cohortOf[agent] {
            case .canary?:
                pair.canary += counts
                canaryAgents[agent, default: EventCounts()] += counts
            case .baseline?:
                pair.baseline += counts
                baselineAgents[agent, default: EventCounts()] += counts
            case nil:
                continue
            }
        }
        if let referenceRate {
            let exposure = pair.canary.exposure * 1e6
            pair.baseline = EventCounts(events: referenceRate * exposure, exposure: exposure)
        }
        test.append(pair)
        intervals += 1
    }
}

/// Each cohort's histogram pooled over the intervals folded so far, and who reported.
struct PooledHistograms: Sendable {
    var intervals = 0
    var canary: HistogramCounts?
    var baseline: HistogramCounts?
    var canaryAgents: Set<String> = []
    var baselineAgents: Set<String> = []

    mutating func add(_ agents: [String: HistogramCounts], cohortOf: [String: CohortRole]) {
        for (agent, histogram) in agents {
            switch cohortOf[agent] {
            case .canary?:
                canary = canary.map { $0.adding(histogram) } ?? histogram
                canaryAgents.insert(agent)
            case .baseline?:
                baseline = baseline.map { $0.adding(histogram) } ?? histogram
                baselineAgents.insert(agent)
            case nil:
                continue
            }
        }
        intervals += 1
    }
}

/// The bucket bound a histogram check tests at: the share of canary observations beyond it is
/// compared with the share the quantile allows.
struct HistogramThreshold: Sendable, Hashable {
    var bounds: [Double]
    var boundIndex: Int
    var above: Bool
    var value: Double { bounds[boundIndex] }

    /// Observations beyond the threshold over observations, for a histogram with these bounds.
    func counts(in histogram: HistogramCounts) -> EventCounts? {
        guard histogram.bounds == bounds else { return nil }
        let beyond = above ? histogram.countAbove(boundIndex: boundIndex) : histogram.countAtOrBelow(boundIndex: boundIndex)
        return EventCounts(events: beyond, exposure: histogram.counts.reduce(0, +))
    }
}
