import Foundation

/// An anytime-valid test that one cohort's event rate is below a fixed floor: how a check passes
/// when neither cohort has (almost) any events, the common case of a healthy fleet, where a
/// comparison of the two rates has nothing to compare and could only end inconclusive.
///
/// Events are Poisson with rate r per unit of exposure. Against the null r ≥ floor the e-process
/// is a mixture, over alternatives r₁ = floor·e^{−δ} with the δ and weights of
/// `SequentialRateRatioTest`, of the likelihood ratios (r₁/floor)^k·e^{(floor − r₁)·n}; each is
/// a non-negative supermartingale for every r ≥ floor (and for Bernoulli records, whose variance
/// is smaller), so by Ville's inequality a cohort whose rate is at or above the floor reaches
/// 1/level with probability at most `level`, however often it is looked at. With no events at
/// all, a floor of 0.1% is cleared after about 4,400 records.
public enum RateFloorTest {
    /// Log e-value against "rate ≥ floor" after `events` in `exposure`.
    public static func logEValue(events: Double, exposure: Double, floor: Double) -> Double {
        guard floor > 0, exposure > 0, events >= 0 else { return 0 }
        let terms = zip(SequentialRateRatioTest.logEffects, SequentialRateRatioTest.logWeights).map { delta, logWeight in
            logWeight - delta * events + floor * (1 - exp(-delta)) * exposure
        }
        return logSumExp(terms)
    }
}
