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

    /// The mixture is a proper average of likelihood ratios (weights positive, summing to 1):
    /// what makes it a supermartingale under the null, whatever the weights favour.
    @Test func theMixtureWeightsAreAProbabilityDistribution() {
        let weights = SequentialRateRatioTest.weights
        #expect(weights.count == SequentialRateRatioTest.logEffects.count)
        #expect(weights.allSatisfy { $0 > 0 })
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
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

@Suite struct MarginalLikelihoodTests {
    @Test func gaussHermiteNodesIntegrateTheMomentsOfTheGaussian() {
        let nodes = SequentialRateRatioTest.hermiteNodes, weights = SequentialRateRatioTest.hermiteWeights
        let moment = { (power: Double) in zip(nodes, weights).reduce(0.0) { $0 + $1.1 * pow($1.0, power) } }
        #expect(abs(moment(0) - Double.pi.squareRoot()) < 1e-12)
        #expect(abs(moment(2) - Double.pi.squareRoot() / 2) < 1e-12)
        #expect(abs(moment(4) - 3 * Double.pi.squareRoot() / 4) < 1e-12)
    }

    @Test func interpolationMatchesTheExactLikelihoodBetweenGridPoints() {
        let pairs = (0..<50).map { i in
            IntervalPair(canary: EventCounts(events: Double(20 + i % 7), exposure: 1000 + Double(i)), baseline: EventCounts(events: 15, exposure: 900))
        }
        let test = SequentialRateRatioTest(intervals: pairs)
        // ℓ(r) up to a constant: differences between two points are exact quantities.
        func exact(_ r: Double) -> Double {
            pairs.reduce(0) { sum, pair in
                let x = r + log(pair.canary.exposure / pair.baseline.exposure)
                return sum + pair.canary.events * x - (pair.canary.events + pair.baseline.events) * (max(x, 0) + log1p(exp(-abs(x))))
            }
        }
        // The interpolation error is of the order of 10⁻⁸ nat per event (about 2,000 events here).
        let events = pairs.reduce(0.0) { $0 + $1.canary.events + $1.baseline.events }
        for (a, b) in [(0.013, 0.337), (-0.4221, 0.9), (1.234, 1.2601)] {
            #expect(abs((test.logLikelihood(logRatio: a) - test.logLikelihood(logRatio: b)) - (exact(a) - exact(b))) < 3e-8 * events)
        }
    }

    @Test func aZeroSpreadIsThePlainLikelihood() {
        let test = SequentialRateRatioTest(intervals: [IntervalPair(canary: EventCounts(events: 30, exposure: 1000), baseline: EventCounts(events: 10, exposure: 1000))])
        #expect(test.marginalLogLikelihood(logRatio: 0.5, spread: 0) == test.logLikelihood(logRatio: 0.5))
    }

    @Test func theMarginalLikelihoodMatchesDirectNumericalIntegration() {
        let test = SequentialRateRatioTest(intervals: (0..<20).map { _ in
            IntervalPair(canary: EventCounts(events: 40, exposure: 1000), baseline: EventCounts(events: 20, exposure: 1000))
        })
        let spread = 0.3
        // Trapezoid rule on a fine grid, relative to the plain likelihood at the same point.
        var sum = 0.0
        let step = 0.0005
        for u in stride(from: -2.0, through: 2.0, by: step) {
            sum += exp(test.logLikelihood(logRatio: 0.2 + u) - test.logLikelihood(logRatio: 0.2) - u * u / (2 * spread * spread)) * step
        }
        let numeric = log(sum / (2 * Double.pi * spread * spread).squareRoot()) + test.logLikelihood(logRatio: 0.2)
        #expect(abs(test.marginalLogLikelihood(logRatio: 0.2, spread: spread) - numeric) < 1e-3)
    }

    /// The evidence for a regression saturates at what the agent draw allows: with a spread of
    /// 0.5, a canary twice the baseline's rate is no proof of a regression however much data.
    @Test func evidenceSaturatesWhenAgentsMayExplainTheDifference() {
        var test = SequentialRateRatioTest()
        var evidence: [Double] = []
        for _ in 0..<200 {
            test.append(IntervalPair(canary: EventCounts(events: 200, exposure: 10_000), baseline: EventCounts(events: 100, exposure: 10_000)))
            evidence.append(test.logEValue(againstLogNull: 0, worseWhen: .higher, spread: 0.5))
        }
        #expect(evidence.last! < log(100))
        #expect(abs(evidence.last! - evidence[100]) < 0.05)
        #expect(test.logEValue(againstLogNull: 0, worseWhen: .higher) > 100, "without the spread it would be overwhelming")
    }

    @Test func anInfiniteLogRatioHasNoLikelihoodRatherThanATrap() {
        var test = SequentialRateRatioTest()
        test.append(IntervalPair(canary: EventCounts(events: 3, exposure: 100), baseline: EventCounts(events: 2, exposure: 100)))
        #expect(test.logLikelihood(logRatio: .infinity) == -.infinity)
        #expect(test.logLikelihood(logRatio: -.infinity) == -.infinity)
        #expect(test.logLikelihood(logRatio: .nan) == -.infinity)
    }
}
