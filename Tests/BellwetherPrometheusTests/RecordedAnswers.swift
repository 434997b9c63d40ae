import BellwetherCore
import BellwetherPrometheus
import Foundation

/// Answers of a real Prometheus 2.42 (Debian's) to the queries `PrometheusQuery.plan` builds, as
/// `curl --data-urlencode query=… /api/v1/query_range` saved them: two agents on 1.0.0 scraped
/// every second from a Python fleet on the official `prometheus_client` (since replaced by
/// `bellwether sim --expose-prometheus`, which writes the same names and labels), read at
/// 1795561967, …69 and …71.
enum RecordedAnswers {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus")
    static let agents: Set<String> = ["agent-000", "agent-001"]
    static let times = [1_795_561_967.0, 1_795_561_969.0, 1_795_561_971.0]
    static let records = "agent.data.records_processed_total"
    static let failures = "agent.data.enrichment_failures_total"
    static let latency = "agent.data.processing_duration_seconds"
    static let span = "process_data_record"

    static func body(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
    }

    static func series(_ name: String) throws -> [PrometheusSeries] {
        try PrometheusMatrix.parse(body(name), query: name)
    }

    /// Every answer of the plan for the example policy's four checks, with the query it answers.
    static func all() throws -> [(query: PrometheusQuery, series: [PrometheusSeries])] {
        let feeds: [(PrometheusQuery.Feeds, String)] = [
            (.counter(records), "counter-records"),
            (.counter(failures), "counter-failures"),
            (.histogramBuckets(latency), "histogram-buckets"),
            (.histogramSum(latency), "histogram-sum"),
            (.spans(span, failedWhen: [.statusError]), "spans"),
        ]
        return try feeds.map { feeds, file in (query: PrometheusQuery(promql: "", feeds: feeds), series: try series(file)) }
    }
}
