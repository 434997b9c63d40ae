import Foundation

/// An anytime-valid test of the canary's event rate against the baseline's, and the confidence
/// sequence that comes with it.
///
/// Within each interval, given the total number of events in both cohorts, the canary's share
/// is binomial with success probability θ = ρ·n_c / (ρ·n_c + n_b), where n are the exposures and
/// ρ = rate_canary / rate_baseline (events as Poisson counts; for Bernoulli records this is
/// conservative, since their variance is smaller). Conditioning on each interval's totals makes
/// the test exact whatever the baseline rate is and however traffic varies between intervals.
///
/// Against a null ρ ≤ ρ₀ the e-process is a mixture of likelihood ratios over alternatives
/// ρ₀·e^{δ}, δ on a doubling grid from 5% to 24×, with equal weights. A mixture of likelihood
/// ratios is a non-negative supermartingale under every ρ ≤ ρ₀ (the family has monotone
/// likelihood ratios), so by Ville's inequality P(sup_t E_t ≥ 1/α) ≤ α: the false-alarm bound
/// holds however often and however long the controller looks. Inverting the test gives bounds on
/// ρ that hold uniformly over time.
public struct SequentialRateRatioTest: Sendable {
    /// Log effect sizes of the mixture's alternatives.
    public static let logEffects: [Double] = (0..<7).map { 0.05 * pow(2, Double($0)) }

    public let intervals: [IntervalPair]

    public init(intervals: [IntervalPair]) {
        // Intervals where either cohort has no exposure or nothing happened carry no information.
        self.intervals = intervals.filter {
            $0.canary.exposure > 0 && $0.baseline.exposure > 0 && $0.canary.events + $0.baseline.events > 0
        }
    }

    /// Conditional log-likelihood of the rate ratio ρ, up to a constant.
    public func logLikelihood(logRatio: Double) -> Double {
        var total = 0.0
        for pair in intervals {
            // log θ and log(1-θ) with θ = e^{r}·n_c / (e^{r}·n_c + n_b), computed stably.
            let a = logRatio + log(pair.canary.exposure)
            let b = log(pair.baseline.exposure)
            let logDenominator = max(a, b) + log1p(exp(-abs(a - b)))
            total += pair.canary.events * (a - logDenominator) + pair.baseline.events * (b - logDenominator)
        }
        return total
    }

    /// Log of the mixture e-value against the null "ρ ≤ e^{logNull}" (`.higher`) or
    /// "ρ ≥ e^{logNull}" (`.lower`).
    public func logEValue(againstLogNull logNull: Double, worseWhen direction: Direction) -> Double {
        let sign = direction == .higher ? 1.0 : -1.0
        let null = logLikelihood(logRatio: logNull)
        let terms = Self.logEffects.map { logLikelihood(logRatio: logNull + sign * $0) - null }
        return logMeanExp(terms)
    }

    /// Bounds on log ρ holding uniformly over time with probability 1 - α on each side:
    /// `lower` is the largest null still rejected from below, `upper` the smallest from above.
    public func logRatioBounds(alpha: Double) -> (lower: Double, upper: Double) {
        let threshold = log(1 / alpha)
        let estimate = smoothedEstimate
        let lower = boundary(from: estimate, toward: -1, threshold: threshold) {
            logEValue(againstLogNull: $0, worseWhen: .higher)
        }
        let upper = boundary(from: estimate, toward: 1, threshold: threshold) {
            logEValue(againstLogNull: $0, worseWhen: .lower)
        }
        return (lower, upper)
    }

    /// The pooled log rate ratio, when both cohorts have events; nil otherwise.
    public var pointEstimate: Double? {
        let canary = intervals.reduce(EventCounts()) { $0 + $1.canary }
        let baseline = intervals.reduce(EventCounts()) { $0 + $1.baseline }
        guard canary.events > 0, baseline.events > 0 else { return nil }
        return log(canary.events / canary.exposure) - log(baseline.events / baseline.exposure)
    }

    /// The log rate ratio with half an event added to each cohort, finite even when one cohort
    /// has no events yet: where the search for the bounds starts.
    var smoothedEstimate: Double {
        let canary = intervals.reduce(EventCounts()) { $0 + $1.canary }
        let baseline = intervals.reduce(EventCounts()) { $0 + $1.baseline }
        guard canary.exposure > 0, baseline.exposure > 0 else { return 0 }
        return log((canary.events + 0.5) / canary.exposure) - log((baseline.events + 0.5) / baseline.exposure)
    }

    /// Walks from `start` (inside the confidence set) in `direction` until the e-value against
    /// that null reaches the threshold, and returns the crossing, by bisection. ±∞ when it does
    /// not cross within a factor of e^12 (no information on that side yet).
    private func boundary(from start: Double, toward direction: Double, threshold: Double, logE: (Double) -> Double) -> Double {
        // logE grows as the null moves away from the data in `direction`.
        var inside = start
        if logE(inside) >= threshold {
            // The estimate itself is rejected only in degenerate cases; search outward from it anyway.
            inside = start - direction * 12
            if logE(inside) >= threshold { return direction < 0 ? -.infinity : .infinity }
        }
        var outside = inside + direction * 0.25
        var step = 0.25
        while logE(outside) < threshold {
            step *= 2
            outside = inside + direction * step
            if step > 12 { return direction < 0 ? -.infinity : .infinity }
        }
        for _ in 0..<40 {
            let mid = (inside + outside) / 2
            if logE(mid) >= threshold { outside = mid } else { inside = mid }
            if abs(outside - inside) < 1e-4 { break }
        }
        return (inside + outside) / 2
    }
}

/// log(mean(exp(xs))), without overflow.
func logMeanExp(_ values: [Double]) -> Double {
    guard let top = values.max(), top.isFinite else { return values.max() ?? -.infinity }
    let sum = values.reduce(0.0) { $0 + exp($1 - top) }
    return top + log(sum / Double(values.count))
}
