import BellwetherCore
import BellwetherScenarios

/// One seeded stream of a scenario through every judge: Bellwether's engine, the fixed-threshold
/// judge, the Kayenta-style judge and the Wald oracle, each reduced to whether it alarmed and
/// how many canary records had been processed by then.
struct StreamTrial: Sendable {
    /// A judge's result on one stream: nil records when it did not alarm.
    struct Result: Sendable {
        var alarmRecords: Int?
        var alarmed: Bool { alarmRecords != nil }
    }

    var engine: Result
    var enginePromoted: Bool
    var fixedThreshold: Result
    var kayenta: Result
    var oracle: Result

    static let interval = 30.0
    static let bake = 3_600.0
    static let alpha = 0.01
    /// The A/A oracle's alternative: only its false alarms are reported.
    static let aaAlternative = 2.0

    init(scenario: FleetScenario, seed: UInt64) {
        let stream = FleetSimulation(scenario: scenario).stream(seed: seed)
        let samples = stream.samples()
        let evaluations = Int((Self.bake / Self.interval).rounded())

        var engineJudge = EngineJudge(policy: BenchmarkPolicy.make(tolerance: scenario.tolerance, alpha: Self.alpha, interval: Self.interval, bake: Self.bake))
        let engineOutcome = JudgeDriver.run(&engineJudge, samples: samples, interval: Self.interval, evaluations: evaluations)
        engine = Self.result(engineOutcome, stream)
        enginePromoted = engineJudge.decision?.decision == .promote

        var fixed = FixedThresholdJudge(tolerance: scenario.tolerance)
        fixedThreshold = Self.result(JudgeDriver.run(&fixed, samples: samples, interval: Self.interval, evaluations: evaluations), stream)

        var kayentaJudge = KayentaJudge(tolerance: scenario.tolerance)
        kayenta = Self.result(JudgeDriver.run(&kayentaJudge, samples: samples, interval: Self.interval, evaluations: evaluations), stream)

        let end = (samples.first?.time ?? scenario.start) + Self.bake
        var oracleRandom = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5EED_0F0_0AC1E))
        let wald = WaldOracle(alpha: Self.alpha, beta: Self.alpha).run(
            stream.canaryReports.filter { $0.time <= end },
            alternativeFactor: scenario.effect.isRegression ? nil : Self.aaAlternative,
            random: &oracleRandom
        )
        oracle = Result(alarmRecords: wald.alarmed ? wald.records : nil)
    }

    private static func result(_ outcome: JudgeOutcome, _ stream: SimulatedStream) -> Result {
        guard outcome.alarmed, let time = outcome.time else { return Result(alarmRecords: nil) }
        return Result(alarmRecords: stream.canaryRecords(through: time))
    }
}
