import BellwetherCore
import Foundation

/// The floor for any judge that must learn the baseline's failure level from the baseline cohort:
/// Wald's SPRT on the *cohort* of each failure, with everything known but that level.
///
/// The Wald oracle knows each agent's stable probability, so a canary failure rate above it is
/// evidence at once. A judge that compares against a contemporaneous baseline must stay valid
/// whatever the fleet's failure level is at the moment (the point of the baseline), and the
/// best it can then do is what this oracle does: every failure, canary or baseline, is a coin
/// whose chance of being a canary one depends on the canary-to-baseline ratio and not on that
/// level, θ = ρ·C / (ρ·C + B), with C and B the cohorts' failure intensities (Σ records/s × stable
/// probability over the agents reporting at that instant). This oracle knows the agents' true
/// traffic and relative failure rates and the true alternative; it tests the stable ratio
/// (× `nullFactor`) against it with an SPRT on those coins, α = β as the Wald oracle's. Its cost
/// over the Wald oracle is the price of the baseline alone — Lai's information bound for the
/// nuisance level, ×1.63 in information at a 10× regression with a baseline 4× the canary's size
/// (×3.3 with one the canary's size) — which no method that learns the baseline escapes.
///
/// Reports arrive as counts; each failure is placed at a uniform instant of its report's window
/// (the Poisson process's order statistics), drawn from the oracle's own generator.
public struct TwoSampleOracle: Sendable {
    public var alpha: Double
    public var beta: Double

    public init(alpha: Double = 0.01, beta: Double = 0.01) {
        self.alpha = alpha
        self.beta = beta
    }

    public struct Outcome: Sendable, Hashable {
        /// When the continuous test alarmed: the instant of the failure that crossed the threshold.
        public var alarmTime: Double?
        /// Canary records processed by then (records spread evenly over their windows).
        public var alarmRecords: Int?
        /// The same test evaluated only at the looks, on the failures of the reports that had
        /// closed by each look: the boundary at which it alarmed.
        public var alarmLook: Double?
        /// Canary records processed by that boundary, counted as every judge's are.
        public var recordsAtLook: Int?
    }

    private struct Failure {
        var time: Double
        var reported: Double
        var canary: Bool
    }

    /// - Parameters:
    ///   - stream: the step, whose ground truth (`canaryReports`, `baselineReports`, `agents`) the
    ///     oracle reads.
    ///   - grid / looks: the boundaries of the at-looks evaluation, the first `looks` of them; the
    ///     continuous test stops at the last one too.
    ///   - alternativeFactor: when set, H1 is each canary agent's stable probability × the null
    ///     factor × this factor instead of its true canary probability.
    ///   - nullFactor: H0 is the canary at this multiple of its stable probability.
    public func run(
        _ stream: SimulatedStream, grid: IntervalGrid, looks: Int,
        alternativeFactor: Double? = nil, nullFactor: Double = 1, random: inout SplitMix64
    ) -> Outcome {
        let end = grid.boundary(looks)
        let reports = (stream.canaryReports + stream.baselineReports).filter { $0.time <= end }
        var lastReport: [String: Double] = [:]
        for report in reports { lastReport[report.agent] = max(lastReport[report.agent] ?? -.infinity, report.time) }

        var failures: [Failure] = []
        for report in reports where report.failures > 0 {
            for _ in 0..<report.failures {
                let time = report.time - report.windowSeconds * (1 - random.openUnit())
                failures.append(Failure(time: time, reported: report.time, canary: report.cohort == .canary))
            }
        }
        // Each failure's weight of evidence depends only on its cohort and on which agents were
        // reporting at its instant, so it is computed once and summed in either order.
        let terms = failures.map { failure -> Double in
            let (theta0, theta1) = shares(at: failure.time, agents: stream.agents, lastReport: lastReport, alternativeFactor: alternativeFactor, nullFactor: nullFactor)
            return failure.canary ? log(theta1 / theta0) : log((1 - theta1) / (1 - theta0))
        }
        let boundaries = WaldBoundaries(alpha: alpha, beta: beta)
        var outcome = Outcome()

        var sum = 0.0
        for index in failures.indices.sorted(by: { failures[$0].time < failures[$1].time }) {
            sum += terms[index]
            if sum >= boundaries.upper {
                outcome.alarmTime = failures[index].time
                outcome.alarmRecords = stream.canaryRecords(at: failures[index].time)
                break
            }
            if sum <= boundaries.lower { break }
        }

        let byReport = failures.indices.sorted { failures[$0].reported < failures[$1].reported }
        var next = 0
        sum = 0
        for look in 1...max(looks, 1) {
            let boundary = grid.boundary(look)
            while next < byReport.count, failures[byReport[next]].reported <= boundary {
                sum += terms[byReport[next]]
                next += 1
            }
            if sum >= boundaries.upper {
                outcome.alarmLook = boundary
                outcome.recordsAtLook = stream.canaryRecords(through: boundary)
                break
            }
            if sum <= boundaries.lower { break }
        }
        return outcome
    }

    /// The chance that a failure at `time` is a canary one under H0 and under H1.
    private func shares(
        at time: Double, agents: [SimulatedAgent], lastReport: [String: Double],
        alternativeFactor: Double?, nullFactor: Double
    ) -> (Double, Double) {
        var canary0 = 0.0, canary1 = 0.0, baseline = 0.0
        for agent in agents where (lastReport[agent.id] ?? -.infinity) >= time {
            let stable = agent.recordsPerSecond * agent.stableFailureProbability
            switch agent.cohort {
            case .canary:
                canary0 += stable * nullFactor
                canary1 += alternativeFactor.map { stable * nullFactor * $0 } ?? agent.recordsPerSecond * agent.failureProbability
            case .baseline:
                baseline += stable
            }
        }
        return (canary0 / (canary0 + baseline), canary1 / (canary1 + baseline))
    }
}
