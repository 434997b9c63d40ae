import BellwetherCore
import BellwetherScenarios

/// The reference judges tuned to Bellwether's alpha on one A/A fleet: the smallest
/// failed-interval limit of the fixed threshold and the largest Mann–Whitney level of the
/// Kayenta-style judge that alarm on at most alpha of the fleet's calibration streams.
///
/// As deployed, both judges alarm on most healthy canaries, so their speed on a regression says
/// nothing. Tuned to the same false-alarm rate as Bellwether, their speed is the price of their
/// method rather than of their recklessness. The tuning sees only calibration streams (seeds of
/// their own, `StreamSeeds.calibration`); the judges are scored on the reported streams.
///
/// Tuned on healthy streams, a judge answers "is the canary worse at all?", an easier question
/// than Bellwether's "is it worse than the tolerance?", and alarms too often on a canary exactly
/// at the tolerated ratio. Tuned `atTolerance` (the canary worse by exactly the tolerance, where
/// every alarm is false), it answers Bellwether's question at Bellwether's error rate.
struct ReferenceCalibration: Sendable {
    var fleet: FleetScenario
    var atTolerance: Bool
    var cadence: JudgeCadence
    var streams: Int
    var failureLimit: Int
    /// The limit's false alarms on the calibration streams (at most alpha by construction).
    var fixedFalseAlarms: Double
    var level: Double
    /// The level's false alarms on the calibration streams (at most alpha by construction).
    var kayentaFalseAlarms: Double

    /// Whether the fixed threshold with `failureLimit` can alarm within a bake at all.
    var fixedCanAlarm: Bool { failureLimit <= cadence.evaluations }

    static func run(fleet: FleetScenario, fleetIndex: Int, cadence: JudgeCadence, seed: UInt64, streams: Int, atTolerance: Bool = false) async -> ReferenceCalibration {
        var simulated = fleet
        if atTolerance { simulated.effect = .multiply(factor: 1 + fleet.tolerance) }
        let statistics = await ParallelStreams.map(count: streams) { [simulated] stream in
            Self.statistics(simulated, cadence: cadence, seed: StreamSeeds.calibration(seed, fleet: fleetIndex, stream: stream, atTolerance: atTolerance))
        }
        let failed = statistics.map(\.failedIntervals)
        let pValues = statistics.map(\.smallestPValue)
        let limit = FalseAlarmCalibration.smallestFailureLimit(failedIntervals: failed, rate: StreamTrial.alpha)
        let level = FalseAlarmCalibration.largestLevel(smallestPValues: pValues, rate: StreamTrial.alpha)
        return ReferenceCalibration(
            fleet: fleet,
            atTolerance: atTolerance,
            cadence: cadence,
            streams: streams,
            failureLimit: limit,
            fixedFalseAlarms: FalseAlarmCalibration.falseAlarmRate(failedIntervals: failed, limit: limit),
            level: level,
            kayentaFalseAlarms: FalseAlarmCalibration.falseAlarmRate(smallestPValues: pValues, level: level)
        )
    }

    /// Both judges watch one A/A stream for the whole bake with settings that never alarm, and
    /// report the statistic that says which settings would have.
    private static func statistics(_ fleet: FleetScenario, cadence: JudgeCadence, seed: UInt64) -> (failedIntervals: Int, smallestPValue: Double) {
        let samples = FleetSimulation(scenario: fleet).stream(seed: seed).samples()
        var fixed = FixedThresholdJudge(tolerance: fleet.tolerance, failureLimit: .max)
        _ = JudgeDriver.run(&fixed, samples: samples, interval: cadence.interval, evaluations: cadence.evaluations)
        var kayenta = KayentaJudge(tolerance: fleet.tolerance, alpha: 0, everyIntervals: cadence.kayentaEveryIntervals)
        _ = JudgeDriver.run(&kayenta, samples: samples, interval: cadence.interval, evaluations: cadence.evaluations)
        return (fixed.failedIntervals, kayenta.smallestPValue)
    }
}
