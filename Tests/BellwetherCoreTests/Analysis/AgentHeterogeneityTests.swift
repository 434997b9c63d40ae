import Foundation
import Testing
@testable import BellwetherCore

@Suite struct AgentHeterogeneityTests {
    /// Agents with `records` records each and failure rates base·exp(σ·Z).
    private func agents(_ count: Int, records: Double, rate: Double, sigma: Double, rng: inout SplitMix64) -> [EventCounts] {
        (0..<count).map { _ in
            let agentRate = rate * exp(sigma * rng.normal() - sigma * sigma / 2)
            return EventCounts(events: rng.poisson(records * agentRate), exposure: records)
        }
    }

    @Test func identicalAgentsNeedNoAllowanceOnAverage() {
        var rng = SplitMix64(seed: 1)
        var total = 0.0
        for _ in 0..<200 {
            let estimate = AgentHeterogeneity(
                canary: agents(10, records: 10_000, rate: 0.01, sigma: 0, rng: &rng),
                baseline: agents(10, records: 10_000, rate: 0.01, sigma: 0, rng: &rng)
            )
            total += estimate.variance
        }
        // Pure Poisson noise: the squared coefficient of variation estimate averages ≈ 0
        // (its standard error here is below 0.001).
        #expect(total / 200 < 0.002)
    }

    @Test func heterogeneousAgentsAreMeasured() {
        var rng = SplitMix64(seed: 2)
        var estimates: [Double] = []
        for _ in 0..<200 {
            let estimate = AgentHeterogeneity(
                canary: agents(20, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng),
                baseline: agents(20, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng)
            )
            estimates.append(estimate.variance)
        }
        // A lognormal with σ = 0.5 has squared CV e^{0.25} - 1 ≈ 0.284; the moment estimate is
        // unbiased to within a few percent at 38 degrees of freedom.
        let mean = estimates.reduce(0, +) / 200
        #expect(abs(mean - 0.284) < 0.04)
    }

    @Test func fewerAgentsMeanAWiderSpread() {
        var rng = SplitMix64(seed: 3)
        let small = AgentHeterogeneity(canary: agents(3, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng), baseline: agents(3, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng))
        let large = AgentHeterogeneity(canary: agents(30, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng), baseline: agents(30, records: 100_000, rate: 0.01, sigma: 0.5, rng: &rng))
        #expect(small.degreesOfFreedom == 4)
        #expect(large.degreesOfFreedom == 58)
        #expect(small.spread() > 2 * large.spread())
    }

    @Test func busierAgentsWeighMore() {
        let even = AgentHeterogeneity(canary: Array(repeating: EventCounts(events: 10, exposure: 1000), count: 4), baseline: [])
        let skewed = AgentHeterogeneity(
            canary: [EventCounts(events: 97, exposure: 9700)] + Array(repeating: EventCounts(events: 1, exposure: 100), count: 3),
            baseline: []
        )
        #expect(abs(even.canaryConcentration - 0.25) < 1e-12)
        #expect(skewed.canaryConcentration > 0.9, "one agent with 97% of the traffic is nearly one effective agent")
        #expect(abs(even.degreesOfFreedom - 3) < 1e-9)
        #expect(skewed.degreesOfFreedom < 0.1, "and leaves almost nothing to estimate a variance from")
    }

    @Test func withoutAnEffectiveDegreeOfFreedomTheSpreadIsUnbounded() {
        let two = AgentHeterogeneity(
            canary: [EventCounts(events: 30, exposure: 1000), EventCounts(events: 1, exposure: 10)],
            baseline: [EventCounts(events: 10, exposure: 1000)]
        )
        #expect(two.variance > 0)
        #expect(two.degreesOfFreedom < 1)
        #expect(two.spread() == .infinity)
    }

    @Test func aRegressionWhoseSizeDiffersByAgentDoesNotWidenTheSpreadItIsJudgedWith() {
        var rng = SplitMix64(seed: 4)
        let baseline = agents(20, records: 100_000, rate: 0.002, sigma: 0.3, rng: &rng)
        let healthy = agents(20, records: 100_000, rate: 0.002, sigma: 0.3, rng: &rng)
        // The silent killer: each canary agent also fails its own share (0.5%–5%) of records.
        let killed = healthy.map { agent in
            EventCounts(events: agent.events + rng.poisson(agent.exposure * (0.005 + 0.045 * rng.uniform())), exposure: agent.exposure)
        }
        let pooled = AgentHeterogeneity(canary: killed, baseline: baseline)
        let fromBaseline = AgentHeterogeneity(estimatingFrom: [baseline], canary: killed, baseline: baseline)
        let fromBaselineHealthy = AgentHeterogeneity(estimatingFrom: [baseline], canary: healthy, baseline: baseline)
        #expect(pooled.variance > 3 * fromBaseline.variance, "the killer's spread between canary agents would dominate")
        #expect(fromBaseline.variance == fromBaselineHealthy.variance)
        #expect(abs(fromBaseline.spread() - fromBaselineHealthy.spread()) < 1e-12)
        #expect(abs(fromBaseline.degreesOfFreedom - 19) < 1e-9, "twenty baseline agents, the canary's twenty not among them")
    }
}
