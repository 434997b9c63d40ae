import BellwetherTestSupport
import Foundation
import Testing
@testable import BellwetherFleetSim

/// The simulator's Prometheus exposition: the text format byte for byte, names and labels as a
/// Collector writes them, exact cumulative values with resets on restart, and the scrape targets.
@Suite struct PrometheusExpositionTests {
    static let start = 1_800_000_000.0

    static func report(agent: String = "collector-0001", version: String = "2.4.0") -> AgentReport {
        AgentReport(
            agent: agent, version: version, labels: ["role": "collector", "region": "eu-west"], startTime: start, time: start + 60,
            records: 480, failures: 12, latencyCounts: [1, 2, 3, 4], latencySum: 1.25, latencyBounds: [0.005, 0.01, 1], spans: [],
            spanCalls: SpanCalls(enriched: 30, incomplete: 0, failed: 2)
        )
    }

    @Test func oneAgentIsWrittenAsACollectorWouldExposeIt() {
        let labels = #"service_name="collector",service_instance_id="collector-0001",service_version="2.4.0",host_name="collector-0001",cloud_region="eu-west""#
        let golden = """
            # HELP agent_data_records_processed_total Records processed.
            # TYPE agent_data_records_processed_total counter
            agent_data_records_processed_total{\(labels)} 480
            # HELP agent_data_records_processed_created When the counting process started.
            # TYPE agent_data_records_processed_created gauge
            agent_data_records_processed_created{\(labels)} 1800000000
            # HELP agent_data_enrichment_failures_total Records whose enrichment failed.
            # TYPE agent_data_enrichment_failures_total counter
            agent_data_enrichment_failures_total{\(labels)} 12
            # HELP agent_data_enrichment_failures_created When the counting process started.
            # TYPE agent_data_enrichment_failures_created gauge
            agent_data_enrichment_failures_created{\(labels)} 1800000000
            # HELP agent_data_processing_duration_seconds Processing time of one record, in seconds.
            # TYPE agent_data_processing_duration_seconds histogram
            agent_data_processing_duration_seconds_bucket{\(labels),le="0.005"} 1
            agent_data_processing_duration_seconds_bucket{\(labels),le="0.01"} 3
            agent_data_processing_duration_seconds_bucket{\(labels),le="1"} 6
            agent_data_processing_duration_seconds_bucket{\(labels),le="+Inf"} 10
            agent_data_processing_duration_seconds_sum{\(labels)} 1.25
            agent_data_processing_duration_seconds_count{\(labels)} 10
            # HELP agent_data_processing_duration_seconds_created When the counting process started.
            # TYPE agent_data_processing_duration_seconds_created gauge
            agent_data_processing_duration_seconds_created{\(labels)} 1800000000
            # HELP traces_span_metrics_calls_total Spans, as the spanmetrics connector counts them.
            # TYPE traces_span_metrics_calls_total counter
            traces_span_metrics_calls_total{\(labels),span_name="process_data_record",status_code="STATUS_CODE_UNSET"} 30
            traces_span_metrics_calls_total{\(labels),span_name="process_data_record",status_code="STATUS_CODE_ERROR"} 2

            """
        #expect(PrometheusExposition(reports: [Self.report()]).text == golden)
    }

    @Test func agentsShareEachFamilyInAgentOrder() {
        let text = PrometheusExposition(reports: [Self.report(agent: "b"), Self.report(agent: "a")]).text
        let lines = text.split(separator: "\n")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }
        #expect(types.count == 7 && Set(types).count == 7, "one TYPE line per family, however many agents")
        let records = lines.filter { $0.hasPrefix("agent_data_records_processed_total{") }
        #expect(records.count == 2 && records[0].contains(#"service_instance_id="a""#) && records[1].contains(#"service_instance_id="b""#))
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let text = PrometheusExposition(reports: [Self.report(version: "2.4.0-\"rc\"\\\nx")]).text
        #expect(text.contains(#"service_version="2.4.0-\"rc\"\\\nx""#))
        #expect(!text.contains("\nx\""), "no raw line feed inside a label value")
        #expect(PrometheusExposition.escapedHelp("a\\b\nc") == #"a\\b\nc"#)
        #expect(PrometheusExposition.number(.infinity) == "+Inf" && PrometheusExposition.number(.nan) == "NaN")
        #expect(PrometheusExposition.number(2.5) == "2.5" && PrometheusExposition.number(1) == "1")
    }

    @Test func incompleteSpansCarryTheConnectorsDimension() {
        var report = Self.report()
        report.spanCalls = SpanCalls(enriched: 5, incomplete: 3, failed: 0)
        let calls = PrometheusExposition(reports: [report]).text.split(separator: "\n").filter { $0.hasPrefix("traces_span_metrics_calls_total{") }
        #expect(calls.count == 2, "no series for an outcome never seen, as the connector creates them: \(calls)")
        #expect(calls.last?.hasSuffix(#"status_code="STATUS_CODE_UNSET",data_incomplete="true"} 3"#) == true)
    }

    /// The model's exact cumulative values, restarting from zero with a new `_created` on install.
    @Test func countersAreTheModelsAndResetWithTheProcess() throws {
        let profile = AgentProfile(id: "collector-0001", labels: ["region": "eu-west"], recordsPerSecond: 20, specialShare: 0.2, failureRate: 0.02, latencyMedian: 0.02)
        var model = AgentModel(
            profile: profile, settings: SimulationSettings(installDelay: 20...20, installFailureRate: 0, traceSampleRatio: 0.5), startTime: Self.start, seed: 3
        )
        var spans = 0
        var before: AgentReport?
        for second in stride(from: 10.0, through: 100, by: 10) {
            // A scrape in between reads the totals and leaves the spans to the OTLP exporter.
            _ = model.report(at: Self.start + second - 5, takingSpans: false)
            let reported = model.report(at: Self.start + second)
            let report = try #require(reported)
            spans += report.spans.count
            #expect(report.spanCalls.total == UInt64(spans), "the calls counter counts every traced span once")
            before = report
        }
        let old = try #require(before)
        let exposed = PrometheusExposition(reports: [old]).text
        #expect(exposed.contains(#"agent_data_records_processed_total{service_name="collector",service_instance_id="collector-0001",service_version="2.3.1",host_name="collector-0001",cloud_region="eu-west"} \#(old.records)"#))

        model.desire("2.4.0", at: Self.start + 100)
        let scraped = model.report(at: Self.start + 125, takingSpans: false)
        let after = try #require(scraped)
        #expect(after.version == "2.4.0" && after.startTime == Self.start + 120)
        #expect(after.records < old.records && after.spanCalls.total < old.spanCalls.total, "a new process counts from zero")
        let text = PrometheusExposition(reports: [after]).text
        #expect(text.contains(#"service_version="2.4.0""#) && !text.contains(#"service_version="2.3.1""#))
        #expect(text.contains(#"agent_data_records_processed_created{service_name="collector",service_instance_id="collector-0001",service_version="2.4.0",host_name="collector-0001",cloud_region="eu-west"} 1800000120"#))
    }

    @Test func everyAgentIsATargetOfItsOwnOnTheOneListener() {
        let targets = PrometheusTargets(agents: ["collector-0002", "collector-0001"], address: "127.0.0.1:9464")
        let json = String(decoding: targets.json(), as: UTF8.self)
        #expect(json == #"[{"labels":{"__metrics_path__":"/agents/collector-0001/metrics","instance":"collector-0001"},"targets":["127.0.0.1:9464"]},"#
            + #"{"labels":{"__metrics_path__":"/agents/collector-0002/metrics","instance":"collector-0002"},"targets":["127.0.0.1:9464"]}]"#)
        #expect(PrometheusTargets.path(of: "a b/c") == "/agents/a%20b%2Fc/metrics")
    }
}

/// Prometheus' own linter (`promtool check metrics`, from Debian's prometheus package that
/// scripts/test installs) reads a busy fleet's exposition without a complaint.
@Suite struct PrometheusExpositionLintTests {
    @Test func promtoolAcceptsTheExposition() throws {
        let settings = SimulationSettings(behaviours: ["2.3.1": .silentKiller], traceSampleRatio: 1)
        var models = AgentProfile.fleet(count: 3, seed: 2).map { AgentModel(profile: $0, settings: settings, startTime: 1_800_000_000, seed: 2) }
        let reports = models.indices.compactMap { models[$0].report(at: 1_800_000_060) }
        let text = PrometheusExposition(reports: reports).text
        #expect(text.contains("data_incomplete=\"true\"") && text.contains("STATUS_CODE_ERROR"), "every kind of series is linted")
        let (status, said) = try PromToolMetrics.check(text)
        #expect(status == 0 && said.isEmpty, "promtool: \(said)")
    }
}
