import Testing
@testable import BellwetherCore

@Suite struct HistogramCountsTests {
    let histogram = HistogramCounts(bounds: [0.1, 0.5, 1.0], counts: [50, 40, 9, 1], count: 100, sum: 30)

    @Test func quantilesInterpolateWithinTheirBucketLikePrometheus() {
        #expect(histogram.quantile(0.5) == 0.1)
        #expect(abs(histogram.quantile(0.7)! - 0.3) < 1e-12)
        #expect(histogram.quantile(0.995) == 1.0)
    }

    @Test func countsBeyondABoundAreTheBucketsAboveIt() {
        #expect(histogram.countAbove(0.5) == 10)
        #expect(histogram.countAbove(1.0) == 1)
        #expect(histogram.countAbove(0) == 100)
    }

    @Test func aValueInsideABucketTakesItsShareOfThatBucket() {
        #expect(abs(histogram.countAbove(0.3) - (20 + 10)) < 1e-12)
        #expect(abs(histogram.countAbove(0.75) - (4.5 + 1)) < 1e-12)
        #expect(abs(histogram.countAbove(0.05) - (25 + 50)) < 1e-12)
    }

    @Test func theShareAboveTheInterpolatedQuantileIsWhatTheQuantileLeaves() {
        for q in [0.55, 0.7, 0.9, 0.95] {
            let value = histogram.quantile(q)!
            #expect(abs(histogram.countAbove(value) - (1 - q) * 100) < 1e-9)
        }
    }

    @Test func anEmptyHistogramHasNoQuantile() {
        #expect(HistogramCounts(bounds: [1], counts: [0, 0], count: 0, sum: 0).quantile(0.99) == nil)
    }
}
