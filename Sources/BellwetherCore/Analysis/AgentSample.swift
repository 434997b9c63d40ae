/// Which side of the comparison an agent's data counts for.
public enum CohortRole: String, Sendable, Hashable, Codable, CaseIterable {
    case canary
    case baseline
}

/// What one agent did since its previous sample: counter increases, span counts and histogram
/// bucket increases. The unit the decision engine consumes, whatever the source (a replay file's
/// cumulative lines, the embedded OTLP store, Prometheus).
public struct AgentSample: Sendable, Hashable {
    public var agent: String
    public var cohort: CohortRole
    /// When the sample was taken, in seconds since the Unix epoch.
    public var time: Double
    /// Seconds this sample covers; nil when the start is unknown (an agent's first report).
    public var coveredSeconds: Double?
    public var counters: [String: Double]
    /// Seconds a counter's increase covers where that is not `coveredSeconds`: the counter was
    /// last reported before the agent's previous sample. An SDK exports spans and metrics apart,
    /// so a sample of spans alone comes between two of the counters, and a rate over the time
    /// since the agent's previous sample would count the counter's increase over too short a time.
    public var counterSeconds: [String: Double]
    public var spans: [String: SpanCounts]
    public var histograms: [String: HistogramCounts]

    public init(
        agent: String,
        cohort: CohortRole,
        time: Double,
        coveredSeconds: Double? = nil,
        counters: [String: Double] = [:],
        counterSeconds: [String: Double] = [:],
        spans: [String: SpanCounts] = [:],
        histograms: [String: HistogramCounts] = [:]
    ) {
        self.agent = agent
        self.cohort = cohort
        self.time = time
        self.coveredSeconds = coveredSeconds
        self.counters = counters
        self.counterSeconds = counterSeconds
        self.spans = spans
        self.histograms = histograms
    }
}

extension AgentSample {
    /// Seconds the increase of `counter` covers; nil when the sample has no increase of it or
    /// its start is unknown.
    public func seconds(of counter: String) -> Double? {
        guard counters[counter] != nil else { return nil }
        return counterSeconds[counter] ?? coveredSeconds
    }

    /// This sample and a later one of the same agent as one: counters and span counts summed
    /// over both, covering both stretches of time. Histograms are dropped (buckets of different
    /// bounds cannot be summed blindly, and only counting checks take history).
    public func adding(_ later: AgentSample) -> AgentSample {
        AgentSample(
            agent: agent, cohort: later.cohort, time: later.time,
            coveredSeconds: (coveredSeconds ?? 0) + (later.coveredSeconds ?? 0),
            counters: counters.merging(later.counters, uniquingKeysWith: +),
            counterSeconds: Dictionary(uniqueKeysWithValues: Set(counters.keys).union(later.counters.keys).map { name in
                (name, (seconds(of: name) ?? 0) + (later.seconds(of: name) ?? 0))
            }),
            spans: spans.merging(later.spans) { SpanCounts(total: $0.total + $1.total, failed: $0.failed + $1.failed) }
        )
    }
}

/// Finished spans of one name and how many of them failed.
public struct SpanCounts: Sendable, Hashable, Codable {
    public var total: Double
    public var failed: Double

    public init(total: Double, failed: Double) {
        self.total = total
        self.failed = failed
    }
}

/// Explicit-bucket histogram counts, as OTLP: `counts` has `bounds.count + 1` entries, the last
/// for values above the last bound. Cumulative or a delta, depending on where it is used.
public struct HistogramCounts: Sendable, Hashable, Codable {
    public var bounds: [Double]
    public var counts: [Double]
    public var count: Double
    public var sum: Double

    public init(bounds: [Double], counts: [Double], count: Double, sum: Double) {
        self.bounds = bounds
        self.counts = counts
        self.count = count
        self.sum = sum
    }

    /// The `q` quantile, interpolated linearly within its bucket as Prometheus'
    /// `histogram_quantile` does; nil for an empty histogram.
    public func quantile(_ q: Double) -> Double? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = q * total
        var seen = 0.0
        for (index, count) in counts.enumerated() {
            if seen + count >= rank, count > 0 {
                let lower = index == 0 ? min(0, bounds.first ?? 0) : bounds[index - 1]
                guard index < bounds.count else { return bounds.last ?? 0 }
                let upper = bounds[index]
                return lower + (upper - lower) * (rank - seen) / count
            }
            seen += count
        }
        return bounds.last
    }

    /// The sum of two histograms with the same bounds, or on stretches of `ExponentialBucketGrid`
    /// (widened to one); `other` alone when the bounds differ otherwise (a re-bucketed series
    /// starts again).
    public func adding(_ other: HistogramCounts) -> HistogramCounts {
        guard other.bounds == bounds else {
            guard let (mine, theirs) = aligned(with: other) else { return other }
            return mine.adding(theirs)
        }
        return HistogramCounts(
            bounds: bounds,
            counts: zip(counts, other.counts).map { $0 + $1 },
            count: count + other.count,
            sum: sum + other.sum
        )
    }

    /// Observations above `value`, reading each bucket as spread evenly between its bounds (the
    /// assumption `histogram_quantile` makes, and `quantile` here): a threshold between two bounds
    /// takes its share of the bucket it falls in instead of being moved to a bound. Values in the
    /// bucket above the last bound are all above any `value` up to that bound.
    public func countAbove(_ value: Double) -> Double {
        var above = 0.0
        for (index, count) in counts.enumerated() where count > 0 {
            let lower = index == 0 ? min(0, bounds.first ?? 0) : bounds[index - 1]
            let upper = index < bounds.count ? bounds[index] : Double.infinity
            if value <= lower {
                above += count
            } else if value < upper, upper.isFinite {
                above += count * (upper - value) / (upper - lower)
            }
        }
        return above
    }
}
