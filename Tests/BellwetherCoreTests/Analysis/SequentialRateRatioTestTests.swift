import Foundation
import Testing
@testable import BellwetherCore

@Suite struct SequentialRateRatioTestTests {
    /// Intervals where both cohorts see `records` records a cohort and the given failure counts.
    private func intervals(_ counts: [(canary: Double, baseline: Double)], records: Double = 1000) -> [IntervalPair] {
        counts.map {
            IntervalPair(canary: EventCounts(events: $0.canary, exposure: records), baseline: EventCounts(events: $0.baseline, exposure: records))
        }
    }

    @Test func equalRatesGiveNoEvidenceOfARegression() {
        let test = SequentialRateRatioTest(intervals: intervals(Array(repeating: (10, 10), count: 20)))
        #expect(test.logEValue(againstLogNull: 0, worseWhen: .higher) < 0)
    }

    @Test func aTenfoldRateIsOverwhelmingEvidence() {
        let test = SequentialRateRatioTest(intervals: intervals(Array(repeating: (20, 2), count: 5)))
        #expect(test.logEValue(againstLogNull: log(1.1), worseWhen: .higher) > log(1e6))
        // ... and none at all that the canary is better.
        #expect(test.logEValue(againstLogNull: 0, worseWhen: .lower) < 0)
    }

    @Test func boundsContainThePooledEstimateAndNarrowWithData() {
        let short = SequentialRateRatioTest(intervals: intervals(Array(repeating: (6, 3), count: 4)))
        let long = SequentialRateRatioTest(intervals: intervals(Array(repeating: (6, 3), count: 40)))
        let estimate = log(2.0)
        let (shortLower, shortUpper) = short.logRatioBounds(alpha: 0.01)
        let (longLower, longUpper) = long.logRatioBounds(alpha: 0.01)
        #expect(shortLower < estimate && estimate < shortUpper)
        #expect(longLower < estimate && estimate < longUpper)
        #expect(longUpper - longLower < shortUpper - shortLower)
        #expect(longLower > 0, "40 intervals at a 2× rate exclude equality")
    }

    @Test func unequalExposureIsAccountedFor() {
        // The canary has a tenth of the baseline's records and a tenth of its failures: equal rates.
        let pairs = (0..<30).map { _ in
            IntervalPair(canary: EventCounts(events: 5, exposure: 100), baseline: EventCounts(events: 50, exposure: 1000))
        }
        let test = SequentialRateRatioTest(intervals: pairs)
        #expect(abs(test.pointEstimate ?? .nan) < 1e-12)
        #expect(test.logEValue(againstLogNull: 0, worseWhen: .higher) < 0)
    }

    @Test func intervalsWithoutInformationAreIgnored() {
        let empty = IntervalPair(canary: EventCounts(events: 0, exposure: 100), baseline: EventCounts(events: 0, exposure: 100))
        let silent = IntervalPair(canary: EventCounts(), baseline: EventCounts(events: 3, exposure: 100))
        #expect(SequentialRateRatioTest(intervals: [empty, silent]).intervalCount == 0)
    }

    /// Ville's inequality in action: under the null, the e-process crosses 1/α on at most about
    /// α of streams however long it is watched. 400 streams of 100 looks; with α = 0.05 the
    /// crossing rate must stay under 0.05 + 3·sqrt(0.05·0.95/400) ≈ 0.083.
    @Test func anytimeFalseAlarmsStayBelowAlphaUnderContinuousMonitoring() {
        var rng = SplitMix64(seed: 7)
        let alpha = 0.05
        var alarms = 0
        for _ in 0..<400 {
            var pairs: [IntervalPair] = []
            for _ in 0..<100 {
                pairs.append(IntervalPair(
                    canary: EventCounts(events: rng.poisson(2), exposure: 1000),
                    baseline: EventCounts(events: rng.poisson(2), exposure: 1000)
                ))
                if pairs.count % 5 == 0, SequentialRateRatioTest(intervals: pairs).logEValue(againstLogNull: 0, worseWhen: .higher) >= log(1 / alpha) {
                    alarms += 1
                    break
                }
            }
        }
        #expect(Double(alarms) / 400 <= 0.05 + 3 * (0.05 * 0.95 / 400).squareRoot())
    }
}
