import Testing
@testable import BellwetherCore

@Suite struct CumulativeNormalizerTests {
    private func counters(_ values: [Double], firstValue: CumulativeNormalizer.FirstValue = .countsFromZero) -> [Double?] {
        var normalizer = CumulativeNormalizer(firstValue: firstValue)
        return values.enumerated().map { index, value in
            normalizer.sample(agent: "a", cohort: .canary, time: Double(index * 10), counters: ["c": value], spans: [:], histograms: [:]).counters["c"]
        }
    }

    @Test func increasesAreDifferencesOfCumulativeValues() {
        #expect(counters([100, 150, 175]) == [100, 50, 25])
    }

    @Test func aLowerValueIsAResetThatCountsFromZero() {
        #expect(counters([100, 150, 20, 50]) == [100, 50, 20, 30])
    }

    @Test func aReferenceFirstValueOnlySetsTheStartingPoint() {
        #expect(counters([1_000_000, 1_000_040], firstValue: .reference) == [nil, 40])
    }

    @Test func samplesCoverTheTimeSinceTheAgentsPreviousOne() {
        var normalizer = CumulativeNormalizer()
        let first = normalizer.sample(agent: "a", cohort: .canary, time: 100, counters: ["c": 1], spans: [:], histograms: [:])
        let second = normalizer.sample(agent: "a", cohort: .canary, time: 112.5, counters: ["c": 2], spans: [:], histograms: [:])
        #expect(first.coveredSeconds == nil)
        #expect(second.coveredSeconds == 12.5)
    }

    @Test func histogramsResetWhenACountGoesDownOrTheBoundsChange() {
        let a = HistogramCounts(bounds: [1, 2], counts: [5, 3, 1], count: 9, sum: 12)
        let b = HistogramCounts(bounds: [1, 2], counts: [7, 4, 1], count: 12, sum: 15)
        let restarted = HistogramCounts(bounds: [1, 2], counts: [1, 0, 0], count: 1, sum: 0.5)
        let rebucketed = HistogramCounts(bounds: [1, 5], counts: [8, 4, 1], count: 13, sum: 20)
        #expect(CumulativeNormalizer.increase(from: a, to: b).counts == [2, 1, 0])
        #expect(CumulativeNormalizer.increase(from: b, to: restarted) == restarted)
        #expect(CumulativeNormalizer.increase(from: b, to: rebucketed) == rebucketed)
    }

    @Test func spanCountsAreDeltasAlreadyAndPassThrough() {
        var normalizer = CumulativeNormalizer()
        let spans = ["process_data_record": SpanCounts(total: 10, failed: 1)]
        _ = normalizer.sample(agent: "a", cohort: .canary, time: 0, counters: [:], spans: spans, histograms: [:])
        #expect(normalizer.sample(agent: "a", cohort: .canary, time: 10, counters: [:], spans: spans, histograms: [:]).spans == spans)
    }
}

@Suite struct CumulativeNormalizerNewMetricTests {
    @Test func aCounterThatAppearsLaterCountsFromZeroEvenWhenFirstValuesAreReferences() {
        var normalizer = CumulativeNormalizer(firstValue: .reference)
        let first = normalizer.sample(agent: "a", cohort: .canary, time: 0, counters: ["records": 1_000], spans: [:], histograms: [:])
        let second = normalizer.sample(agent: "a", cohort: .canary, time: 10, counters: ["records": 1_100, "failures": 2], spans: [:], histograms: [:])
        #expect(first.counters.isEmpty)
        #expect(second.counters == ["records": 100, "failures": 2])
    }
}
