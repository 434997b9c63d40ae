import Foundation

/// The distributions the simulated fleet draws from, on any seeded generator.
///
/// Written out here rather than taken from a numerics package so that a seed replays the same
/// fleet on every platform and release, and so the core needs no dependency. Poisson uses
/// Hörmann's PTRS (transformed rejection with squeeze) above a mean of 10 and multiplication of
/// uniforms below; binomial with small p counts geometric gaps between failures, which costs
/// about n·p steps: failure probabilities here are a few percent at most.
extension RandomNumberGenerator {
    /// Uniform in the open interval (0, 1): safe to take the log of.
    public mutating func openUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Standard normal, by Box–Muller (one of the pair is discarded to keep draws stateless).
    public mutating func standardNormal() -> Double {
        let radius = (-2 * log(openUnit())).squareRoot()
        return radius * cos(2 * Double.pi * openUnit())
    }

    /// A lognormal factor with mean 1: exp(σZ − σ²/2). Spreads a quantity over orders of
    /// magnitude at σ ≈ 1 without changing its fleet-wide average.
    public mutating func lognormalFactor(sigma: Double) -> Double {
        guard sigma > 0 else { return 1 }
        return exp(sigma * standardNormal() - sigma * sigma / 2)
    }

    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 10 {
            let limit = exp(-mean)
            var count = 0
            var product = openUnit()
            while product > limit {
                count += 1
                product *= openUnit()
            }
            return count
        }
        let root = mean.squareRoot()
        let logMean = log(mean)
        let b = 0.931 + 2.53 * root
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let acceptance = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = openUnit() - 0.5
            let v = openUnit()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07, v <= acceptance { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -mean + k * logMean - lgamma(k + 1) {
                return Int(k)
            }
        }
    }

    /// Binomial(trials, probability), by skipping geometric gaps between successes.
    public mutating func binomial(trials: Int, probability: Double) -> Int {
        guard trials > 0, probability > 0 else { return 0 }
        guard probability < 1 else { return trials }
        let logFailure = log1p(-probability)
        var successes = 0
        var position = 0
        while true {
            position += Int((log(openUnit()) / logFailure).rounded(.down)) + 1
            if position > trials { return successes }
            successes += 1
        }
    }
}
