import BellwetherCore
import BellwetherScenarios
import Testing

/// The design factor is the operator's lever on the grey zone between the tolerance and the
/// regression a pass must rule out: on the same streams, a tighter one keeps a regression inside
/// the zone from promoting where the default lets it through.
@Suite struct DesignFactorTests {
    static let bake = 1_200.0

    /// Share of 100 seeded streams (10 v 40 agents, 20-minute bake, 10% tolerance) promoted.
    static func promotedShare(_ scenario: FleetScenario, designFactor: Double?) -> Double {
        let promoted = (0..<100).filter { index in
            var judge = EngineJudge(policy: BenchmarkPolicy.make(bake: bake, designFactor: designFactor))
            let stream = FleetSimulation(scenario: scenario).stream(seed: SplitMix64.mix(5_000 + UInt64(index)))
            _ = JudgeDriver.run(&judge, samples: stream.samples(), history: stream.history, interval: 30, evaluations: Int(bake / 30))
            return judge.decision?.decision == .promote
        }.count
        return Double(promoted) / 100
    }

    /// A canary 1.5× worse (five times the 10% tolerance, short of the default design size
    /// 2.2×) is promoted in 38 of these 100 streams under the default and in 4 under
    /// `designFactor: 1.5` (design size 1.65×). Asserted three binomial standard errors from the
    /// measured shares: at least 23% (0.38 − 3·0.049) and at most 10% (0.04 + 3·0.02).
    @Test func aTighterDesignFactorKeepsAModerateRegressionFromPromoting() {
        let scenario = FleetScenario(name: "ab-1.5x", canaryAgents: 10, baselineAgents: 40, durationSeconds: Self.bake + 30, effect: .multiply(factor: 1.5))
        #expect(Self.promotedShare(scenario, designFactor: nil) >= 0.23)
        #expect(Self.promotedShare(scenario, designFactor: 1.5) <= 0.10)
    }
}
