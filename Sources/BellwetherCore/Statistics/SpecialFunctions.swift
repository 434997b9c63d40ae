import Foundation

/// Distribution functions the judge needs, computed here so the core has no numeric dependency.
/// Accuracy is ~1e-10 relative over the ranges the engine uses, checked against reference values
/// in the tests.
public enum SpecialFunctions {
    /// Regularised incomplete beta function I_x(a, b), by Lentz's continued fraction.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-14 { break }
        }
        return h
    }

    /// Upper tail P(T > t) of Student's t with `df` degrees of freedom.
    public static func studentTUpperTail(_ t: Double, df: Double) -> Double {
        guard df.isFinite else { return normalUpperTail(t) }
        let tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    /// The t such that P(T > t) = p, for p in (0, 0.5], by bisection on the tail function.
    public static func studentTUpperQuantile(_ p: Double, df: Double) -> Double {
        guard df.isFinite, df < 1e6 else { return normalUpperQuantile(p) }
        var low = 0.0, high = 1.0
        while studentTUpperTail(high, df: df) > p { high *= 2 }
        for _ in 0..<80 {
            let mid = (low + high) / 2
            if studentTUpperTail(mid, df: df) > p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// Upper tail P(Z > z) of the standard normal.
    public static func normalUpperTail(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    /// The z such that P(Z > z) = p, by Newton steps from a rational first guess.
    public static func normalUpperQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a tail probability lies in (0, 1)")
        // Abramowitz & Stegun 26.2.23 as the start, then Newton on the exact tail.
        let q = min(p, 1 - p)
        let t = (-2 * log(q)).squareRoot()
        var z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        for _ in 0..<4 {
            let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            z += (normalUpperTail(z) - q) / density
        }
        return p < 0.5 ? z : -z
    }
}
