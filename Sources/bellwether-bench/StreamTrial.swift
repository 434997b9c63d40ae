import BellwetherCore
import BellwetherScenarios

/// One seeded stream of a scenario through every judge: Bellwether's engine, the fixed-threshold
/// and Kayenta-style judges as deployed and as calibrated on the scenario's matched A/A fleet,
/// and the two oracles, each reduced to whether it alarmed and how many canary records had been
/// processed by then.
struct StreamTrial: Sendable {
    /// A judge's result on one stream: nil records when it did not alarm.
    struct Result: Sendable {
        var alarmRecords: Int?
        var alarmed: Bool { alarmRecords != nil }
    }

    var engine: Result
    var enginePromoted: Bool
    var fixedThreshold: Result
    var fixedCalibrated: Result
    var kayenta: Result
    var kayentaCalibrated: Result
    /// The Kayenta-style judge at alpha split evenly over its looks (Bonferroni): the strictest
    /// setting one can choose without having watched the fleet, as a deployment would.
    var kayentaBonferroni: Result
    /// Both reference judges tuned with the canary at the tolerated ratio: Bellwether's question
    /// at Bellwether's false-alarm rate.
    var fixedAtTolerance: Result
    var kayentaAtTolerance: Result
    var oracle: Result
    /// The oracle's alarm moved to the first boundary at or after it: the best a judge that
    /// looks every interval could do, knowing what the oracle knows.
    var oracleAtLooks: Result
    /// The two-sample oracle (`TwoSampleOracle`): what learning the baseline's level costs any
    /// judge, continuous and evaluated at the looks.
    var twoSample: Result
    var twoSampleAtLooks: Result

    static let alpha = 0.01
    /// The A/A oracle's alternative, as a multiple of the null: only its false alarms are reported.
    static let aaAlternative = 2.0

    /// - Parameters:
    ///   - usesHistory: whether judges get each agent's data from before the step (only
    ///     Bellwether's engine uses it).
    ///   - designFactor: Bellwether's check's design factor (nil: the policy default).
    init(
        scenario: FleetScenario, calibration: ReferenceCalibration, toleratedCalibration: ReferenceCalibration,
        cadence: JudgeCadence, seed: UInt64, usesHistory: Bool = true, designFactor: Double? = nil
    ) {
        let stream = FleetSimulation(scenario: scenario).stream(seed: seed)
        let samples = stream.samples()
        let history = usesHistory ? stream.history : []
        func watch<Judge: SequentialJudge>(_ judge: inout Judge) -> Result {
            Self.result(JudgeDriver.run(&judge, samples: samples, history: history, interval: cadence.interval, evaluations: cadence.evaluations), stream)
        }

        var engineJudge = EngineJudge(policy: BenchmarkPolicy.make(tolerance: scenario.tolerance, alpha: Self.alpha, interval: cadence.interval, bake: cadence.bake, designFactor: designFactor))
        engine = watch(&engineJudge)
        enginePromoted = engineJudge.decision?.decision == .promote

        var fixed = FixedThresholdJudge(tolerance: scenario.tolerance)
        fixedThreshold = watch(&fixed)
        var fixedTuned = FixedThresholdJudge(tolerance: scenario.tolerance, failureLimit: calibration.failureLimit)
        fixedCalibrated = watch(&fixedTuned)
        var fixedTolerated = FixedThresholdJudge(tolerance: scenario.tolerance, failureLimit: toleratedCalibration.failureLimit)
        fixedAtTolerance = watch(&fixedTolerated)

        let every = cadence.kayentaEveryIntervals
        var kayentaJudge = KayentaJudge(tolerance: scenario.tolerance, everyIntervals: every)
        kayenta = watch(&kayentaJudge)
        var kayentaTuned = KayentaJudge(tolerance: scenario.tolerance, alpha: calibration.level, everyIntervals: every)
        kayentaCalibrated = watch(&kayentaTuned)
        var kayentaSplit = KayentaJudge(tolerance: scenario.tolerance, alpha: Self.alpha / Double(cadence.kayentaLooks), everyIntervals: every)
        kayentaBonferroni = watch(&kayentaSplit)
        var kayentaTolerated = KayentaJudge(tolerance: scenario.tolerance, alpha: toleratedCalibration.level, everyIntervals: every)
        kayentaAtTolerance = watch(&kayentaTolerated)

        let grid = IntervalGrid(start: samples.first?.time ?? scenario.start, interval: cadence.interval)
        var oracleRandom = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5EED_0F0_0AC1E))
        // Within tolerance, the oracle tests the tolerated rate against twice it: only its false
        // alarms are reported.
        let tolerated: Double? = switch scenario.effect {
        case .none: 1
        case .multiply(let factor) where factor <= 1 + scenario.tolerance + 1e-9: factor
        default: nil
        }
        let wald = WaldOracle(alpha: Self.alpha, beta: Self.alpha).run(
            stream.canaryReports.filter { $0.time <= grid.boundary(cadence.evaluations) },
            alternativeFactor: tolerated.map { _ in Self.aaAlternative },
            nullFactor: tolerated ?? 1,
            random: &oracleRandom
        )
        oracle = Result(alarmRecords: wald.alarmed ? wald.records : nil)
        oracleAtLooks = Result(alarmRecords: wald.alarmed ? wald.time.map { stream.canaryRecords(atFirstLookFrom: $0, on: grid) } : nil)

        var twoSampleRandom = SplitMix64(seed: SplitMix64.mix(seed ^ 0x7305_A3B1_E0AC))
        let pair = TwoSampleOracle(alpha: Self.alpha, beta: Self.alpha).run(
            stream, grid: grid, looks: cadence.evaluations,
            alternativeFactor: tolerated.map { _ in Self.aaAlternative }, nullFactor: tolerated ?? 1,
            random: &twoSampleRandom
        )
        twoSample = Result(alarmRecords: pair.alarmRecords)
        twoSampleAtLooks = Result(alarmRecords: pair.recordsAtLook)
    }

    private static func result(_ outcome: JudgeOutcome, _ stream: SimulatedStream) -> Result {
        guard outcome.alarmed, let time = outcome.time else { return Result(alarmRecords: nil) }
        return Result(alarmRecords: stream.canaryRecords(through: time))
    }
}
