import Foundation

/// The one set of bucket bounds every OTLP exponential histogram is read onto: 2^(i/4), four
/// buckets per doubling (OpenTelemetry scale 2, each bucket 19% wide).
///
/// Agents' SDKs pick their own scale and lower it as the values they see spread out, so two
/// agents, or one agent an hour apart, rarely send the same buckets. The engine pools and
/// subtracts histograms bucket by bucket, so each point becomes explicit-bucket counts on this
/// grid, holding only the stretch of it the point populates: a point at scale 2 or finer maps
/// exactly (its buckets merge), a coarser one is spread evenly over the grid buckets it covers
/// (what `histogram_quantile` assumes within a bucket anyway). Histograms on stretches of the grid
/// add up and subtract exactly once widened to a common stretch (`widened(to:)`): the buckets a
/// stretch leaves out held nothing.
///
/// In explicit-bucket terms a stretch from index `lo` to `hi` has bounds 2^(lo/4) … 2^((hi+1)/4):
/// its first bucket holds the zero bucket (and any negative values: latencies have none), its
/// last, above the top bound, nothing.
public enum ExponentialBucketGrid {
    /// OpenTelemetry's scale of the grid.
    public static let scale = 2
    /// Indexes the grid reaches, 2^±64: far past any duration or size in any unit.
    public static let indexes = -256...256

    /// The lower bound of grid bucket `index` (the upper bound of `index - 1`).
    public static func bound(_ index: Int) -> Double {
        exp2(Double(index) / Double(1 << scale))
    }

    /// The grid indexes of a stretch's buckets, when `bounds` is a stretch of the grid; nil for
    /// any other bounds (an explicit-bucket histogram's own).
    public static func stretch(of bounds: [Double]) -> ClosedRange<Int>? {
        guard bounds.count >= 2, let first = bounds.first, let last = bounds.last, first > 0 else { return nil }
        let lo = Int((log2(first) * Double(1 << scale)).rounded())
        let hi = lo + bounds.count - 2
        guard indexes.contains(lo), indexes.contains(hi + 1), bound(lo) == first, bound(hi + 1) == last else { return nil }
        return lo...hi
    }

    /// The bounds of the stretch `lo...hi`.
    public static func bounds(_ stretch: ClosedRange<Int>) -> [Double] {
        (stretch.lowerBound...(stretch.upperBound + 1)).map(bound)
    }

    /// Counts on the grid from exponential buckets at `scale`: `positive[k]` counts values in
    /// (base^(offset+k), base^(offset+k+1)], base = 2^(2^-scale); `underflow` is the zero
    /// bucket and the negative values. Nil when a bucket falls outside `indexes` or a count is not
    /// a finite non-negative number.
    public static func counts(
        scale pointScale: Int, offset: Int, positive: [Double], underflow: Double, count: Double, sum: Double
    ) -> HistogramCounts? {
        guard (-10...20).contains(pointScale), underflow.isFinite, underflow >= 0, positive.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let populated = positive.indices.filter { positive[$0] > 0 }
        guard let firstPopulated = populated.first, let lastPopulated = populated.last else {
            // Nothing above zero: a one-bucket stretch at 1 keeps the point on the grid, so it
            // pools with the others, its values in the bucket below every bound.
            return HistogramCounts(bounds: bounds(0...0), counts: [underflow, 0, 0], count: count, sum: sum)
        }
        let shift = pointScale - scale
        // The grid buckets a source bucket covers: one when the source is as fine or finer
        // (arithmetic shift floors negative indexes too), 2^-shift when it is coarser.
        func covered(_ sourceIndex: Int) -> ClosedRange<Int> {
            shift >= 0 ? (sourceIndex >> shift)...(sourceIndex >> shift) : (sourceIndex << -shift)...(((sourceIndex + 1) << -shift) - 1)
        }
        let low = covered(offset + firstPopulated).lowerBound, high = covered(offset + lastPopulated).upperBound
        guard indexes.contains(low), indexes.contains(high + 1) else { return nil }
        var buckets = [Double](repeating: 0, count: high - low + 3)
        buckets[0] = underflow
        for k in populated {
            let target = covered(offset + k)
            let share = positive[k] / Double(target.count)
            for index in target { buckets[index - low + 1] += share }
        }
        return HistogramCounts(bounds: bounds(low...high), counts: buckets, count: count, sum: sum)
    }
}

extension HistogramCounts {
    /// The same counts on a wider stretch of `ExponentialBucketGrid`; nil when the histogram is not
    /// on the grid or `stretch` does not contain its own. The buckets added hold nothing.
    public func widened(to stretch: ClosedRange<Int>) -> HistogramCounts? {
        guard let own = ExponentialBucketGrid.stretch(of: bounds), counts.count == bounds.count + 1,
              stretch.lowerBound <= own.lowerBound, stretch.upperBound >= own.upperBound else { return nil }
        if own == stretch { return self }
        var wide = [Double](repeating: 0, count: stretch.count + 2)
        wide[0] = counts[0]
        for (offset, value) in counts.dropFirst().dropLast().enumerated() {
            wide[own.lowerBound - stretch.lowerBound + 1 + offset] = value
        }
        wide[wide.count - 1] = counts[counts.count - 1]
        return HistogramCounts(bounds: ExponentialBucketGrid.bounds(stretch), counts: wide, count: count, sum: sum)
    }

    /// Both histograms on one common stretch of the grid, when both are on it.
    func aligned(with other: HistogramCounts) -> (HistogramCounts, HistogramCounts)? {
        guard let mine = ExponentialBucketGrid.stretch(of: bounds), let theirs = ExponentialBucketGrid.stretch(of: other.bounds) else { return nil }
        let common = min(mine.lowerBound, theirs.lowerBound)...max(mine.upperBound, theirs.upperBound)
        guard let left = widened(to: common), let right = other.widened(to: common) else { return nil }
        return (left, right)
    }
}
