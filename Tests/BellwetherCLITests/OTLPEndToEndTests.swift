import BellwetherCore
import BellwetherStore
import BellwetherTestSupport
import Foundation
import Testing

/// Agents instrumented with the OpenTelemetry Python SDK export to a running `bellwether serve`
/// with the SDK's own exporters and settings; what they report lands, per agent, in the store the
/// control loop reads.
@Suite struct OTLPEndToEndTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/otel_agent.py").path
    static let adminToken = "otlp-e2e-admin-token"
    static let agentToken = "otlp-e2e-agent-token"

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    /// `otel_agent.py` exporting to `endpoint` with the agent token, as `OTEL_EXPORTER_OTLP_HEADERS`
    /// carries it, and the given extra SDK settings.
    func agent(_ id: String, version: String, fail: String?, endpoint: String, settings: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixture, "--agent", id, "--version", version, "--batches", "3", "--records", "10"]
            + (fail.map { ["--fail", $0] } ?? [])
        process.environment = ProcessInfo.processInfo.environment.merging([
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20\(Self.agentToken)",
            "OTEL_METRIC_EXPORT_INTERVAL": "100",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
        ].merging(settings) { $1 }) { $1 }
        process.standardError = FileHandle.standardError
        try process.run()
        return process
    }

    @Test func recordsAndFailuresOfPythonAgentsLandForTheRightAgent() async throws {
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, otlpListener: true)
        defer { server.stop() }
        try await server.waitUntilReady()
        let canary = try agent("py-canary", version: "2.4.0", fail: "invoice", endpoint: server.url, settings: [
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
        ])
        let baseline = try agent("py-baseline", version: "2.3.1", fail: nil, endpoint: try #require(server.otlpURL), settings: [
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "DELTA",
        ])
        canary.waitUntilExit()
        baseline.waitUntilExit()
        try #require(canary.terminationStatus == 0, "the canary agent's exports failed (is opentelemetry-sdk installed? run scripts/test)")
        try #require(baseline.terminationStatus == 0, "the baseline agent's exports failed")
        #expect(try server.terminate() == 0)

        let store = try BellwetherStore.open(path: server.database)
        let observations = try store.observations(from: 0, through: .infinity)
        func latest(_ agent: String, _ counter: String) -> Double? {
            observations.last { $0.agent == agent && $0.counters[counter] != nil }?.counters[counter]
        }
        func spans(_ agent: String) -> SpanCounts {
            observations.filter { $0.agent == agent }.compactMap { $0.spans["process_data_record"] }
                .reduce(SpanCounts(total: 0, failed: 0)) { SpanCounts(total: $0.total + $1.total, failed: $0.failed + $1.failed) }
        }

        #expect(Set(observations.map(\.agent)) == ["py-canary", "py-baseline"])
        #expect(Set(observations.filter { $0.agent == "py-canary" }.map(\.version)) == ["2.4.0"])
        #expect(Set(observations.filter { $0.agent == "py-baseline" }.map(\.version)) == ["2.3.1"])

        #expect(latest("py-canary", "agent.data.records_processed_total") == 30, "cumulative, gzip, on the API's port")
        #expect(latest("py-canary", "agent.data.enrichment_failures_total") == 15)
        #expect(spans("py-canary") == SpanCounts(total: 30, failed: 15))

        #expect(latest("py-baseline", "agent.data.records_processed_total") == 30, "delta, added up, on --otlp-listen")
        #expect(latest("py-baseline", "agent.data.enrichment_failures_total") == nil)
        #expect(spans("py-baseline") == SpanCounts(total: 30, failed: 0))

        let latency = observations.last { $0.agent == "py-canary" && $0.histograms["agent.data.processing_duration_seconds"] != nil }
        #expect(latency?.histograms["agent.data.processing_duration_seconds"]?.count == 30)
    }

    /// The SDK's base-2 exponential histograms (the aggregation OpenTelemetry recommends for latency)
    /// land on Bellwether's fixed grid, whatever scale the SDK chose and whichever temporality it
    /// exports, so one agent's points add up and two agents' compare bucket by bucket.
    @Test func exponentialHistogramsOfPythonAgentsLandOnTheGrid() async throws {
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, otlpListener: false)
        defer { server.stop() }
        try await server.waitUntilReady()
        let exponential = ["OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION": "base2_exponential_bucket_histogram"]
        let cumulative = try agent("py-exp-cumulative", version: "2.4.0", fail: nil, endpoint: server.url, settings: exponential)
        let delta = try agent("py-exp-delta", version: "2.4.0", fail: nil, endpoint: server.url, settings: exponential.merging([
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "DELTA",
        ]) { $1 })
        cumulative.waitUntilExit()
        delta.waitUntilExit()
        try #require(cumulative.terminationStatus == 0, "the cumulative agent's exports failed (is opentelemetry-sdk installed? run scripts/test)")
        try #require(delta.terminationStatus == 0, "the delta agent's exports failed")
        #expect(try server.terminate() == 0)

        let observations = try BellwetherStore.open(path: server.database).observations(from: 0, through: .infinity)
        for agent in ["py-exp-cumulative", "py-exp-delta"] {
            let latency = try #require(
                observations.last { $0.agent == agent && $0.histograms["agent.data.processing_duration_seconds"] != nil }?
                    .histograms["agent.data.processing_duration_seconds"], "\(agent) reported no latency histogram")
            #expect(ExponentialBucketGrid.stretch(of: latency.bounds) != nil, "\(agent): bounds off the grid: \(latency.bounds)")
            #expect(latency.count == 30, "\(agent): 10 records in each of 3 batches")
            #expect(latency.counts.reduce(0, +) == 30, "\(agent): every record in a bucket")
            #expect(abs(latency.sum - 0.9) < 1e-9, "\(agent): 6 records each of 10, 20, 30, 40 and 50 ms")
            // The median record took 30 ms; one grid bucket is a factor of 2^(1/4).
            let median = try #require(latency.quantile(0.5))
            #expect(median > 0.03 / pow(2, 0.25) && median < 0.03 * pow(2, 0.25), "\(agent): p50 \(median)")
        }
    }
}
