import BellwetherCore

/// What a series can carry: a counter's value or a histogram's counts, each knowing its increase
/// from a previous cumulative value (a reset when it went down) and how increases add up.
protocol CumulativeValue: Sendable {
    static func increase(from last: Self, to now: Self) -> Self
    func adding(_ increase: Self) -> Self
}

extension Double: CumulativeValue {
    static func increase(from last: Double, to now: Double) -> Double {
        now >= last ? now - last : now
    }

    func adding(_ increase: Double) -> Double {
        self + increase
    }
}

extension HistogramCounts: CumulativeValue {
    static func increase(from last: HistogramCounts, to now: HistogramCounts) -> HistogramCounts {
        CumulativeNormalizer.increase(from: last, to: now)
    }
}

/// The fields every OTLP data point shares, which say which series it belongs to and when.
protocol SeriesPoint {
    var startTimeUnixNano: UInt64 { get }
    var timeUnixNano: UInt64 { get }
    var attributes: [OTLPKeyValue] { get }
    var flags: UInt32 { get }
}

extension OTLPNumberDataPoint: SeriesPoint {}
extension OTLPHistogramDataPoint: SeriesPoint {}
