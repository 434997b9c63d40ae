import BellwetherCore

/// What a series can carry: a counter's value or a histogram's counts, each knowing its increase
/// from a previous cumulative value (a reset when it went down) and how increases add up.
protocol CumulativeValue: Sendable {
    static func increase(from last: Self, to now: Self) -> Self
    func adding(_ increase: Self) -> Self
    /// `self = adding(increase)`, in place where the value can be (a histogram's counts).
    mutating func add(_ increase: Self)
}

extension CumulativeValue {
    mutating func add(_ increase: Self) {
        self = adding(increase)
    }
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

    /// `adding(_:)` without allocating new counts when the bounds match, as they do but when a
    /// series is re-bucketed.
    mutating func add(_ increase: HistogramCounts) {
        guard increase.bounds == bounds, increase.counts.count == counts.count else {
            self = adding(increase)
            return
        }
        for index in counts.indices { counts[index] += increase.counts[index] }
        count += increase.count
        sum += increase.sum
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
extension OTLPExponentialHistogramDataPoint: SeriesPoint {}
