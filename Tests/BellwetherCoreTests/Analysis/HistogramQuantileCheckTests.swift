import Foundation
import Testing
@testable import BellwetherCore

/// A p99 latency check on real bucket layouts, checked by seeded simulation: 20 canary and 20
/// baseline agents whose latencies are log-normal (σ 0.6, each agent's median off by a log-normal
/// factor of σ 0.2), reporting cumulative bucket counts every 10 s, 10 observations a second; a
/// 25% tolerance and a 30-minute bake. Bucket counts are Poisson draws of each bucket's share,
/// so a run costs a few thousand draws, not millions.
///
/// Error bounds: with 40 seeded runs per case, an engine whose true rate is at the bound would
/// land outside the asserted count with probability under 2% (binomial tails).
@Suite struct HistogramQuantileCheckTests {
    static let metric = "agent.data.processing_duration_seconds"
    /// The layouts of the issue: the coarse one operators write by hand, and OpenTelemetry's
    /// default explicit buckets (milliseconds, here in seconds).
    static let coarse: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5]
    static let openTelemetryDefault: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000].map { $0 / 1_000 }

    static func policy(bake: Double = 1_800) -> Policy {
        Policy(
            name: "latency",
            steps: [RolloutStep(cohort: "canary", percent: 10, bakeSeconds: bake), RolloutStep(cohort: "all", percent: 100)],
            analysis: AnalysisSpec(
                intervalSeconds: 30, alpha: 0.01,
                checks: [Check(name: "p99", kind: .histogram(metric: metric, quantile: 0.99), tolerance: Tolerance(relative: 0.25))],
                onNoData: .halt
            )
        )
    }

    /// Probability that a log-normal with this median and σ lands in each bucket of `bounds`.
    static func shares(bounds: [Double], median: Double, sigma: Double) -> [Double] {
        func cdf(_ x: Double) -> Double { x <= 0 ? 0 : 1 - SpecialFunctions.normalUpperTail((log(x) - log(median)) / sigma) }
        var previous = 0.0
        var result: [Double] = []
        for bound in bounds {
            let here = cdf(bound)
            result.append(here - previous)
            previous = here
        }
        result.append(1 - previous)
        return result
    }

    /// The step's decision for one seeded stream with the canary's latencies scaled by `slowdown`.
    static func decision(bounds: [Double], slowdown: Double, agentSigma: Double = 0.2, seed: UInt64) -> StepDecision.Kind? {
        var random = SplitMix64(seed: seed)
        let agents = CohortRole.allCases.flatMap { cohort in (0..<20).map { (cohort, "\(cohort.rawValue)-\($0)") } }
        let medians = Dictionary(uniqueKeysWithValues: agents.map { cohort, id in
            (id, 0.1 * exp(agentSigma * random.normal()) * (cohort == .canary ? slowdown : 1))
        })
        var cumulative: [String: [Double]] = [:]
        var replay = ReplayAnalysis(policy: policy(), step: 0)
        var line = 0
        for tick in stride(from: 0.0, through: 1_900, by: 10) {
            for (position, (cohort, id)) in agents.enumerated() {
                let shares = Self.shares(bounds: bounds, median: medians[id]!, sigma: 0.6)
                var counts = cumulative[id] ?? [Double](repeating: 0, count: bounds.count + 1)
                for index in counts.indices { counts[index] += random.poisson(100 * shares[index]) }
                cumulative[id] = counts
                var observation = ReplayObservation(time: 1_000 + tick + Double(position) / 10, agent: id, cohort: cohort)
                let total = counts.reduce(0, +)
                observation.histograms = [metric: HistogramCounts(bounds: bounds, counts: counts, count: total, sum: total * 0.12)]
                line += 1
                _ = try! replay.ingest(observation, line: line)
                if replay.decision != nil { return replay.decision?.decision }
            }
        }
        _ = replay.finish()
        return replay.decision?.decision
    }

    static func tally(bounds: [Double], slowdown: Double, agentSigma: Double = 0.2, runs: Int = 40, seed: UInt64) -> [StepDecision.Kind?: Int] {
        (0..<runs).reduce(into: [:]) { tally, run in
            tally[decision(bounds: bounds, slowdown: slowdown, agentSigma: agentSigma, seed: seed &+ UInt64(run) &* 0x9E37_79B9), default: 0] += 1
        }
    }

    @Test(arguments: [coarse, openTelemetryDefault])
    func aCanaryOneAndAHalfTimesAsSlowIsRolledBackNotPromoted(bounds: [Double]) {
        let tally = Self.tally(bounds: bounds, slowdown: 1.5, agentSigma: 0.1, seed: 11)
        // Target: caught ≥ 80%, promoted ≤ 5%. At 80% true detection, 28 or fewer of 40 has
        // probability ~2.7%; at 5% true promotion, 5 or more of 40 has ~1.4%.
        #expect(tally[.rollback, default: 0] >= 29, "\(tally)")
        #expect(tally[.promote, default: 0] <= 4, "\(tally)")
    }

    /// With agents' medians far apart (σ 0.2) a 1.2× excess over the tolerated p99 is within
    /// what the choice of agents can explain, so the check may not reach a verdict; it must
    /// still not promote.
    @Test func agentsFarApartMakeASlowCanaryHaltNotPromote() {
        let tally = Self.tally(bounds: Self.openTelemetryDefault, slowdown: 1.5, agentSigma: 0.2, seed: 17)
        #expect(tally[.promote, default: 0] <= 4, "\(tally)")
    }

    @Test(arguments: [coarse, openTelemetryDefault])
    func aCanaryAsFastAsTheBaselineIsPromotedNotRolledBack(bounds: [Double]) {
        let tally = Self.tally(bounds: bounds, slowdown: 1, agentSigma: 0.2, seed: 23)
        // α = 1%: 3 or more false rollbacks of 40 has probability under 1% at the bound; at 97%
        // true promotion (the target for healthy canaries), 35 or fewer of 40 has ~3%.
        #expect(tally[.rollback, default: 0] <= 2, "\(tally)")
        #expect(tally[.promote, default: 0] >= 36, "\(tally)")
    }
}
