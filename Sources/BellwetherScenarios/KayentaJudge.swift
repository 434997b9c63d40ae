import BellwetherCore

/// A judge in the manner of Netflix's Kayenta (the NetflixACAJudge with its Mann–Whitney
/// classifier), for one ratio metric.
///
/// Kayenta compares the canary's and the baseline's *time series*: each cohort's metric per
/// step of the series, here the cohort's failure ratio over each analysis interval (intervals
/// with no records on a side are NaN and dropped, as Kayenta's data cleaning does). Every
/// `everyIntervals` intervals (an analysis run over the data so far), the canary series is
/// classified High when the Mann–Whitney test says it is larger at Kayenta's confidence level
/// (its classifier's 98% two-sided interval, so 1% on the side that matters) and the effect
/// size, mean canary over mean baseline, exceeds 1 + tolerance. With one metric the canary
/// score is then 0, below any marginal threshold, and the canary fails. Its calibrated variant
/// is the same judge at another level, found by `FalseAlarmCalibration` from `smallestPValue`
/// on A/A streams.
public struct KayentaJudge: SequentialJudge {
    public var tolerance: Double
    public var alpha: Double
    public var everyIntervals: Int
    private var counts = CohortIntervalCounts()
    /// The smallest Mann–Whitney p-value so far at a look whose effect-size gate held (1 before
    /// any): the judge alarms at level a exactly when this falls below a, so one run at level 0
    /// over a whole bake says which levels would have alarmed on the stream.
    public private(set) var smallestPValue = 1.0

    public init(tolerance: Double, alpha: Double = 0.01, everyIntervals: Int = 10) {
        self.tolerance = tolerance
        self.alpha = alpha
        self.everyIntervals = everyIntervals
    }

    public mutating func ingest(_ sample: AgentSample, interval: Int) {
        counts.add(sample, interval: interval)
    }

    public mutating func evaluate(_ index: Int, time: Double) -> JudgeStep {
        guard index % everyIntervals == 0 else { return .keepWatching }
        let observed = counts.intervals.prefix(index)
        let canary = observed.compactMap(\.canary.rate)
        let baseline = observed.compactMap(\.baseline.rate)
        guard !canary.isEmpty, !baseline.isEmpty else { return .keepWatching }
        let canaryMean = canary.reduce(0, +) / Double(canary.count)
        let baselineMean = baseline.reduce(0, +) / Double(baseline.count)
        guard canaryMean > baselineMean * (1 + tolerance) else { return .keepWatching }
        let p = MannWhitneyTest.upperTailPValue(canary, baseline)
        smallestPValue = min(smallestPValue, p)
        return p < alpha ? .alarm : .keepWatching
    }
}
