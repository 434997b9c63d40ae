/// The largest counter, span or bucket count any source may report, and the span of times a
/// line may carry: 2^53, the last whole number a Double holds exactly (a billion records a
/// second for over a hundred days), and ±10^11 s around the Unix epoch (over 3,000 years).
/// Bounded inputs keep every sum the engine forms finite and every index it derives from a time
/// representable: one agent reporting 1e308 twice would otherwise make a pooled total infinite,
/// and an infinite statistic trap the controller where it converts to an index.
public enum CountBounds {
    public static let largestCount = 9_007_199_254_740_992.0
    public static let largestTimeMagnitude = 100_000_000_000.0

    public static func admits(count value: Double) -> Bool {
        value.isFinite && value >= 0 && value <= largestCount
    }

    public static func admits(time value: Double) -> Bool {
        value.isFinite && abs(value) <= largestTimeMagnitude
    }
}
