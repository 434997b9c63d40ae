import Foundation

/// Wald's stopping boundaries for an SPRT at error rates α and β: alarm when the log-likelihood
/// ratio reaches `upper`, accept the null at `lower`. Both oracles stop on them, so their error
/// rates are the same by construction.
struct WaldBoundaries {
    let upper: Double
    let lower: Double

    init(alpha: Double, beta: Double) {
        upper = log((1 - beta) / alpha)
        lower = log(beta / (1 - alpha))
    }
}
