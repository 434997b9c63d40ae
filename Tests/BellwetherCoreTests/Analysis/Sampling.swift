import Foundation
@testable import BellwetherCore

/// Seeded draws for statistical tests.
extension SplitMix64 {
    mutating func uniform() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }

    mutating func normal() -> Double {
        (-2 * log(1 - uniform())).squareRoot() * cos(2 * .pi * uniform())
    }

    /// Poisson by inversion for small means, the normal approximation for large ones.
    mutating func poisson(_ mean: Double) -> Double {
        if mean > 200 { return max(0, (mean + mean.squareRoot() * normal()).rounded()) }
        let limit = exp(-mean)
        var product = uniform(), count = 0.0
        while product > limit {
            product *= uniform()
            count += 1
        }
        return count
    }
}
