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

    /// How agents bucket their latencies: the same explicit bounds everywhere, or OpenTelemetry
    /// exponential buckets at a scale of each agent's own, read onto `ExponentialBucketGrid`.
    enum Layout: Sendable, CustomStringConvertible {
        case explicit([Double])
        /// Agent k exports at `scales[k % scales.count]`, buckets 2^-7 s to 2^1 s.
        case exponential(scales: [Int])

        /// The bounds an agent's counts are drawn on.
        func drawBounds(agent: Int) -> [Double] {
            switch self {
            case .explicit(let bounds):
                return bounds
            case .exponential(let scales):
                let scale = scales[agent % scales.count]
                return (Self.offset(scale)...(1 << scale)).map { exp2(Double($0) / Double(1 << scale)) }
            }
        }

        /// The histogram an agent reports for cumulative counts drawn on `drawBounds`.
        func histogram(agent: Int, counts: [Double]) -> HistogramCounts {
            let total = counts.reduce(0, +)
            switch self {
            case .explicit(let bounds):
                return HistogramCounts(bounds: bounds, counts: counts, count: total, sum: total * 0.12)
            case .exponential(let scales):
                let scale = scales[agent % scales.count]
                // Bucket i of the SDK is (base^i, base^(i+1)]: the drawn bucket above bound k is i = offset + k.
                var positive = Array(counts.dropFirst().dropLast())
                positive[positive.count - 1] += counts.last ?? 0
                return ExponentialBucketGrid.counts(
                    scale: scale, offset: Self.offset(scale), positive: positive, underflow: counts[0], count: total, sum: total * 0.12
                )!
            }
        }

        static func offset(_ scale: Int) -> Int { -(7 << scale) }

        var description: String {
            switch self {
            case .explicit(let bounds): "explicit \(bounds.count) bounds"
            case .exponential(let scales): "exponential at scales \(scales)"
            }
        }
    }

    /// The step's decision for one seeded stream with the canary's latencies scaled by `slowdown`.
    static func decision(layout: Layout, slowdown: Double, agentSigma: Double = 0.2, seed: UInt64) -> StepDecision.Kind? {
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
                let bounds = layout.drawBounds(agent: position)
                let shares = Self.shares(bounds: bounds, median: medians[id]!, sigma: 0.6)
                var counts = cumulative[id] ?? [Double](repeating: 0, count: bounds.count + 1)
                for index in counts.indices { counts[index] += random.poisson(100 * shares[index]) }
                cumulative[id] = counts
                var observation = ReplayObservation(time: 1_000 + tick + Double(position) / 10, agent: id, cohort: cohort)
                observation.histograms = [metric: layout.histogram(agent: position, counts: counts)]
                line += 1
                _ = try! replay.ingest(observation, line: line)
                if replay.decision != nil { return replay.decision?.decision }
            }
        }
        _ = replay.finish()
        return replay.decision?.decision
    }

    static func decision(bounds: [Double], slowdown: Double, agentSigma: Double = 0.2, seed: UInt64) -> StepDecision.Kind? {
        decision(layout: .explicit(bounds), slowdown: slowdown, agentSigma: agentSigma, seed: seed)
    }

    static func tally(layout: Layout, slowdown: Double, agentSigma: Double = 0.2, runs: Int = 40, seed: UInt64) -> [StepDecision.Kind?: Int] {
        (0..<runs).reduce(into: [:]) { tally, run in
            tally[decision(layout: layout, slowdown: slowdown, agentSigma: agentSigma, seed: seed &+ UInt64(run) &* 0x9E37_79B9), default: 0] += 1
        }
    }

    static func tally(bounds: [Double], slowdown: Double, agentSigma: Double = 0.2, runs: Int = 40, seed: UInt64) -> [StepDecision.Kind?: Int] {
        tally(layout: .explicit(bounds), slowdown: slowdown, agentSigma: agentSigma, runs: runs, seed: seed)
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

    /// OpenTelemetry exponential histograms, agents at scales 3 and 1 (one exact on the grid after
    /// merging, one spread over it) and each populating its own stretch: the same targets as
    /// explicit buckets, with the same bounds on the counts.
    static let exponential = Layout.exponential(scales: [3, 1])

    @Test func onExponentialHistogramsASlowCanaryIsRolledBackAndAHealthyOnePromoted() {
        let slow = Self.tally(layout: Self.exponential, slowdown: 1.5, agentSigma: 0.1, seed: 29)
        #expect(slow[.rollback, default: 0] >= 29, "\(slow)")
        #expect(slow[.promote, default: 0] <= 4, "\(slow)")
        let healthy = Self.tally(layout: Self.exponential, slowdown: 1, agentSigma: 0.2, seed: 31)
        #expect(healthy[.rollback, default: 0] <= 2, "\(healthy)")
        #expect(healthy[.promote, default: 0] >= 36, "\(healthy)")
    }
}
