import BellwetherCore

extension OTLPMetric {
    /// How many data points the metric carries, whatever its kind (zero for kinds not decoded).
    var pointCount: Int {
        switch data {
        case .gauge(let gauge): gauge.dataPoints.count
        case .sum(let sum): sum.dataPoints.count
        case .histogram(let histogram): histogram.dataPoints.count
        case .exponentialHistogram(let histogram): histogram.dataPoints.count
        case nil: 0
        }
    }
}

extension OTLPAggregationTemporality {
    /// True for cumulative, false for delta, nil for unspecified (invalid in OTLP).
    var isCumulative: Bool? {
        switch self {
        case .cumulative: true
        case .delta: false
        default: nil
        }
    }
}

extension OTLPNumberDataPoint {
    /// The point's value as a double, whichever of the two it was sent as.
    var number: Double? {
        switch value {
        case .asDouble(let number): number
        case .asInt(let number): Double(number)
        case nil: nil
        }
    }
}

extension OTLPHistogramDataPoint {
    /// The point as `HistogramCounts`; nil when its buckets do not fit its bounds (OTLP requires
    /// one more bucket than bounds, bounds strictly increasing, or neither: a count and sum only,
    /// taken as one bucket) or a count is past `CountBounds.largestCount`.
    var counts: HistogramCounts? {
        guard CountBounds.admits(count: Double(count)), bucketCounts.allSatisfy({ CountBounds.admits(count: Double($0)) }) else { return nil }
        if bucketCounts.isEmpty, explicitBounds.isEmpty {
            return HistogramCounts(bounds: [], counts: [Double(count)], count: Double(count), sum: hasSum && sum.isFinite ? sum : 0)
        }
        guard bucketCounts.count == explicitBounds.count + 1,
              explicitBounds.allSatisfy(\.isFinite),
              zip(explicitBounds, explicitBounds.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        return HistogramCounts(
            bounds: explicitBounds,
            counts: bucketCounts.map { Double($0) },
            count: Double(count),
            sum: hasSum && sum.isFinite ? sum : 0
        )
    }
}

extension OTLPExponentialHistogramDataPoint {
    /// The point on `ExponentialBucketGrid`, as explicit-bucket counts; nil when a count is past
    /// `CountBounds.largestCount`, the scale is outside OpenTelemetry's −10…20 or a bucket falls
    /// off the grid (past 2^±64).
    var counts: HistogramCounts? {
        let underflow = Double(zeroCount) + negative.bucketCounts.reduce(0) { $0 + Double($1) }
        guard CountBounds.admits(count: Double(count)), CountBounds.admits(count: underflow),
              positive.bucketCounts.allSatisfy({ CountBounds.admits(count: Double($0)) })
        else { return nil }
        return ExponentialBucketGrid.counts(
            scale: Int(scale), offset: Int(positive.offset), positive: positive.bucketCounts.map { Double($0) },
            underflow: underflow, count: Double(count), sum: hasSum && sum.isFinite ? sum : 0
        )
    }
}
