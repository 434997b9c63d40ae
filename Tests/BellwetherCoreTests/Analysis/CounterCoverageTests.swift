import Testing
@testable import BellwetherCore

/// An SDK exports spans and metrics on timers of their own, so an agent's samples alternate
/// between spans alone and counters: a counter's increase covers the time since that counter was
/// last reported, however many samples came between.
@Suite struct CounterCoverageTests {
    static let records = "agent.data.records_processed_total"

    @Test func aSampleOfSpansAloneDoesNotShortenTheTimeTheNextCounterCovers() {
        var normalizer = CumulativeNormalizer()
        let spans = ["process": SpanCounts(total: 5, failed: 0)]
        _ = normalizer.sample(agent: "a", cohort: .canary, time: 0, counters: ["c": 0], spans: [:], histograms: [:])
        let spansOnly = normalizer.sample(agent: "a", cohort: .canary, time: 5, counters: [:], spans: spans, histograms: [:])
        let counted = normalizer.sample(agent: "a", cohort: .canary, time: 30, counters: ["c": 300], spans: [:], histograms: [:])
        #expect(spansOnly.coveredSeconds == 5)
        #expect(spansOnly.seconds(of: "c") == nil)
        #expect(counted.coveredSeconds == 25)
        #expect(counted.seconds(of: "c") == 30)
    }

    @Test func addingSamplesAddsEachCountersOwnSeconds() {
        let first = AgentSample(agent: "a", cohort: .baseline, time: 5, coveredSeconds: 5, spans: ["process": SpanCounts(total: 5, failed: 0)])
        let second = AgentSample(agent: "a", cohort: .baseline, time: 30, coveredSeconds: 25, counters: ["c": 300], counterSeconds: ["c": 30])
        let third = AgentSample(agent: "a", cohort: .baseline, time: 60, coveredSeconds: 30, counters: ["c": 300])
        let total = first.adding(second).adding(third)
        #expect(total.coveredSeconds == 60)
        #expect(total.seconds(of: "c") == 60)
    }

    /// Both cohorts process 10 records a second; their spans arrive 5 s after each metric export.
    @Test func aThroughputIsRecordsOverTheTimeTheirCounterCoversWhenSpansArriveBetween() throws {
        let check = Check(name: "throughput", kind: .rate(metric: Self.records), worseWhen: .lower, tolerance: Tolerance(relative: 0.1), onFail: .halt)
        let policy = Policy(
            name: "test",
            steps: [RolloutStep(cohort: "canary", percent: 10, bakeSeconds: 600), RolloutStep(cohort: "all", percent: 100)],
            analysis: AnalysisSpec(intervalSeconds: 60, alpha: 0.01, checks: [check], onNoData: .halt)
        )
        var replay = ReplayAnalysis(policy: policy, step: 0)
        var outputs: [ReplayAnalysis.Output] = []
        var line = 0
        for tick in stride(from: 0.0, through: 600, by: 30) {
            let agents = CohortRole.allCases.flatMap { cohort in (0..<4).map { (id: "\(cohort.rawValue)-\($0)", cohort: cohort) } }
            var metrics = agents.map { agent in ReplayObservation(time: 1_000 + tick, agent: agent.id, cohort: agent.cohort) }
            var spans = agents.map { agent in ReplayObservation(time: 1_005 + tick, agent: agent.id, cohort: agent.cohort) }
            for index in agents.indices {
                metrics[index].counters = [Self.records: 10 * tick]
                spans[index].spans = ["process": SpanCounts(total: 300, failed: 0)]
            }
            for observation in metrics + spans {
                line += 1
                outputs += try replay.ingest(observation, line: line)
            }
        }
        let verdicts = outputs.compactMap { if case .verdict(let verdict) = $0 { verdict } else { nil } }
        let last = try #require(verdicts.last)
        #expect(abs((last.canary.value ?? 0) - 10) < 1e-9, "\(last.detail)")
        #expect(abs((last.baseline.value ?? 0) - 10) < 1e-9, "\(last.detail)")
    }
}
