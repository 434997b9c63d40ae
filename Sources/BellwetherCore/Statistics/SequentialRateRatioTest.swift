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
/// ρ₀·e^{δ}, δ on a doubling grid from 5% to 24×, weighted towards the moderate ones (`weights`). A mixture of likelihood
/// ratios is a non-negative supermartingale under every ρ ≤ ρ₀ (the family has monotone
/// likelihood ratios), so by Ville's inequality P(sup_t E_t ≥ 1/α) ≤ α: the false-alarm bound
/// holds however often and however long the controller looks. Inverting the test gives bounds on
/// ρ that hold uniformly over time.
///
/// The test grows one interval at a time (`append`), so watching a step for hours costs the same
/// per look as watching it for minutes: the log-likelihood is kept on a fixed grid of ratios and
/// interpolated between grid points.
///
/// Agents differ, and the canary and baseline are different agents, so their pooled rates differ
/// by a factor e^U even between identical versions (see `AgentHeterogeneity`). Passing the
/// spread of U integrates that factor out of the likelihood. The likelihood ratio of two such
/// marginal models is still a martingale under the null (now including the agent draw), so the
/// false-alarm bound holds with the agents' variation taken into account; as data accumulate the
/// evidence saturates at what the agent draw allows, instead of growing without bound.
public struct SequentialRateRatioTest: Sendable {
    /// Log effect sizes of the mixture's alternatives.
    public static let logEffects: [Double] = (0..<7).map { 0.05 * pow(2, Double($0)) }

    /// The mixture's weight on each alternative of `logEffects`, summing to 1: most on the
    /// regressions 1.2× to 2.2× beyond the tolerance, the ones a bake must catch and the slowest
    /// to show, as much as equal weights would give (1/7) to the gross ones, and little to those
    /// 5% and 10% beyond it, which no bake of ordinary length can tell from the tolerance itself.
    /// Any fixed weights keep the mixture a supermartingale under the null; these only move
    /// where its power goes.
    public static let weights: [Double] = {
        let raw: [Double] = [1, 2, 4, 6, 6, 4, 4]
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }()
    static let logWeights = weights.map { log($0) }

    /// The mixture's weight on the alternative nearest a log effect: what the threshold costs,
    /// log(1/w) more than a test that knew the effect, for a regression of about that size.
    public static func weight(nearest logEffect: Double) -> Double {
        let index = logEffects.indices.min { abs(logEffects[$0] - logEffect) < abs(logEffects[$1] - logEffect) } ?? 0
        return weights[index]
    }

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

    private(set) var intervalCount = 0
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
        intervalCount += 1
        canaryTotal += pair.canary
        baselineTotal += pair.baseline
        for index in grid.indices {
            grid[index] += Self.logLikelihood(term, logRatio: Self.gridStep * Double(index - Self.gridRadius))
        }
    }

    /// log θ·f_c + log(1-θ)·f_b with θ = e^{r+c}/(1 + e^{r+c}), up to a constant in r.
    private static func logLikelihood(_ term: Term, logRatio: Double) -> Double {
        let x = logRatio + term.logExposureRatio
        let softplus = max(x, 0) + log1p(exp(-abs(x)))
        return term.canaryEvents * x - term.totalEvents * softplus
    }

    /// Conditional log-likelihood of the rate ratio ρ = e^{logRatio}, up to a constant, read
    /// from the grid by four-point (cubic) interpolation: its error is of the order of 10⁻⁸ nat
    /// per event, far under anything a decision could notice. −∞ outside the grid.
    public func logLikelihood(logRatio: Double) -> Double {
        let position = logRatio / Self.gridStep + Double(Self.gridRadius)
        guard position.isFinite else { return -.infinity }
        let base = Int(position.rounded(.down))
        guard base >= 1, base + 2 < grid.count else {
            if base == 0 || base + 2 == grid.count, grid.indices.contains(base) { return grid[base] }
            return -.infinity
        }
        let t = position - Double(base)
        let p0 = grid[base - 1], p1 = grid[base], p2 = grid[base + 1], p3 = grid[base + 2]
        return p0 * (-t * (t - 1) * (t - 2) / 6) + p1 * ((t + 1) * (t - 1) * (t - 2) / 2)
            + p2 * (-(t + 1) * t * (t - 2) / 2) + p3 * ((t + 1) * t * (t - 1) / 6)
    }

    /// Log-likelihood of ρ when the canary's pooled rate is also off by a factor e^U,
    /// U ~ Normal(0, spread²), for which agents landed in which cohort: log ∫ L(ρe^u) φ(u) du.
    ///
    /// The integrand is log-concave, so adaptive Gauss–Hermite quadrature around its mode (as
    /// mixed models compute their likelihoods) is accurate with seven nodes.
    public func marginalLogLikelihood(logRatio: Double, spread: Double) -> Double {
        guard spread > 1e-6 else { return logLikelihood(logRatio: logRatio) }
        let variance = spread * spread
        func integrand(_ u: Double) -> Double { logLikelihood(logRatio: logRatio + u) - u * u / (2 * variance) }
        // Newton's method for the mode, on numerical derivatives of the interpolant.
        var mode = 0.0
        let h = 1e-3
        var curvature = 1 / variance
        for _ in 0..<30 {
            let here = integrand(mode), up = integrand(mode + h), down = integrand(mode - h)
            guard here.isFinite, up.isFinite, down.isFinite else { break }
            let slope = (up - down) / (2 * h)
            curvature = max(-(up - 2 * here + down) / (h * h), 1 / variance)
            let step = max(-1, min(1, slope / curvature))
            mode += step
            if abs(step) < 1e-7 { break }
        }
        let scale = (2 / curvature).squareRoot()
        let terms = zip(Self.hermiteNodes, Self.hermiteWeights).map { node, weight in
            log(weight) + node * node + integrand(mode + scale * node)
        }
        let top = terms.max() ?? -.infinity
        guard top.isFinite else { return -.infinity }
        let sum = terms.reduce(0) { $0 + exp($1 - top) }
        return top + log(sum * scale) - log((2 * Double.pi * variance).squareRoot())
    }

    /// Physicists' Gauss–Hermite nodes and weights, n = 7: ∫ e^{−x²} f(x) dx ≈ Σ wᵢ f(xᵢ).
    static let hermiteNodes: [Double] = [-2.651961356835233, -1.673551628767471, -0.816287882858965, 0, 0.816287882858965, 1.673551628767471, 2.651961356835233]
    static let hermiteWeights: [Double] = [0.0009717812450995, 0.0545155828191270, 0.4256072526101278, 0.8102646175568073, 0.4256072526101278, 0.0545155828191270, 0.0009717812450995]

    /// Log of the mixture e-value against the null "ρ ≤ e^{logNull}" (`.higher`) or
    /// "ρ ≥ e^{logNull}" (`.lower`), the agent-sampling factor integrated out with `spread`.
    public func logEValue(againstLogNull logNull: Double, worseWhen direction: Direction, spread: Double = 0) -> Double {
        let sign = direction == .higher ? 1.0 : -1.0
        let null = marginalLogLikelihood(logRatio: logNull, spread: spread)
        return logSumExp(zip(Self.logEffects, Self.logWeights).map { marginalLogLikelihood(logRatio: logNull + sign * $0, spread: spread) - null + $1 })
    }

    /// Bounds on log ρ holding uniformly over time with probability 1 - α on each side: the
    /// largest null still rejected from below and the smallest rejected from above, to within
    /// the grid's interpolation; ±∞ where the data do not reach that far yet.
    public func logRatioBounds(alpha: Double, spread: Double = 0) -> (lower: Double, upper: Double) {
        let threshold = log(1 / alpha)
        let start = min(max(Int((smoothedEstimate / Self.gridStep).rounded()) + Self.gridRadius, 0), grid.count - 1)
        var marginal = [Double?](repeating: nil, count: grid.count)
        func marginalAt(_ index: Int) -> Double {
            if let value = marginal[index] { return value }
            let value = marginalLogLikelihood(logRatio: gridRatio(index), spread: spread)
            marginal[index] = value
            return value
        }
        return (
            crossing(from: start, step: -1, threshold: threshold, direction: .higher, marginal: marginalAt) ?? -.infinity,
            crossing(from: start, step: 1, threshold: threshold, direction: .lower, marginal: marginalAt) ?? .infinity
        )
    }

    /// Walks the grid from `start` by `step` to the first null the test rejects, and
    /// interpolates where log E crosses the threshold between it and the grid point before.
    private func crossing(from start: Int, step: Int, threshold: Double, direction: Direction, marginal: (Int) -> Double) -> Double? {
        var previous: (index: Int, value: Double)?
        var index = start
        let sign = direction == .higher ? 1 : -1
        while grid.indices.contains(index) {
            if let farthest = Self.effectSteps.last, grid.indices.contains(index + sign * farthest) {
                let null = marginal(index)
                let value = logSumExp(zip(Self.effectSteps, Self.logWeights).map { marginal(index + sign * $0) - null + $1 })
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

/// log(Σ exp(xs)), without overflow.
func logSumExp(_ values: [Double]) -> Double {
    guard let top = values.max(), top.isFinite else { return values.max() ?? -.infinity }
    let sum = values.reduce(0.0) { $0 + exp($1 - top) }
    return top + log(sum)
}
