import BellwetherCore
import BellwetherTelemetry
import Testing

/// From OTLP metric points to the cumulative per-agent counters and histograms the engine reads.
@Suite struct MetricAccumulatorTests {
    static let records = "agent.data.records_processed_total"
    static let failures = "agent.data.enrichment_failures_total"
    static let latency = "agent.data.processing_duration_seconds"

    var accumulator = MetricAccumulator()

    /// The counter the agent's observation reports after `request`.
    mutating func counter(_ request: OTLPExportMetricsServiceRequest, agent: String = "a1", _ name: String = records) -> Double? {
        accumulator.ingest(request, at: 100).observations.first { $0.agent == agent }?.counters[name]
    }

    @Test mutating func anAgentIsItsServiceInstanceIdAndItsVersionItsServiceVersion() {
        let (observations, summary) = accumulator.ingest(
            OTLP.metrics(agent: "collector-7", version: "2.4.0", [OTLP.sum(Self.records, [OTLP.point(5, at: 1)])]), at: 100
        )
        #expect(observations == [AgentObservation(agent: "collector-7", time: 100, version: "2.4.0", counters: [Self.records: 5])])
        #expect(summary.accepted == 1)
    }

    @Test mutating func dataWithoutAnAgentIdIsCountedAsUnattributedAndUsedForNothing() {
        let (observations, summary) = accumulator.ingest(
            OTLP.metrics(agent: nil, [OTLP.sum(Self.records, [OTLP.point(5, at: 1), OTLP.point(6, at: 2, attributes: [OTLP.attribute("k", "v")])])]),
            at: 100
        )
        #expect(observations.isEmpty)
        #expect(summary.unattributed == 2)
        #expect(summary.rejected == 0)
        #expect(summary.message(unit: "data points", attribution: AgentAttribution()).contains("2 data points came from resources without service.instance.id"))
    }

    @Test mutating func aConfiguredFallbackAttributeIdentifiesAgentsWithoutAnInstanceId() {
        accumulator.attribution = AgentAttribution(fallbackAttribute: "host.name")
        let request = OTLP.metrics([
            (OTLP.resource(agent: nil, extra: [OTLP.attribute("host.name", "host-3")]), [OTLP.sum(Self.records, [OTLP.point(5, at: 1)])]),
            (OTLP.resource(agent: "a1", extra: [OTLP.attribute("host.name", "host-4")]), [OTLP.sum(Self.records, [OTLP.point(9, at: 1)])]),
        ])
        let observations = accumulator.ingest(request, at: 100).observations
        #expect(observations.map(\.agent) == ["host-3", "a1"], "service.instance.id wins over the fallback")
    }

    @Test mutating func cumulativeSumsAreReportedAsTheAgentExportsThem() {
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(10, at: 10)])])) == 10)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(25, at: 20)])])) == 25)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(25, at: 30)])])) == 25)
    }

    @Test mutating func deltaSumsAreAddedUpIntoARunningTotal() {
        for (index, delta) in [4.0, 0, 6].enumerated() {
            let start = OTLP.started + UInt64(index) * 10 * OTLP.second
            _ = counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(delta, start: start, at: UInt64(index + 1) * 10)], temporality: .delta)]))
        }
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(1, start: OTLP.started + 30 * OTLP.second, at: 40)], temporality: .delta)])) == 11)
    }

    @Test mutating func aNewStartTimeIsAResetWhoseValueIsAllIncreaseEvenAboveTheOldValue() {
        _ = counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(100, at: 10)])]))
        let restarted = OTLP.started + 15 * OTLP.second
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(120, start: restarted, at: 20)])])) == 220)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(130, start: restarted, at: 30)])])) == 230)
    }

    @Test mutating func aLowerValueWithTheSameStartTimeIsAResetToo() {
        _ = counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(100, at: 10)])]))
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(7, at: 20)])])) == 107)
    }

    @Test mutating func aResentPointIsNotCountedTwice() {
        let delta = OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(4, at: 10)], temporality: .delta)])
        _ = counter(delta)
        let (observations, summary) = accumulator.ingest(delta, at: 101)
        #expect(observations.isEmpty)
        #expect(summary.ignored == 1)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(3, start: OTLP.started + 10 * OTLP.second, at: 20)], temporality: .delta)])) == 7)
    }

    @Test mutating func seriesWithDifferentAttributesAreKeptApartAndSummed() {
        let invoice = [OTLP.attribute("record.type", "invoice")], order = [OTLP.attribute("record.type", "order")]
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(10, at: 10, attributes: invoice), OTLP.point(5, at: 10, attributes: order)])])) == 15)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(12, at: 20, attributes: invoice)])])) == 17, "order still counts its 5")
        let reordered = [OTLP.attribute("b", "2"), OTLP.attribute("a", "1")], sorted = [OTLP.attribute("a", "1"), OTLP.attribute("b", "2")]
        _ = counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.failures, [OTLP.point(3, at: 10, attributes: reordered)])]), Self.failures)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.failures, [OTLP.point(4, at: 20, attributes: sorted)])]), Self.failures) == 4,
                "the order of attributes does not split a series")
    }

    @Test mutating func attributeValuesOfAnotherTypeMakeAnotherSeries() {
        let text = [OTLP.attribute("shard", "1")]
        let number = [OTLPKeyValue.with { $0.key = "shard"; $0.value.intValue = 1 }]
        let flag = [OTLP.attribute("shard", true)]
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [
            OTLP.point(10, at: 10, attributes: text), OTLP.point(20, at: 10, attributes: number), OTLP.point(30, at: 10, attributes: flag),
        ])])) == 60)
        #expect(counter(OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [
            OTLP.point(11, at: 20, attributes: text), OTLP.point(22, at: 20, attributes: number), OTLP.point(33, at: 20, attributes: flag),
        ])])) == 66, "each series increases from its own previous point")
    }

    @Test mutating func aHistogramWhoseBoundsChangeStartsItsTotalAgain() {
        _ = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [1], counts: [3, 1], sum: 4, at: 10)]), at: 100)
        let rebucketed = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [1, 2], counts: [3, 1, 1], sum: 6, at: 20)]), at: 110)
        #expect(rebucketed.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [1, 2], counts: [3, 1, 1], count: 5, sum: 6))
        let later = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [1, 2], counts: [4, 1, 2], sum: 8, at: 30)]), at: 120)
        #expect(later.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [1, 2], counts: [4, 1, 2], count: 7, sum: 8))
    }

    /// A ratio check with `filter: {record.type: special}` reads the series the filter selects,
    /// totalled under their own name, beside the unfiltered total every other check reads.
    @Test mutating func theSeriesACheckFilterSelectsAreTotalledUnderTheirOwnName() {
        let check = Check(name: "special-failures", kind: .ratio(numerator: Self.failures, denominator: Self.records), filter: ["record.type": "special"])
        accumulator.checks = TelemetryChecks(rollouts: [(id: "r1", checks: [check])])
        let special = [OTLP.attribute("record.type", "special")], plain = [OTLP.attribute("record.type", "plain")]
        let filtered = check.metricKey(Self.records)
        #expect(filtered == #"agent.data.records_processed_total{record.type="special"}"#)
        let request = OTLP.metrics(agent: "a1", [
            OTLP.sum(Self.records, [OTLP.point(10, at: 10, attributes: special), OTLP.point(90, at: 10, attributes: plain)]),
            OTLP.sum(Self.failures, [OTLP.point(1, at: 10, attributes: plain)]),
        ])
        let first = accumulator.ingest(request, at: 100).observations.first?.counters
        #expect(first == [Self.records: 100, filtered: 10, Self.failures: 1], "no special failure yet: the filtered numerator is absent, read as zero")
        let later = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.sum(Self.records, [OTLP.point(14, at: 20, attributes: special)]),
            OTLP.sum(Self.failures, [OTLP.point(3, at: 20, attributes: special)]),
        ]), at: 110).observations.first?.counters
        #expect(later?[filtered] == 14)
        #expect(later?[check.metricKey(Self.failures)] == 3)
        #expect(later?[Self.failures] == 4)
    }

    @Test mutating func agentsAreAccumulatedApart() {
        let request = OTLP.metrics([
            (OTLP.resource(agent: "a1"), [OTLP.sum(Self.records, [OTLP.point(10, at: 10)])]),
            (OTLP.resource(agent: "a2", version: "2.3.1"), [OTLP.sum(Self.records, [OTLP.point(3, at: 10)])]),
        ])
        let observations = accumulator.ingest(request, at: 100).observations
        #expect(observations.map { [$0.agent, $0.version ?? "", "\($0.counters[Self.records] ?? -1)"] } == [["a1", "2.4.0", "10.0"], ["a2", "2.3.1", "3.0"]])
    }

    @Test mutating func gaugesAndNonMonotonicSumsAreAcceptedButIgnored() {
        let (observations, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.gauge("agent.queue.depth", [OTLP.point(3, at: 10)]),
            OTLP.sum("agent.inflight", [OTLP.point(2, at: 10)], monotonic: false),
        ]), at: 100)
        #expect(observations.isEmpty)
        #expect(summary.ignored == 2)
        #expect(summary.rejected == 0)
    }

    @Test mutating func invalidPointsAreRejectedWithTheirReason() {
        let (_, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.sum(Self.records, [OTLP.point(-1, at: 10), OTLP.point(.nan, at: 11, attributes: [OTLP.attribute("k", "v")])]),
            OTLP.sum(Self.failures, [OTLP.point(1, at: 10)], temporality: .unspecified),
            OTLP.histogram(Self.latency, bounds: [1, 2], counts: [1, 2], sum: 1, at: 10),
        ]), at: 100)
        #expect(summary.rejected == 4)
        #expect(summary.problems.count == 3)
    }

    @Test mutating func aRejectionNamesItsMetricButALongNameIsCutShort() {
        let name = String(repeating: "m", count: 250)
        let (_, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.sum(name, [OTLP.point(-1, at: 10)])]), at: 100)
        #expect(summary.problems.first?.count == 201)
    }

    @Test mutating func aHugeNameIsRejectedWithoutRepeatingIt() {
        let name = String(repeating: "m", count: 10_000)
        let (_, summary) = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.sum(name, [OTLP.point(1, at: 10)])]), at: 100)
        #expect(summary.rejected == 1)
        #expect(summary.problems == ["a metric name is longer than 255 bytes"])
    }

    @Test mutating func cumulativeHistogramsAreReportedAsExported() {
        let first = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [0.1, 1], counts: [3, 2, 1], sum: 2.5, at: 10)]), at: 100)
        #expect(first.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [0.1, 1], counts: [3, 2, 1], count: 6, sum: 2.5))
        let second = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [0.1, 1], counts: [5, 2, 1], sum: 2.6, at: 20)]), at: 110)
        #expect(second.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [0.1, 1], counts: [5, 2, 1], count: 8, sum: 2.6))
    }

    @Test mutating func exponentialHistogramsLandOnTheGridWhateverTheirScale() {
        // Scale 3 buckets 0 and 1 are (1, 2^(1/8)] and (2^(1/8), 2^(1/4)]: both the grid's bucket 0.
        let first = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.exponentialHistogram(Self.latency, scale: 3, offset: 0, counts: [2, 1], zeroCount: 1, sum: 3.5, at: 10),
        ]), at: 100)
        #expect(first.observations.first?.histograms[Self.latency] == HistogramCounts(
            bounds: ExponentialBucketGrid.bounds(0...0), counts: [1, 3, 0], count: 4, sum: 3.5
        ))
        // The SDK downscaled to 2 when a slower record arrived; the total is as exported, on a wider stretch.
        let second = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.exponentialHistogram(Self.latency, scale: 2, offset: 0, counts: [3, 0, 0, 0, 2], zeroCount: 1, sum: 7.5, at: 20),
        ]), at: 110)
        #expect(second.observations.first?.histograms[Self.latency] == HistogramCounts(
            bounds: ExponentialBucketGrid.bounds(0...4), counts: [1, 3, 0, 0, 0, 2, 0], count: 6, sum: 7.5
        ))
    }

    @Test mutating func deltaExponentialHistogramsAtDifferentScalesAddUpOnTheGrid() {
        _ = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.exponentialHistogram(Self.latency, scale: 3, offset: 0, counts: [2, 1], sum: 3.25, at: 10, temporality: .delta),
        ]), at: 100)
        let second = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.exponentialHistogram(Self.latency, scale: 2, offset: 4, counts: [2], sum: 4.5, start: OTLP.started + 10 * OTLP.second, at: 20, temporality: .delta),
        ]), at: 110)
        #expect(second.observations.first?.histograms[Self.latency] == HistogramCounts(
            bounds: ExponentialBucketGrid.bounds(0...4), counts: [0, 3, 0, 0, 0, 2, 0], count: 5, sum: 7.75
        ))
    }

    @Test mutating func anExponentialHistogramOffTheGridIsRejectedWithItsReason() {
        let result = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.exponentialHistogram(Self.latency, scale: 21, offset: 0, counts: [1], sum: 1, at: 10),
            OTLP.exponentialHistogram(Self.latency + ".far", scale: 0, offset: 70, counts: [1], sum: 1, at: 10),
        ]), at: 100)
        #expect(result.observations.allSatisfy { $0.histograms.isEmpty })
        #expect(result.summary.rejected == 2)
        #expect(result.summary.problems.contains { $0.contains("scale must be from -10 to 20") })
    }

    @Test mutating func deltaHistogramsAndResetHistogramsAddUp() {
        _ = accumulator.ingest(OTLP.metrics(agent: "a1", [OTLP.histogram(Self.latency, bounds: [1], counts: [3, 1], sum: 4, at: 10, temporality: .delta)]), at: 100)
        let second = accumulator.ingest(OTLP.metrics(agent: "a1", [
            OTLP.histogram(Self.latency, bounds: [1], counts: [1, 1], sum: 2, start: OTLP.started + 10 * OTLP.second, at: 20, temporality: .delta),
        ]), at: 110)
        #expect(second.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [1], counts: [4, 2], count: 6, sum: 6))

        _ = accumulator.ingest(OTLP.metrics(agent: "a2", [OTLP.histogram(Self.latency, bounds: [1], counts: [5, 5], sum: 9, at: 10)]), at: 100)
        let restarted = accumulator.ingest(OTLP.metrics(agent: "a2", [
            OTLP.histogram(Self.latency, bounds: [1], counts: [6, 6], sum: 10, start: OTLP.started + 15 * OTLP.second, at: 20),
        ]), at: 110)
        #expect(restarted.observations.first?.histograms[Self.latency] == HistogramCounts(bounds: [1], counts: [11, 11], count: 22, sum: 19))
    }

    @Test mutating func theEnginesNormaliserSeesTheIncreasesTheAgentReported() {
        var normalizer = CumulativeNormalizer()
        var increases: [Double] = []
        let points: [(Double, UInt64, UInt64)] = [(10, 0, 10), (30, 0, 20), (5, 25, 30), (8, 25, 40)]
        for (value, startOffset, at) in points {
            let request = OTLP.metrics(agent: "a1", [OTLP.sum(Self.records, [OTLP.point(value, start: OTLP.started + startOffset * OTLP.second, at: at)])])
            let observation = accumulator.ingest(request, at: Double(at)).observations[0]
            let sample = normalizer.sample(agent: "a1", cohort: .canary, time: observation.time, counters: observation.counters, spans: [:], histograms: [:])
            increases.append(sample.counters[Self.records] ?? -1)
        }
        #expect(increases == [10, 20, 5, 3])
    }
}

/// Agents come and go; the receiver's memory follows those that report.
@Suite struct DepartedAgentTests {
    @Test func agentsSilentPastTheCutoffAreForgottenAndOneThatReturnsStartsANewTotal() {
        var accumulator = MetricAccumulator()
        for index in 0..<1_000 {
            _ = accumulator.ingest(OTLP.metrics(agent: "churn-\(index)", [OTLP.sum(MetricAccumulatorTests.records, [OTLP.point(5, at: 10)])]), at: 100)
        }
        _ = accumulator.ingest(OTLP.metrics(agent: "stays", [OTLP.sum(MetricAccumulatorTests.records, [OTLP.point(7, at: 10)])]), at: 200)
        #expect(accumulator.agentCount == 1_001)
        #expect(accumulator.forget(silentSince: 150).count == 1_000)
        #expect(accumulator.agentCount == 1)

        let back = accumulator.ingest(OTLP.metrics(agent: "churn-0", [OTLP.sum(MetricAccumulatorTests.records, [OTLP.point(8, at: 20)])]), at: 300)
        #expect(back.observations.first?.counters[MetricAccumulatorTests.records] == 8, "a new running total: the point counts in full")
        let stays = accumulator.ingest(OTLP.metrics(agent: "stays", [OTLP.sum(MetricAccumulatorTests.records, [OTLP.point(9, at: 20)])]), at: 300)
        #expect(stays.observations.first?.counters[MetricAccumulatorTests.records] == 9, "an agent still reporting keeps its total")
    }

    @Test func theReceiverForgetsTotalsAndExemplarsOfDepartedAgents() throws {
        var settings = OTLPReceiver.Settings()
        settings.forgetAgentsAfterSeconds = 60
        let receiver = OTLPReceiver(settings: settings)
        for index in 0..<50 {
            let traces = try OTLP.traces(agent: "a\(index)", [OTLP.span(number: 1, error: true)]).serializedBytes() as [UInt8]
            let metrics = try OTLP.metrics(agent: "a\(index)", [OTLP.sum(MetricAccumulatorTests.records, [OTLP.point(1, at: 10)])]).serializedBytes() as [UInt8]
            _ = try receiver.receiveTraces(traces, encoding: .protobuf, coding: .identity, at: Double(index))
            _ = try receiver.receiveMetrics(metrics, encoding: .protobuf, coding: .identity, at: Double(index))
        }
        #expect(receiver.agentsHeld == (50, 50))
        receiver.forgetDepartedAgents(now: 100)
        #expect(receiver.agentsHeld == (10, 10), "those heard from in the last minute (40 to 49) are kept")
        #expect(receiver.exemplars(agent: "a0", spanName: "process_data_record").isEmpty)
        #expect(receiver.exemplars(agent: "a49", spanName: "process_data_record").count == 1)
    }
}
