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
///
/// The test grows one interval at a time (`append`), so watching a step for hours costs the same
/// per look as watching it for minutes: e-values are exact sums over the informative intervals,
/// and the bounds are read from the log-likelihood kept on a fixed grid of ratios.
public struct SequentialRateRatioTest: Sendable {
    /// Log effect sizes of the mixture's alternatives.
    public static let logEffects: [Double] = (0..<7).map { 0.05 * pow(2, Double($0)) }

    /// One informative interval, reduced to what the conditional likelihood needs.
    struct Term: Sendable, Hashable {
        var canaryEvents: Double
        var totalEvents: Double
        /// log(n_canary / n_baseline).
        var logExposureRatio: Double
    }

    /// The bounds' grid: log ratios from -12 to 12 in steps of 0.05, so each alternative of the
    /// mixture is a whole number of steps away (1, 2, 4, … 64).
    static let gridStep = 0.05
    static let gridRadius = 240
    static let effectSteps = logEffects.map { Int(($0 / gridStep).rounded()) }

    private(set) var terms: [Term] = []
    private var canaryTotal = EventCounts()
    private var baselineTotal = EventCounts()
    private var grid = [Double](repeating: 0, count: 2 * gridRadius + 1)

    public init() {}

    public init(intervals: [IntervalPair]) {
        for pair in intervals { append(pair) }
    }

    /// Adds one interval. Intervals where either cohort has no exposure or nothing happened carry
    /// no information and are left out.
    public mutating func append(_ pair: IntervalPair) {
        guard pair.canary.exposure > 0, pair.baseline.exposure > 0, pair.canary.events + pair.baseline.events > 0 else { return }
        let term = Term(
            canaryEvents: pair.canary.events,
            totalEvents: pair.canary.events + pair.baseline.events,
            logExposureRatio: log(pair.canary.exposure) - log(pair.baseline.exposure)
        )
        terms.append(term)
        canaryTotal += pair.canary
        baselineTotal += pair.baseline
        for index in grid.indices {
            grid[index] += Self.logLikelihood(term, logRatio: Self.gridStep * Double(index - Self.gridRadius))
        }
    }

    /// Number of informative intervals so far.
    public var intervalCount: Int { terms.count }

    /// log θ·f_c + log(1-θ)·f_b with θ = e^{r+c}/(1 + e^{r+c}), up to a constant in r.
    private static func logLikelihood(_ term: Term, logRatio: Double) -> Double {
        let x = logRatio + term.logExposureRatio
        let softplus = max(x, 0) + log1p(exp(-abs(x)))
        return term.canaryEvents * x - term.totalEvents * softplus
    }

    /// Conditional log-likelihood of the rate ratio ρ = e^{logRatio}, up to a constant.
    public func logLikelihood(logRatio: Double) -> Double {
        terms.reduce(0) { $0 + Self.logLikelihood($1, logRatio: logRatio) }
    }

    /// Log of the mixture e-value against the null "ρ ≤ e^{logNull}" (`.higher`) or
    /// "ρ ≥ e^{logNull}" (`.lower`). Exact.
    public func logEValue(againstLogNull logNull: Double, worseWhen direction: Direction) -> Double {
        let sign = direction == .higher ? 1.0 : -1.0
        let null = logLikelihood(logRatio: logNull)
        return logMeanExp(Self.logEffects.map { logLikelihood(logRatio: logNull + sign * $0) - null })
    }

    /// Bounds on log ρ holding uniformly over time with probability 1 - α on each side: the
    /// largest null still rejected from below and the smallest rejected from above, to within
    /// the grid's interpolation; ±∞ where the data do not reach that far yet.
    public func logRatioBounds(alpha: Double) -> (lower: Double, upper: Double) {
        let threshold = log(1 / alpha)
        let start = min(max(Int((smoothedEstimate / Self.gridStep).rounded()) + Self.gridRadius, 0), grid.count - 1)
        return (
            crossing(from: start, step: -1, threshold: threshold, direction: .higher) ?? -.infinity,
            crossing(from: start, step: 1, threshold: threshold, direction: .lower) ?? .infinity
        )
    }

    /// Walks the grid from `start` by `step` to the first null the test rejects, and
    /// interpolates where log E crosses the threshold between it and the grid point before.
    private func crossing(from start: Int, step: Int, threshold: Double, direction: Direction) -> Double? {
        var previous: (index: Int, value: Double)?
        var index = start
        while grid.indices.contains(index) {
            if let value = gridLogEValue(at: index, direction: direction) {
                if value >= threshold {
                    guard let previous, previous.value < threshold else { return gridRatio(index) }
                    let fraction = (threshold - previous.value) / (value - previous.value)
                    return gridRatio(previous.index) + Double(step) * Self.gridStep * fraction
                }
                previous = (index, value)
            }
            index += step
        }
        return nil
    }

    private func gridRatio(_ index: Int) -> Double {
        Self.gridStep * Double(index - Self.gridRadius)
    }

    /// The mixture's log e-value at a grid null, or nil where its alternatives leave the grid.
    private func gridLogEValue(at index: Int, direction: Direction) -> Double? {
        let sign = direction == .higher ? 1 : -1
        guard let farthest = Self.effectSteps.last, grid.indices.contains(index + sign * farthest) else { return nil }
        return logMeanExp(Self.effectSteps.map { grid[index + sign * $0] - grid[index] })
    }

    /// The pooled log rate ratio, when both cohorts have events; nil otherwise.
    public var pointEstimate: Double? {
        guard canaryTotal.events > 0, baselineTotal.events > 0 else { return nil }
        return log(canaryTotal.events / canaryTotal.exposure) - log(baselineTotal.events / baselineTotal.exposure)
    }

    /// The log rate ratio with half an event added to each cohort, finite even when one cohort
    /// has no events yet: where the search for the bounds starts.
    var smoothedEstimate: Double {
        guard canaryTotal.exposure > 0, baselineTotal.exposure > 0 else { return 0 }
        return log((canaryTotal.events + 0.5) / canaryTotal.exposure) - log((baselineTotal.events + 0.5) / baselineTotal.exposure)
    }
}

/// log(mean(exp(xs))), without overflow.
func logMeanExp(_ values: [Double]) -> Double {
    guard let top = values.max(), top.isFinite else { return values.max() ?? -.infinity }
    let sum = values.reduce(0.0) { $0 + exp($1 - top) }
    return top + log(sum / Double(values.count))
}
