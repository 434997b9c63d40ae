import Testing
@testable import BellwetherCore

@Suite struct HistogramCountsTests {
    let histogram = HistogramCounts(bounds: [0.1, 0.5, 1.0], counts: [50, 40, 9, 1], count: 100, sum: 30)

    @Test func quantilesInterpolateWithinTheirBucketLikePrometheus() {
        #expect(histogram.quantile(0.5) == 0.1)
        #expect(abs(histogram.quantile(0.7)! - 0.3) < 1e-12)
        #expect(histogram.quantile(0.995) == 1.0)
    }

    @Test func countsBeyondABound() {
        #expect(histogram.countAbove(boundIndex: 1) == 10)
        #expect(histogram.countAtOrBelow(boundIndex: 0) == 50)
    }

    @Test func anEmptyHistogramHasNoQuantile() {
        #expect(HistogramCounts(bounds: [1], counts: [0, 0], count: 0, sum: 0).quantile(0.99) == nil)
    }
}
