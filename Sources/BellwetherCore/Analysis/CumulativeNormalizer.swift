/// Turns cumulative counters and histograms, as agents export them, into per-agent increases.
///
/// A value lower than the agent's previous one means the counter was reset (the agent restarted):
/// the new value counts from zero, so it is the increase. A histogram resets when its count or
/// any bucket goes down, or when its bucket bounds change. An agent's first value counts from
/// zero as well (the agent is taken to have started within the window, as in a replay); sources
/// that join agents mid-life pass `firstValue: .reference` to use it only as the starting point.
/// A metric that first appears on an agent already known counts from zero either way:
/// OpenTelemetry exports a counter only once something was added to it, so its first value is
/// all there is (the first enrichment failure must not be taken for a starting point).
public struct CumulativeNormalizer: Sendable {
    public enum FirstValue: Sendable {
        /// The first value is the increase since the agent started.
        case countsFromZero
        /// The first value only sets the starting point.
        case reference
    }

    private struct Series: Sendable {
        var time: Double
        var counters: [String: Double] = [:]
        /// When each counter was last reported: a sample without it leaves it behind `time`.
        var counterTimes: [String: Double] = [:]
        var histograms: [String: HistogramCounts] = [:]
    }

    public let firstValue: FirstValue
    private var series: [String: Series] = [:]

    public init(firstValue: FirstValue = .countsFromZero) {
        self.firstValue = firstValue
    }

    /// The increases since this agent's previous observation. Span counts are deltas already and
    /// pass through.
    public mutating func sample(
        agent: String,
        cohort: CohortRole,
        time: Double,
        counters: [String: Double],
        spans: [String: SpanCounts],
        histograms: [String: HistogramCounts]
    ) -> AgentSample {
        let previousTime = series[agent]?.time
        var sample = AgentSample(
            agent: agent, cohort: cohort, time: time,
            coveredSeconds: previousTime.map { time - $0 }, spans: spans
        )
        let known = previousTime != nil
        // Updated in place: copying an agent's series on every sample would dominate a replay.
        series[agent, default: Series(time: time)].time = time
        for (name, value) in counters {
            if let last = series[agent]?.counters[name] {
                sample.counters[name] = value >= last ? value - last : value
                if let since = series[agent]?.counterTimes[name], since != previousTime {
                    sample.counterSeconds[name] = time - since
                }
            } else if known || firstValue == .countsFromZero {
                sample.counters[name] = value
            }
            series[agent, default: Series(time: time)].counters[name] = value
            series[agent, default: Series(time: time)].counterTimes[name] = time
        }
        for (name, histogram) in histograms {
            if let last = series[agent]?.histograms[name] {
                sample.histograms[name] = Self.increase(from: last, to: histogram)
            } else if known || firstValue == .countsFromZero {
                sample.histograms[name] = histogram
            }
            series[agent, default: Series(time: time)].histograms[name] = histogram
        }
        return sample
    }

    /// The increase from one cumulative histogram to the next: `now` itself when it was reset (a
    /// count or bucket went down, or the bounds changed). Public for receivers that accumulate
    /// cumulative series themselves (the OTLP receiver).
    public static func increase(from last: HistogramCounts, to now: HistogramCounts) -> HistogramCounts {
        // An exponential histogram's stretch of the grid only grows while its counts do.
        if last.bounds != now.bounds, let stretch = ExponentialBucketGrid.stretch(of: now.bounds), let widened = last.widened(to: stretch) {
            return increase(from: widened, to: now)
        }
        let reset = last.bounds != now.bounds || now.count < last.count
            || zip(now.counts, last.counts).contains { $0 < $1 }
        if reset { return now }
        return HistogramCounts(
            bounds: now.bounds,
            counts: zip(now.counts, last.counts).map { $0 - $1 },
            count: now.count - last.count,
            sum: now.sum - last.sum
        )
    }
}
