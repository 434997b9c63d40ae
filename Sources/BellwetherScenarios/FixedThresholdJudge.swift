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
/// benchmark uses as deployed. Nothing here controls false alarms over repeated looks: that is
/// the point of comparing against it. Its calibrated variant is the same judge with a higher
/// limit, found by `FalseAlarmCalibration` from `failedIntervals` on A/A streams.
public struct FixedThresholdJudge: SequentialJudge {
    public var tolerance: Double
    public var failureLimit: Int
    public var minimumRecords: Double
    private var counts = CohortIntervalCounts()
    /// Intervals failed so far: with an unreachable limit, the count over a whole bake, which
    /// says at once which limits would have alarmed on the stream.
    public private(set) var failedIntervals = 0

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
        if canary > baseline * (1 + tolerance) { failedIntervals += 1 }
        return failedIntervals >= failureLimit ? .alarm : .keepWatching
    }
}
