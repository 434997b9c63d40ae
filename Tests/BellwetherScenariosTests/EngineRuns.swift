import BellwetherCore
import BellwetherScenarios

/// Short steps for tests: 20 minutes of a small fleet, judged by the engine with the benchmark's
/// policy (alpha 0.01, 30 s intervals) over a 20-minute bake. Small enough that hundreds of
/// streams run in seconds in a debug build.
enum EngineRuns {
    static let bake = 1_200.0

    static func scenario(_ name: String, effect: CanaryEffect = .none, trafficSigma: Double = 0.5, failureSigma: Double = 0.3) -> FleetScenario {
        FleetScenario(
            name: name, canaryAgents: 6, baselineAgents: 6, durationSeconds: bake + 30,
            trafficSigma: trafficSigma, failureSigma: failureSigma, effect: effect
        )
    }

    /// Whether the engine rolled back the stream of `scenario` drawn from `seed`, given each
    /// agent's hour on the stable version before the step or not.
    static func rollsBack(_ scenario: FleetScenario, seed: UInt64, usesHistory: Bool = true) -> Bool {
        var judge = EngineJudge(policy: BenchmarkPolicy.make(bake: bake))
        let stream = FleetSimulation(scenario: scenario).stream(seed: seed)
        return JudgeDriver.run(
            &judge, samples: stream.samples(), history: usesHistory ? stream.history : [], interval: 30, evaluations: Int(bake / 30)
        ).alarmed
    }

    /// Share of `count` seeded streams the engine rolled back.
    static func rollbackRate(_ scenario: FleetScenario, streams count: Int, seedBase: UInt64, usesHistory: Bool = true) -> Double {
        let rollbacks = (0..<count).filter { rollsBack(scenario, seed: SplitMix64.mix(seedBase &+ UInt64($0)), usesHistory: usesHistory) }.count
        return Double(rollbacks) / Double(count)
    }

    /// α + 3 binomial standard errors at α: the most false alarms `streams` A/A streams may show
    /// before the excess is more than sampling noise (with 200 streams at exactly α, the chance
    /// of 7 or more false alarms, P(Binomial(200, 0.01) ≥ 7), is about 0.5%).
    static func falseAlarmBound(alpha: Double, streams: Int) -> Double {
        alpha + 3 * (alpha * (1 - alpha) / Double(streams)).squareRoot()
    }
}
