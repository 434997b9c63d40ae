import BellwetherCore
@testable import BellwetherPrometheus
import Foundation
import Testing

/// The PromQL the source sends: raw cumulative series summed by agent and version, never
/// `rate()` or `increase()`, for exactly the metrics the policy's checks read.
@Suite struct PrometheusQueryTests {
    static let settings = PrometheusSettings(baseURL: URL(string: "http://prometheus:9090")!)

    static let policyChecks = AnalysisSpec(checks: [
        Check(name: "ratio", kind: .ratio(numerator: "agent.data.enrichment_failures_total", denominator: "agent.data.records_processed_total")),
        Check(name: "spans", kind: .spans(name: "process_data_record", failedWhen: [.statusError, .attribute(key: "data.incomplete", value: .bool(true))])),
        Check(name: "p99", kind: .histogram(metric: "agent.data.processing_duration_seconds", quantile: 0.99)),
        Check(name: "throughput", kind: .rate(metric: "agent.data.records_processed_total")),
    ])

    @Test func thePolicysChecksBecomeOneRawQueryPerSeriesKind() {
        let queries = PrometheusQuery.plan(agents: ["a-2", "a-1"], needs: MetricNeeds(Self.policyChecks), settings: Self.settings)
        let selector = #"service_instance_id=~"a-1|a-2""#
        #expect(queries.map(\.promql) == [
            "sum by (service_instance_id, service_version) (agent_data_enrichment_failures_total{\(selector)})",
            "sum by (service_instance_id, service_version) (agent_data_records_processed_total{\(selector)})",
            "sum by (service_instance_id, service_version, le) (agent_data_processing_duration_seconds_bucket{\(selector)})",
            "sum by (service_instance_id, service_version) (agent_data_processing_duration_seconds_sum{\(selector)})",
            "sum by (service_instance_id, service_version, status_code, data_incomplete) "
                + "(traces_span_metrics_calls_total{span_name=\"process_data_record\", \(selector)})",
        ])
        #expect(queries.allSatisfy { !$0.promql.contains("rate(") && !$0.promql.contains("increase(") })
    }

    @Test func labelNamesAndTheSpanMetricAreConfigurable() {
        var settings = Self.settings
        settings.agentLabel = "instance"
        settings.versionLabel = "version"
        settings.spanCallsMetric = "calls_total"
        let needs = MetricNeeds(counters: ["records"], spans: ["op": []])
        let queries = PrometheusQuery.plan(agents: ["x"], needs: needs, settings: settings).map(\.promql)
        #expect(queries == [
            #"sum by (instance, version) (records_total{instance=~"x"})"#,
            #"sum by (instance, version, status_code) (calls_total{span_name="op", instance=~"x"})"#,
        ])
    }

    @Test func agentNamesAreMatchedLiterallyWhateverTheyHold() {
        let queries = PrometheusQuery.plan(agents: [#"db.1+"x"\y"#], needs: MetricNeeds(counters: ["c"]), settings: Self.settings)
        // The regex escapes `.` and `+`; the PromQL string then escapes backslashes and quotes.
        #expect(queries.first?.promql.contains(#"service_instance_id=~"db\\.1\\+\"x\"\\\\y""#) == true)
    }

    @Test func otelNamesBecomePrometheusNamesAsTheCollectorWritesThem() {
        #expect(PrometheusNaming.counter("agent.data.records_processed_total") == "agent_data_records_processed_total")
        #expect(PrometheusNaming.counter("http.server.requests") == "http_server_requests_total")
        #expect(PrometheusNaming.histogram("agent.data.processing_duration_seconds") == "agent_data_processing_duration_seconds")
        #expect(PrometheusNaming.label("data.incomplete") == "data_incomplete")
        #expect(PrometheusNaming.sanitized("9lives-ok") == "_9lives_ok")
    }

    @Test func rangesEndAtTheBoundaryAndStepBackFromIt() {
        // A 30s interval read from start − interval: every boundary is an evaluation instant.
        let range = PrometheusQuery.range(from: 970, through: 1_060, step: 5)
        #expect(range?.start == 975 && range?.end == 1_060, "`from` itself is excluded")
        #expect(PrometheusQuery.range(from: 970, through: 1_061, step: 7)?.start == 977)
        #expect(PrometheusQuery.range(from: 1_000, through: 1_000, step: 5) == nil)
    }
}
