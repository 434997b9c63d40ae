import BellwetherCore

/// The judge Argo Rollouts' and Flagger's metric analyses amount to for a ratio: each interval,
/// the canary's failure ratio over that interval's data is compared with the baseline's times
/// (1 + tolerance); an interval with fewer than `minimumRecords` records on either side is
/// skipped (no verdict, as a query guarded by a minimum request count returns nothing); the
/// canary fails once `failureLimit` intervals have failed in total.
///
/// Argo's `failureLimit` counts failed measurements in total and fails the analysis when the
/// count exceeds it; Flagger's `threshold` (default 5 in its docs' examples) is likewise a
/// total of failed checks. Three failed intervals is a common production setting and is what the
/// benchmark uses. Nothing here controls false alarms over repeated looks: that is the point of
/// comparing against it.
public struct FixedThresholdJudge: SequentialJudge {
    public var tolerance: Double
    public var failureLimit: Int
    public var minimumRecords: Double
    private var counts = CohortIntervalCounts()
    private var failed = 0

    public init(tolerance: Double, failureLimit: Int = 3, minimumRecords: Double = 100) {
        self.tolerance = tolerance
        self.failureLimit = failureLimit
        self.minimumRecords = minimumRecords
    }

    public mutating func ingest(_ sample: AgentSample, interval: Int) {
        counts.add(sample, interval: interval)
    }

    public mutating func evaluate(_ index: Int, time: Double) -> JudgeStep {
        guard index - 1 < counts.intervals.count else { return .keepWatching }
        let pair = counts.intervals[index - 1]
        guard pair.canary.exposure >= minimumRecords, pair.baseline.exposure >= minimumRecords,
              let canary = pair.canary.rate, let baseline = pair.baseline.rate
        else { return .keepWatching }
        if canary > baseline * (1 + tolerance) { failed += 1 }
        return failed >= failureLimit ? .alarm : .keepWatching
    }
}
