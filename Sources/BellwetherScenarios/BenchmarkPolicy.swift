import BellwetherCore

/// The policy every benchmark and calibration run judges with: one enrichment-failure-ratio
/// check, rollback on failure, halt on missing data, as `policies/` examples guard a collector.
public enum BenchmarkPolicy {
    public static let checkName = "enrichment-failure-ratio"

    /// - Parameters: the check's relative tolerance, the policy's alpha, the analysis interval and
    ///   the first step's bake time, in seconds, and the check's design factor (nil: the default).
    public static func make(tolerance: Double = 0.10, alpha: Double = 0.01, interval: Double = 30, bake: Double = 3_600, designFactor: Double? = nil) -> Policy {
        Policy(
            name: "decision-benchmark",
            steps: [
                RolloutStep(cohort: "canary", percent: 10, bakeSeconds: bake),
                RolloutStep(cohort: "all", percent: 100),
            ],
            analysis: AnalysisSpec(
                intervalSeconds: interval,
                alpha: alpha,
                checks: [
                    Check(
                        name: checkName,
                        kind: .ratio(numerator: FleetMetrics.failures, denominator: FleetMetrics.records),
                        worseWhen: .higher,
                        tolerance: Tolerance(relative: tolerance),
                        onFail: .rollback,
                        designFactor: designFactor
                    ),
                ],
                onNoData: .halt
            )
        )
    }
}
