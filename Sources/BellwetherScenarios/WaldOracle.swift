import BellwetherCore
import Foundation

/// Wald's sequential probability ratio test on the canary's records one by one, with the true
/// failure probabilities known: the floor on records-to-detection that no method can beat at
/// the same error rates (Wald–Wolfowitz optimality).
///
/// Each record of agent i adds log(p1ᵢ/p0ᵢ) if it failed and log((1−p1ᵢ)/(1−p0ᵢ)) if not, where
/// p0ᵢ is the agent's stable-version probability and p1ᵢ its probability under the alternative
/// (its true canary probability in A/B; twice p0ᵢ in A/A, where only false alarms are of
/// interest). It alarms when the sum reaches log((1−β)/α) and accepts H0 at log(β/(1−α)).
/// Reports arrive as counts, so the records within one are put in a random order (they are
/// exchangeable), drawn from the oracle's own generator.
public struct WaldOracle: Sendable {
    public var alpha: Double
    public var beta: Double

    public init(alpha: Double = 0.01, beta: Double = 0.01) {
        self.alpha = alpha
        self.beta = beta
    }

    public struct Outcome: Sendable, Hashable {
        public var alarmed: Bool
        /// Canary records read when the test stopped (alarm or acceptance); nil if it never did.
        public var records: Int?
        /// When the report holding the record that stopped the test closed: the earliest instant
        /// anyone, even knowing the true rates, could have acted on the data.
        public var time: Double?
    }

    /// - Parameters:
    ///   - reports: the canary's ground truth in time order, up to the end of the bake.
    ///   - alternativeFactor: when set, H1 is p0ᵢ × this factor instead of the true canary rate.
    ///   - nullFactor: H0 is the stable probability × this factor (a canary at the tolerated ratio
    ///     is judged against that ratio, not against the stable version).
    public func run(_ reports: [ReportTruth], alternativeFactor: Double? = nil, nullFactor: Double = 1, random: inout SplitMix64) -> Outcome {
        let boundaries = WaldBoundaries(alpha: alpha, beta: beta)
        var sum = 0.0
        var read = 0
        for report in reports {
            let p0 = min(report.stableProbability * nullFactor, 1 - 1e-12)
            let p1 = min(alternativeFactor.map { p0 * $0 } ?? report.canaryProbability, 1 - 1e-12)
            guard p1 != p0 else { read += report.records; continue }
            let onFailure = log(p1 / p0)
            let onSuccess = log1p(-p1) - log1p(-p0)
            var failuresLeft = report.failures
            var recordsLeft = report.records
            while recordsLeft > 0 {
                let failed = Double(failuresLeft) > Double(recordsLeft) * random.openUnit()
                if failed { failuresLeft -= 1 }
                recordsLeft -= 1
                read += 1
                sum += failed ? onFailure : onSuccess
                if sum >= boundaries.upper { return Outcome(alarmed: true, records: read, time: report.time) }
                if sum <= boundaries.lower { return Outcome(alarmed: false, records: read, time: report.time) }
            }
        }
        return Outcome(alarmed: false, records: nil, time: nil)
    }
}
