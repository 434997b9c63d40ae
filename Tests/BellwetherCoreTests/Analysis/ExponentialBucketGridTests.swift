import Foundation
import Testing
@testable import BellwetherCore

/// OTLP exponential histograms read onto one grid of bounds, 2^(i/4): whatever scale an SDK
/// picks, and however it changes it, histograms of agents and intervals add and subtract.
@Suite struct ExponentialBucketGridTests {
    @Test func aPointAtAFinerScaleMergesItsBucketsExactly() throws {
        // Scale 3: bucket i is (2^(i/8), 2^((i+1)/8)]; i = -8...-5 lie in (0.5, 0.707], grid buckets -4 and -3.
        let counts = try #require(ExponentialBucketGrid.counts(scale: 3, offset: -8, positive: [1, 2, 3, 4], underflow: 5, count: 15, sum: 9))
        #expect(ExponentialBucketGrid.stretch(of: counts.bounds) == -4...(-3))
        #expect(counts.bounds == [exp2(-1), exp2(-0.75), exp2(-0.5)])
        #expect(counts.counts == [5, 3, 7, 0])
        #expect(counts.count == 15)
    }

    @Test func aPointAtACoarserScaleIsSpreadEvenlyOverTheGridBucketsItCovers() throws {
        // Scale 0: bucket 0 is (1, 2], four grid buckets.
        let counts = try #require(ExponentialBucketGrid.counts(scale: 0, offset: 0, positive: [8], underflow: 0, count: 8, sum: 12))
        #expect(ExponentialBucketGrid.stretch(of: counts.bounds) == 0...3)
        #expect(counts.counts == [0, 2, 2, 2, 2, 0])
    }

    @Test func negativeIndexesShiftDownAsOpenTelemetryDownscales() throws {
        // Scale 4 index -1 is (2^(-1/16), 1]: grid bucket -1, (2^(-1/4), 1].
        let counts = try #require(ExponentialBucketGrid.counts(scale: 4, offset: -1, positive: [3], underflow: 0, count: 3, sum: 2.9))
        #expect(ExponentialBucketGrid.stretch(of: counts.bounds) == -1...(-1))
        #expect(counts.bounds.last == 1)
    }

    @Test func pointsOffTheGridOrAtAnUnknownScaleAreRefused() {
        #expect(ExponentialBucketGrid.counts(scale: 21, offset: 0, positive: [1], underflow: 0, count: 1, sum: 1) == nil)
        #expect(ExponentialBucketGrid.counts(scale: 0, offset: 100, positive: [1], underflow: 0, count: 1, sum: 1) == nil)
        #expect(ExponentialBucketGrid.counts(scale: 2, offset: 0, positive: [.nan], underflow: 0, count: 1, sum: 1) == nil)
    }

    @Test func aPointWithNothingAboveZeroStaysOnTheGrid() throws {
        let zeros = try #require(ExponentialBucketGrid.counts(scale: 5, offset: 0, positive: [], underflow: 4, count: 4, sum: 0))
        #expect(ExponentialBucketGrid.stretch(of: zeros.bounds) != nil)
        let other = try #require(ExponentialBucketGrid.counts(scale: 2, offset: -8, positive: [1], underflow: 0, count: 1, sum: 0.26))
        let pooled = zeros.adding(other)
        #expect(pooled.count == 5)
        #expect(pooled.counts.first == 4, "zeros stay below every bound")
        #expect(pooled.counts.reduce(0, +) == 5)
    }

    @Test func explicitBoundsAreNotTakenForTheGrid() {
        #expect(ExponentialBucketGrid.stretch(of: [0.005, 0.01, 0.025, 0.05, 0.1]) == nil)
        #expect(ExponentialBucketGrid.stretch(of: [1, 2]) == nil, "1 and 2 are on the grid, but not as neighbours")
        #expect(ExponentialBucketGrid.stretch(of: [1, exp2(0.25)]) == 0...0)
    }

    /// Two agents at different scales populate different stretches; pooled, every observation
    /// is in the bucket it was in.
    @Test func histogramsOnDifferentStretchesAddUp() throws {
        let low = try #require(ExponentialBucketGrid.counts(scale: 2, offset: -8, positive: [1, 2], underflow: 1, count: 4, sum: 1))
        let high = try #require(ExponentialBucketGrid.counts(scale: 2, offset: 0, positive: [5], underflow: 0, count: 5, sum: 5.5))
        let pooled = low.adding(high)
        #expect(ExponentialBucketGrid.stretch(of: pooled.bounds) == -8...0)
        #expect(pooled.counts == [1, 1, 2, 0, 0, 0, 0, 0, 0, 5, 0])
        #expect(high.adding(low) == pooled)
        #expect(pooled.count == 9 && pooled.sum == 6.5)
    }

    /// An SDK lowers its scale as its values spread; the cumulative histogram's stretch grows,
    /// and the increase between two exports is exactly what was recorded in between.
    @Test func aCumulativeSeriesWhoseStretchGrowsHasExactIncreases() throws {
        let first = try #require(ExponentialBucketGrid.counts(scale: 3, offset: 0, positive: [2, 2], underflow: 0, count: 4, sum: 4.2))
        // Later the SDK is at scale 2, and one value landed far above: the stretch is wider.
        let later = try #require(ExponentialBucketGrid.counts(scale: 2, offset: 0, positive: [4, 0, 0, 0, 0, 0, 0, 0, 1], underflow: 0, count: 5, sum: 10))
        let increase = CumulativeNormalizer.increase(from: first, to: later)
        #expect(increase.count == 1)
        #expect(increase.counts.reduce(0, +) == 1)
        #expect(increase.countAbove(exp2(2)) == 1, "the one new value is the one above 4")
    }

    @Test func aCanarysShareAboveAThresholdIsReadOnAnyStretch() throws {
        let baseline = try #require(ExponentialBucketGrid.counts(scale: 2, offset: -4, positive: [10, 10, 10, 10], underflow: 0, count: 40, sum: 30))
        let canary = try #require(ExponentialBucketGrid.counts(scale: 2, offset: 0, positive: [10], underflow: 0, count: 10, sum: 11))
        let threshold = HistogramThreshold(bounds: baseline.bounds, value: 1, above: true)
        #expect(threshold.counts(in: canary) == EventCounts(events: 10, exposure: 10))
        #expect(threshold.counts(in: HistogramCounts(bounds: [0.5, 1, 2], counts: [0, 1, 1, 1], count: 3, sum: 3)) == nil, "explicit bounds must match")
    }
}
