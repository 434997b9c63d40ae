import BellwetherCore
@testable import BellwetherPrometheus
import BellwetherTestSupport
import Foundation
import Testing

/// Real Prometheus answers become the per-agent cumulative observations the embedded source
/// hands the controller, and every kind of refusal becomes a typed error that says what failed.
@Suite struct PrometheusAnswerTests {
    typealias R = RecordedAnswers
    static let settings = PrometheusSettings(baseURL: URL(string: "http://127.0.0.1:9090")!)

    @Test func aMatrixIsReadSeriesBySeriesWithItsLabels() throws {
        let series = try R.series("counter-records")
        #expect(series.count == 2)
        #expect(series[0].labels == ["service_instance_id": "agent-000", "service_version": "1.0.0"])
        #expect(series[0].points.map(\.time) == R.times)
        #expect(series[0].points.map(\.value) == [3960, 4760, 5560])
    }

    @Test func eachAgentGetsOneObservationPerInstantWithCumulativeCountersAndHistograms() throws {
        let observations = try PrometheusObservations.assemble(R.all(), agents: R.agents, settings: Self.settings)
        #expect(observations.count == 6, "2 agents × 3 instants")
        #expect(observations.map(\.time) == observations.map(\.time).sorted(), "in time order")
        let last = try #require(observations.last { $0.agent == "agent-000" })
        #expect(last.time == R.times[2])
        #expect(last.version == "1.0.0")
        #expect(last.counters == [R.records: 5560, R.failures: 1124], "raw cumulative values, not increases")

        let latency = try #require(last.histograms[R.latency])
        #expect(latency.bounds == [0.001, 0.005, 0.01, 0.05, 0.1])
        #expect(latency.counts == [0, 96, 43, 0, 0, 0], "Prometheus' cumulative le buckets, one count per bucket as OTLP has them")
        #expect(latency.count == 139)
        #expect(abs(latency.sum - 0.5638480331715877) < 1e-12)
    }

    @Test func spanCallsBecomeDeltasSplitByStatus() throws {
        let observations = try PrometheusObservations.assemble(R.all(), agents: R.agents, settings: Self.settings)
        let agent = observations.filter { $0.agent == "agent-000" }
        #expect(agent[0].spans[R.span] == nil, "the first instant only sets the starting point")
        #expect(agent[1].spans[R.span] == SpanCounts(total: (967 + 3793) - (788 + 3172), failed: 967 - 788))
        #expect(agent[2].spans[R.span] == SpanCounts(total: (1124 + 4436) - (967 + 3793), failed: 1124 - 967))
    }

    @Test func aSpanCounterResetCountsFromZeroAsCountersDo() {
        #expect(PrometheusObservations.increase(from: SpanCounts(total: 500, failed: 9), to: SpanCounts(total: 40, failed: 1))
            == SpanCounts(total: 40, failed: 1))
        #expect(PrometheusObservations.increase(from: SpanCounts(total: 500, failed: 9), to: SpanCounts(total: 540, failed: 9))
            == SpanCounts(total: 40, failed: 0))
    }

    @Test func spansFailOnTheAttributesThePolicyNamesWhenTheCollectorKeptThem() {
        let incomplete = ["status_code": "STATUS_CODE_UNSET", "data_incomplete": "true"]
        let conditions: [SpanFailureCondition] = [.statusError, .attribute(key: "data.incomplete", value: .bool(true))]
        #expect(PrometheusObservations.failedSpans(incomplete, conditions: conditions))
        #expect(PrometheusObservations.failedSpans(["status_code": "STATUS_CODE_ERROR"], conditions: conditions))
        #expect(!PrometheusObservations.failedSpans(["status_code": "STATUS_CODE_OK", "data_incomplete": "false"], conditions: conditions))
        #expect(PrometheusObservations.failedSpans(["status_code": "STATUS_CODE_ERROR"], conditions: []), "the default is status ERROR")
    }

    @Test func seriesOfAgentsOutsideTheRolloutAreLeftOut() throws {
        let observations = try PrometheusObservations.assemble(R.all(), agents: ["agent-001"], settings: Self.settings)
        #expect(Set(observations.map(\.agent)) == ["agent-001"])
    }

    @Test func noSeriesAtAllIsAnErrorNotAQuietFleet() throws {
        let answers = [(PrometheusQuery(promql: "", feeds: .counter(R.records)), try R.series("empty"))]
        #expect(throws: PrometheusError.noSeries(agents: 2, agentLabel: "service_instance_id", metrics: [R.records])) {
            try PrometheusObservations.assemble(answers, agents: R.agents, settings: Self.settings)
        }
        var mislabelled = Self.settings
        mislabelled.agentLabel = "instance"
        #expect(throws: PrometheusError.self) { try PrometheusObservations.assemble(R.all(), agents: R.agents, settings: mislabelled) }
    }

    @Test func aRefusedQueryIsTypedWithPrometheusOwnReason() throws {
        let body = try R.body("error-bad-query")
        #expect(throws: PrometheusError.queryFailed(
            errorType: "bad_data", message: #"1:29: parse error: unexpected "(" in grouping opts, expected "," or ")""#, query: "q"
        )) { try PrometheusMatrix.parse(body, query: "q") }
        #expect(PrometheusMatrix.errorMessage(body).hasPrefix("bad_data: 1:29: parse error"))
    }

    @Test func anythingButTheAPIShapeIsMalformed() {
        for body in ["<html>502 Bad Gateway</html>", #"{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}"#] {
            #expect(throws: PrometheusError.self) { try PrometheusMatrix.parse(Data(body.utf8), query: "q") }
        }
        let nan = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"NaN"],[2,"7"]]}]}}"#
        #expect((try? PrometheusMatrix.parse(Data(nan.utf8), query: "q"))?.first?.points.map(\.value) == [7])
    }

    @Test func aServerNobodyListensOnIsUnreachable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var settings = PrometheusSettings(baseURL: URL(string: "http://127.0.0.1:1")!)
        settings.timeoutSeconds = 5
        let source = PrometheusMetricSource(settings: settings, http: TestHTTP.client)
        let error = await #expect(throws: PrometheusError.self) {
            _ = try await source.observations(agents: ["a"], from: 0, through: 60, needs: MetricNeeds(counters: ["c"]))
        }
        guard case .unreachable(let url, _)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:1/api/v1/query_range")
        #expect(error?.description.hasPrefix("could not reach Prometheus at http://127.0.0.1:1") == true)
    }
}
