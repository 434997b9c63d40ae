import BellwetherCore
import BellwetherTelemetry
import Testing

/// One exporter cannot make the receiver hold without bound: points past a limit are rejected
/// with a reason for `partial_success`, and what is already held goes on counting.
@Suite struct SeriesLimitsTests {
    static let records = "agent.data.records_processed_total"

    static func limited(agents: Int = 10, series: Int = 3, nameBytes: Int = 40) -> MetricAccumulator {
        var limits = SeriesLimits()
        limits.agents = agents
        limits.seriesPerAgent = series
        limits.nameBytes = nameBytes
        return MetricAccumulator(limits: limits)
    }

    @Test func anAgentPastItsSeriesLimitHasItsNewSeriesRejectedAndItsOldOnesStillCount() {
        var accumulator = Self.limited(series: 3)
        let requestIDs = (0..<10).map { OTLP.point(1, at: 1, attributes: [OTLP.attribute("request.id", "r\($0)")]) }
        let (first, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, requestIDs)]), at: 100)
        #expect(summary.accepted == 3)
        #expect(summary.rejected == 7)
        #expect(summary.message(unit: "data points", attribution: AgentAttribution()).contains("agent a1 holds its limit of series"))
        #expect(first.first?.counters[Self.records] == 3)

        let later = (0..<3).map { OTLP.point(5, at: 2, attributes: [OTLP.attribute("request.id", "r\($0)")]) }
        let (second, again) = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, later)]), at: 110)
        #expect(again.rejected == 0)
        #expect(second.first?.counters[Self.records] == 15, "the three series held went on counting")
    }

    @Test func theLimitCountsCountersAndHistogramsTogetherPerAgent() {
        var accumulator = Self.limited(series: 2)
        let request = OTLP.metrics(agent: "a1", [
            OTLP.sum(Self.records, [OTLP.point(1, at: 1)]),
            OTLP.sum("other_total", [OTLP.point(1, at: 1)]),
            OTLP.sum("third_total", [OTLP.point(1, at: 1)]),
        ])
        #expect(accumulator.ingest(request, at: 100).summary.rejected == 1)
        let otherAgent = OTLP.metrics(agent: "a2", [OTLP.sum(Self.records, [OTLP.point(1, at: 1)])])
        #expect(accumulator.ingest(otherAgent, at: 100).summary.rejected == 0, "the limit is per agent")
    }

    /// A flood of made-up agent ids, each within its own limit, must not grow the receiver
    /// without bound: the series of all agents have a limit too, freed as agents are forgotten.
    @Test func seriesPastTheLimitOfAllAgentsAreRejectedUntilAgentsAreForgotten() {
        var accumulator = Self.limited(agents: 100, series: 3)
        accumulator.limits.series = 5
        let three = (0..<3).map { OTLP.point(1, at: 1, attributes: [OTLP.attribute("junk", "j\($0)")]) }
        #expect(accumulator.ingest(OTLP.metrics(agent: "flood-1", [OTLP.sum(Self.records, three)]), at: 100).summary.rejected == 0)
        let (_, summary) = accumulator.ingest(OTLP.metrics(agent: "flood-2", [OTLP.sum(Self.records, three)]), at: 100)
        #expect(summary.accepted == 2)
        #expect(summary.rejected == 1)
        #expect(summary.message(unit: "data points", attribution: AgentAttribution()).contains("the receiver (5 series of all agents) holds its limit of series"))
        accumulator.forget(silentSince: 200)
        #expect(accumulator.ingest(OTLP.metrics(agent: "flood-3", [OTLP.sum(Self.records, three)]), at: 300).summary.rejected == 0)
    }

    /// Every held histogram series keeps its buckets: a point with more than the limit is
    /// rejected on its own, and a point at the limit is taken.
    @Test func aHistogramPointWithMoreBucketsThanTheLimitIsRejected() {
        var accumulator = Self.limited()
        accumulator.limits.histogramBuckets = 8
        let atLimit = OTLP.histogram("latency", bounds: (1...7).map(Double.init), counts: [UInt64](repeating: 1, count: 8), sum: 20, at: 1)
        let past = OTLP.histogram("latency_wide", bounds: (1...8).map(Double.init), counts: [UInt64](repeating: 1, count: 9), sum: 20, at: 1)
        let (samples, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [atLimit, past]), at: 100)
        #expect(summary.accepted == 1)
        #expect(summary.rejected == 1)
        #expect(summary.message(unit: "data points", attribution: AgentAttribution()).contains("latency_wide: a histogram point has more than 8 buckets"))
        #expect(samples.first?.histograms["latency"]?.counts.count == 8)
        #expect(samples.first?.histograms["latency_wide"] == nil)
    }

    /// Two agents at 1e308 would make the cohort's total infinite, and an infinite statistic
    /// trap the controller where it becomes an index: counts stop at 2^53.
    @Test func countsPastTwoToTheFiftyThreeAreRejected() {
        var accumulator = MetricAccumulator()
        let huge = OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(1e308, at: 1)])])
        let (observations, summary) = accumulator.ingest(huge, at: 100)
        #expect(observations.isEmpty)
        #expect(summary.rejected == 1)
        let largest = OTLP.metrics(agent: "a2", [OTLP.sum(Self.records, [OTLP.point(CountBounds.largestCount, at: 1)])])
        #expect(accumulator.ingest(largest, at: 100).summary.rejected == 0)
    }

    @Test func agentsPastTheAgentLimitAreRefusedUntilOthersAreForgotten() {
        var accumulator = Self.limited(agents: 2)
        for agent in ["a1", "a2"] {
            #expect(accumulator.ingest(OTLP.metrics(agent: agent, [OTLP.sum(Self.records, [OTLP.point(1, at: 1)])]), at: 100).summary.rejected == 0)
        }
        let third = OTLP.metrics(agent: "a3", [OTLP.sum(Self.records, [OTLP.point(1, at: 1)])])
        let (observations, summary) = accumulator.ingest(third, at: 100)
        #expect(observations.isEmpty)
        #expect(summary.rejected == 1)
        #expect(summary.message(unit: "data points", attribution: AgentAttribution()).contains("limit of 2 agents"))
        accumulator.forget(silentSince: 200)
        #expect(accumulator.ingest(third, at: 300).summary.rejected == 0, "forgotten agents free their places")
    }

    @Test func aMetricNameLongerThanTheLimitIsRejected() {
        var accumulator = Self.limited(nameBytes: 40)
        let (observations, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.sum(String(repeating: "x", count: 41), [OTLP.point(1, at: 1)])]), at: 100)
        #expect(observations.isEmpty)
        #expect(summary.rejected == 1)
    }
}

/// The same bounds on traces: agents, span names per agent and request, name length, and the
/// names whose failing spans are kept as exemplars.
@Suite struct SpanLimitsTests {
    static func limited(agents: Int = 10, names: Int = 3) -> SpanAccumulator {
        var accumulator = SpanAccumulator()
        accumulator.limits.agents = agents
        accumulator.limits.seriesPerAgent = names
        return accumulator
    }

    @Test func spanNamesPastTheLimitInOneRequestAreRejectedAndTheOthersCount() {
        var accumulator = Self.limited(names: 3)
        let spans = (0..<5).map { OTLP.span("name-\($0)", number: UInt8($0 + 1)) } + [OTLP.span("name-0", number: 9)]
        let (observations, summary, _) = accumulator.ingest(OTLP.traces(agent: "a1", spans), at: 100)
        #expect(summary.accepted == 4)
        #expect(summary.rejected == 2)
        #expect(observations.first?.spans["name-0"]?.total == 2)
        #expect(observations.first?.spans.count == 3)
    }

    @Test func agentsPastTheLimitAndOverlongNamesAreRejected() {
        var accumulator = Self.limited(agents: 1)
        #expect(accumulator.ingest(OTLP.traces(agent: "a1", [OTLP.span()]), at: 100).summary.rejected == 0)
        #expect(accumulator.ingest(OTLP.traces(agent: "a2", [OTLP.span()]), at: 100).summary.rejected == 1)
        #expect(accumulator.ingest(OTLP.traces(agent: "a1", [OTLP.span(String(repeating: "n", count: 300))]), at: 100).summary.rejected == 1)
    }

    @Test func exemplarsAreKeptForAtMostSixtyFourNamesOfOneAgent() {
        var accumulator = SpanAccumulator()
        let failing = (0..<100).map { OTLP.span("name-\($0)", number: UInt8($0 + 1), error: true) }
        _ = accumulator.ingest(OTLP.traces(agent: "a1", failing), at: 100)
        let kept = (0..<100).filter { !accumulator.reservoir.exemplars(agent: "a1", name: "name-\($0)").isEmpty }
        #expect(kept.count == 64)
        #expect(accumulator.reservoir.agentCount == 1)
    }
}
