/// Tunes a reference judge to a false-alarm budget on A/A streams, so that its speed on a
/// regression can be compared with Bellwether's at the same error rate.
///
/// Each judge reduces an A/A stream watched over a whole bake to one statistic that decides,
/// for every setting at once, whether that setting would have alarmed: the fixed threshold's
/// count of failed intervals (a limit L alarms when the count reaches L) and the Kayenta-style
/// judge's smallest gated p-value (a level a alarms when it falls below a). The search then
/// picks the setting that alarms most readily while alarming on at most ⌊rate · streams⌋ of
/// the streams: the fastest version of the judge that still keeps the budget on that fleet.
public enum FalseAlarmCalibration {
    /// How many of `streams` A/A streams may alarm within a false-alarm `rate`.
    public static func allowedAlarms(rate: Double, streams: Int) -> Int {
        // The tiny slack keeps 0.01 × 400 at 4 despite binary rounding.
        Int((rate * Double(streams) + 1e-9).rounded(.down))
    }

    /// The smallest failed-interval limit (at least 1) that at most `rate` of the streams reach.
    /// More than every count when the budget allows no alarm at all: a judge that never alarms
    /// on any of these streams.
    /// - Parameter failedIntervals: each A/A stream's failed intervals over the whole bake.
    public static func smallestFailureLimit(failedIntervals: [Int], rate: Double) -> Int {
        let allowed = allowedAlarms(rate: rate, streams: failedIntervals.count)
        let descending = failedIntervals.sorted(by: >)
        // A limit alarms on the streams whose count reaches it; the (allowed + 1)-th largest count
        // must stay below it.
        guard allowed < descending.count else { return 1 }
        return max(1, descending[allowed] + 1)
    }

    /// The largest level a such that at most `rate` of the streams had a p-value below a at
    /// some look; 1 when the budget covers every stream.
    /// - Parameter smallestPValues: each A/A stream's smallest p-value over the bake's looks.
    public static func largestLevel(smallestPValues: [Double], rate: Double) -> Double {
        let allowed = allowedAlarms(rate: rate, streams: smallestPValues.count)
        let ascending = smallestPValues.sorted()
        guard allowed < ascending.count else { return 1 }
        return ascending[allowed]
    }

    /// Share of streams on which a limit alarms.
    public static func falseAlarmRate(failedIntervals: [Int], limit: Int) -> Double {
        share(failedIntervals.filter { $0 >= limit }.count, of: failedIntervals.count)
    }

    /// Share of streams on which a level alarms.
    public static func falseAlarmRate(smallestPValues: [Double], level: Double) -> Double {
        share(smallestPValues.filter { $0 < level }.count, of: smallestPValues.count)
    }

    private static func share(_ count: Int, of total: Int) -> Double {
        total > 0 ? Double(count) / Double(total) : 0
    }
}
