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
    /// Each agent's events and exposure before the step, on the stable version.
    private(set) var historyTotals: [String: EventCounts] = [:]
    /// Fixed at the first fold from `historyTotals`, so every look weighs agents the same way.
    private(set) var history: AgentHistory?

    /// Where a `spans` check's counts are (see `Check.spanKey`), computed once.
    private let spanKey: String

    init(check: Check) {
        self.check = check
        spanKey = check.spanKey ?? ""
    }

    mutating func add(_ sample: AgentSample, interval: Int) {
        guard let counts = eventCounts(of: sample) else {
            if case .histogram(let metric, _) = check.kind, let histogram = sample.histograms[check.metricKey(metric)] {
                while buckets.count <= interval { buckets.append([:]) }
                buckets[interval][sample.agent] = buckets[interval][sample.agent].map { $0.adding(histogram) } ?? histogram
            }
            return
        }
        add(counts, for: sample.agent, interval: interval)
    }

    /// Data from before the step. Histogram checks compare with the baseline's quantile at each
    /// look and take no history.
    mutating func addHistory(_ sample: AgentSample) {
        guard let counts = eventCounts(of: sample) else { return }
        historyTotals[sample.agent, default: EventCounts()] += counts
    }

    /// What a sample adds to a counting check; nil for histogram checks and samples without the data.
    private func eventCounts(of sample: AgentSample) -> EventCounts? {
        switch check.kind {
        case .ratio(let numerator, let denominator):
            // An OpenTelemetry counter is exported only once something was added to it, so a
            // missing numerator beside a present denominator means zero events.
            guard let records = sample.counters[check.metricKey(denominator)] else { return nil }
            return EventCounts(events: sample.counters[check.metricKey(numerator)] ?? 0, exposure: records)
        case .spans(let name, _):
            // A replay file may carry spans by name only, classified by whoever recorded them.
            guard let spans = sample.spans[spanKey] ?? sample.spans[name] else { return nil }
            return EventCounts(events: spans.failed, exposure: spans.total)
        case .rate(let metric):
            let key = check.metricKey(metric)
            guard let increase = sample.counters[key], let seconds = sample.seconds(of: key), seconds > 0 else { return nil }
            return EventCounts(events: increase, exposure: seconds)
        case .histogram:
            return nil
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
            if history == nil { history = AgentHistory(totals: historyTotals) }
            while folded.intervals < intervals {
                folded.add(folded.intervals < counts.count ? counts[folded.intervals] : [:], cohortOf: cohortOf, history: history)
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
    /// Every agent's totals as reported: the values people read.
    var canaryAgents: [String: EventCounts] = [:]
    var baselineAgents: [String: EventCounts] = [:]
    /// The same with each agent's exposure weighed by its own history: what the test compares.
    var adjustedCanaryAgents: [String: EventCounts] = [:]
    var adjustedBaselineAgents: [String: EventCounts] = [:]

    /// Folds one interval. With a reference rate, the canary is compared with that known rate
    /// (a baseline of a million times its exposure at exactly that rate) instead of the baseline.
    /// With a history, each agent's exposure is weighed by its own rate before the step.
    mutating func add(_ agents: [String: EventCounts], cohortOf: [String: CohortRole], referenceRate: Double? = nil, history: AgentHistory? = nil) {
        var pair = IntervalPair(canary: EventCounts(), baseline: EventCounts())
        for (agent, counts) in agents {
            var adjusted = counts
            if let history { adjusted.exposure *= history.multiplier(for: agent) }
            switch cohortOf[agent] {
            case .canary?:
                pair.canary += adjusted
                canaryAgents[agent, default: EventCounts()] += counts
                adjustedCanaryAgents[agent, default: EventCounts()] += adjusted
            case .baseline?:
                pair.baseline += adjusted
                baselineAgents[agent, default: EventCounts()] += counts
                adjustedBaselineAgents[agent, default: EventCounts()] += adjusted
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

/// The value a histogram check tests at: the share of canary observations beyond it is
/// compared with the share the quantile allows. Between bucket bounds, a bucket counts in
/// proportion to the part of it beyond the value.
struct HistogramThreshold: Sendable, Hashable {
    let bounds: [Double]
    let value: Double
    let above: Bool
    /// Whether `bounds` is a stretch of `ExponentialBucketGrid`, found once: the threshold is
    /// applied to every agent's histogram at every fold.
    let onGrid: Bool

    init(bounds: [Double], value: Double, above: Bool) {
        self.bounds = bounds
        self.value = value
        self.above = above
        onGrid = ExponentialBucketGrid.stretch(of: bounds) != nil
    }

    /// Observations beyond the threshold over observations, for a histogram with these bounds.
    func counts(in histogram: HistogramCounts) -> EventCounts? {
        // Stretches of the exponential grid differ by agent, and share every bound they have.
        guard histogram.bounds == bounds || (onGrid && ExponentialBucketGrid.stretch(of: histogram.bounds) != nil) else { return nil }
        let total = histogram.counts.reduce(0, +)
        let beyondAbove = min(total, histogram.countAbove(value))
        return EventCounts(events: above ? beyondAbove : total - beyondAbove, exposure: total)
    }
}
