import BellwetherCore
import BellwetherTelemetry
import Foundation
import Testing

/// From OTLP spans to per-agent span counts by name, and exemplars of the failing ones.
@Suite struct SpanAccumulatorTests {
    static let record = "process_data_record"
    var accumulator = SpanAccumulator()

    mutating func counts(_ spans: [OTLPSpan], agent: String = "a1") -> [String: SpanCounts] {
        accumulator.ingest(OTLP.traces(agent: agent, spans), at: 100).observations.first?.spans ?? [:]
    }

    @Test mutating func byNameSpansFailOnStatusErrorOrARecordedExceptionAsAPolicysDefault() {
        let spans = [
            OTLP.span(number: 1),
            OTLP.span(number: 2, error: true),
            OTLP.span(number: 3, exception: ("KeyError", "region")),
            OTLP.span(number: 4, attributes: [OTLP.attribute("data.incomplete", true)]),
            OTLP.span("load_batch", number: 6),
        ]
        #expect(counts(spans) == [Self.record: SpanCounts(total: 4, failed: 2), "load_batch": SpanCounts(total: 1, failed: 0)])
    }

    /// Two checks on one span name: one with its own conditions and a filter, one with the
    /// defaults. Each reads its own counts, and a span failing the first is evidence for it alone.
    @Test mutating func aSpansChecksConditionsAndFilterCountApartAndNameTheChecksASpanFailed() throws {
        let incomplete = Check(
            name: "incomplete-invoices", kind: .spans(name: Self.record, failedWhen: [.attribute(key: "data.incomplete", value: .bool(true))]),
            filter: ["record.type": "invoice"]
        )
        let errors = Check(name: "span-errors", kind: .spans(name: Self.record, failedWhen: SpanFailureCondition.policyDefault))
        accumulator.checks = TelemetryChecks(rollouts: [(id: "r1", checks: [incomplete, errors])])
        func record(_ number: UInt8, _ type: String, incomplete: Bool = false, error: Bool = false) -> OTLPSpan {
            OTLP.span(number: number, attributes: [OTLP.attribute("record.type", type), OTLP.attribute("data.incomplete", incomplete)], error: error)
        }
        let spans = [record(1, "invoice", incomplete: true), record(2, "order", incomplete: true), record(3, "invoice"), record(4, "order", error: true)]
        let (observations, _, failing) = accumulator.ingest(OTLP.traces(agent: "a1", spans), at: 100)
        let key = try #require(incomplete.spanKey)
        #expect(key == #"process_data_record{record.type="invoice"} failedWhen[data.incomplete=true]"#)
        #expect(errors.spanKey == Self.record, "a check with the defaults and no filter reads the counts by name")
        #expect(observations.first?.spans == [Self.record: SpanCounts(total: 4, failed: 1), key: SpanCounts(total: 2, failed: 1)])
        #expect(failing.map { $0.exemplar.spanID.prefix(2) } == ["01", "04"])
        #expect(failing.map(\.checks) == [
            [CheckReference(rolloutID: "r1", check: "incomplete-invoices")], [CheckReference(rolloutID: "r1", check: "span-errors")],
        ])
        let orders = accumulator.ingest(OTLP.traces(agent: "a1", [record(5, "order", incomplete: true)]), at: 110).observations
        #expect(orders.first?.spans[key] == SpanCounts(total: 0, failed: 0), "the filter selected nothing: zero, not the name's counts")
    }

    @Test mutating func thePolicysConditionsReplaceTheDefaults() {
        accumulator.classifier = SpanClassifier(conditions: [.attribute(key: "record.valid", value: .bool(false))])
        let spans = [
            OTLP.span(number: 1, error: true),
            OTLP.span(number: 2, attributes: [OTLP.attribute("record.valid", false)]),
            OTLP.span(number: 3, attributes: [OTLP.attribute("record.valid", "false")]),
        ]
        #expect(counts(spans) == [Self.record: SpanCounts(total: 3, failed: 2)], "status ERROR no longer counts; \"false\" as text matches")
    }

    @Test mutating func countsAreDeltasPerRequestAndAgent() {
        _ = counts([OTLP.span(number: 1, error: true)])
        #expect(counts([OTLP.span(number: 2)]) == [Self.record: SpanCounts(total: 1, failed: 0)])
        let request = OTLP.traces([
            (OTLP.resource(agent: "a1"), [OTLP.span(number: 1)]),
            (OTLP.resource(agent: "a2", version: "2.3.1"), [OTLP.span(number: 2), OTLP.span(number: 3)]),
            (OTLP.resource(agent: "a1"), [OTLP.span(number: 4)]),
        ])
        let observations = accumulator.ingest(request, at: 100).observations
        #expect(observations == [
            AgentObservation(agent: "a1", time: 100, version: "2.4.0", spans: [Self.record: SpanCounts(total: 2, failed: 0)]),
            AgentObservation(agent: "a2", time: 100, version: "2.3.1", spans: [Self.record: SpanCounts(total: 2, failed: 0)]),
        ])
    }

    @Test mutating func unattributedSpansAreCountedApart() {
        let (observations, summary, _) = accumulator.ingest(OTLP.traces(agent: nil, [OTLP.span(number: 1), OTLP.span(number: 2, error: true)]), at: 100)
        #expect(observations.isEmpty)
        #expect(summary.unattributed == 2)
        #expect(accumulator.reservoir.exemplars(name: Self.record).isEmpty)
    }

    @Test mutating func spansWithInvalidIdsAreRejected() {
        var short = OTLP.span(number: 1)
        short.traceID = Data([1, 2, 3])
        var zero = OTLP.span(number: 2)
        zero.spanID = Data(count: 8)
        let (observations, summary, _) = accumulator.ingest(OTLP.traces(agent: "a1", [short, zero, OTLP.span(number: 3)]), at: 100)
        #expect(summary.rejected == 2)
        #expect(summary.accepted == 1)
        #expect(observations.first?.spans[Self.record]?.total == 1)
    }

    @Test mutating func aFailingSpanIsKeptAsAnExemplarWithItsRecordAndException() throws {
        _ = counts([OTLP.span(number: 7, attributes: [OTLP.attribute("record.id", "r-42"), OTLP.attribute("record.type", "invoice")],
                              exception: ("KeyError", "'region' missing"))])
        let exemplar = try #require(accumulator.reservoir.exemplars(agent: "a1", name: Self.record).first)
        #expect(exemplar == FailingSpanExemplar(
            agent: "a1", version: "2.4.0",
            traceID: "070707070707070707070707070707ab", spanID: "07070707070707cd",
            name: Self.record, time: Double(OTLP.started + OTLP.second / 2) / 1e9,
            exceptionType: "KeyError", exceptionMessage: "'region' missing",
            attributes: ["record.id": "r-42", "record.type": "invoice"]
        ))
    }

    @Test mutating func exemplarsAreBoundedPerAgentAndSpanNameKeepingTheLatest() {
        accumulator = SpanAccumulator(exemplarsPerSpanName: 3)
        for number in UInt8(1)...7 {
            _ = counts([OTLP.span(number: number, error: true)])
        }
        _ = counts([OTLP.span(number: 9, error: true)], agent: "a2")
        let kept = accumulator.reservoir.exemplars(agent: "a1", name: Self.record)
        #expect(kept.map { $0.spanID.prefix(2) } == ["05", "06", "07"])
        #expect(accumulator.reservoir.exemplars(name: Self.record).map(\.agent) == ["a1", "a1", "a1", "a2"])
    }
}
