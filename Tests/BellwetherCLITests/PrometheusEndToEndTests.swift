import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// Issue 8's "done when": a rollout whose every decision comes from PromQL. The simulated fleet
/// (`bellwether sim --expose-prometheus`) heartbeats a real `bellwether serve --prometheus-url`,
/// installs what it is told, and serves each agent's metrics in Prometheus' text format as an
/// OpenTelemetry Collector would (counters, latency histogram, spanmetrics calls by status and
/// `data.incomplete`); Debian's Prometheus discovers the agents from the simulator's `/targets`
/// and scrapes each every second; the controller reads raw cumulative series back with range queries.
///
/// Prometheus stamps samples with its own wall clock at each scrape, so Prometheus and the
/// controller run in real time, on a policy sized for it (5 s intervals; a 20 s bake for the healthy
/// version, which bakes to the end, and 2 minutes for the faulty one, decided early); only the
/// fleet runs 10× faster (`--speed 10`), which to the controller is a busier fleet that installs
/// in 1–4 s. The test waits on conditions with deadlines, never for fixed times.
@Suite(.serialized) struct PrometheusEndToEndTests {
    static let adminToken = "prom-e2e-admin-token"
    static let agentToken = "prom-e2e-agent-token"
    static let stable = "1.0.0"
    static let agents = 20
    /// A faulty version is rolled back as soon as the evidence is in, however long its bake; only a
    /// healthy one bakes to the end. So the faulty run gets a long bake: on a loaded machine
    /// the real-time scrapes come slower, and a short bake would end with the evidence half in.
    static func policyYAML(bake: String) -> String {
        """
        name: prom-e2e
        selector: {labels: {role: collector}}
        steps:
          - {cohort: canary, percent: 50, bake: \(bake)}
          - {cohort: all,    percent: 100}
        convergence: {timeout: 30s, minFraction: 0.8}
        analysis:
          interval: 5s
          alpha: 0.001
          onNoData: halt
          checks:
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total,
                      denominator: agent.data.records_processed_total}
              worseWhen: higher
              tolerance: {relative: 0.5}
              onFail: rollback
            - name: trace-failure-ratio
              spans: {name: process_data_record, failedWhen: [{status: error}, {attribute: {data.incomplete: true}}]}
              worseWhen: higher
              tolerance: {relative: 0.5}
              onFail: rollback

        """
    }

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    @Test func aFaultyVersionIsRolledBackOnWhatPrometheusHolds() async throws {
        let state = try await rollout(target: "2.0.0-bad", scenario: "silent-killer", bake: "2m") { phase in phase != .progressing && phase != .pending }
        #expect(state.rollout.state.phase == .rolledBack || state.rollout.state.phase == .rollingBack, "\(state.rollout.reason)")
        #expect(state.rollout.reason.contains("enrichment-failure-ratio") || state.rollout.reason.contains("trace-failure-ratio"))
        let ratio = try #require(state.checks.first { $0.check == "enrichment-failure-ratio" })
        #expect((ratio.canary.value ?? 0) > 2 * (ratio.baseline.value ?? 1), "refunds fail on the canary, a few percent elsewhere: \(ratio)")
        let traces = try #require(state.checks.first { $0.check == "trace-failure-ratio" })
        #expect((traces.canary.value ?? 0) > (traces.baseline.value ?? 1), "data_incomplete spans counted from spanmetrics: \(traces)")
    }

    @Test func aHealthyVersionIsPromotedOnWhatPrometheusHolds() async throws {
        let state = try await rollout(target: "2.0.0", scenario: "healthy", bake: "20s") { phase in phase != .progressing && phase != .pending }
        #expect(state.rollout.state.phase == .completed, "\(state.rollout.reason)")
        let ratio = try #require(state.checks.first { $0.check == "enrichment-failure-ratio" })
        #expect(ratio.canary.value != nil && ratio.baseline.value != nil, "judged on data from Prometheus: \(ratio)")
    }

    /// Starts the controller reading Prometheus, the fleet on `stable` and Prometheus scraping it;
    /// starts a rollout of `target` (which behaves as `scenario` says) and returns its health once
    /// `done` holds for its phase.
    private func rollout(target: String, scenario: String, bake: String, until done: @escaping (RolloutPhase) -> Bool) async throws -> RolloutHealthView {
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("prom-e2e-\(UUID().uuidString).yaml").path
        try Self.policyYAML(bake: bake).write(toFile: policy, atomically: true, encoding: .utf8)
        // The controller first, so the fleet has someone to heartbeat; Prometheus's port is
        // chosen before either starts.
        let prometheusPort = try FreePort.pick()
        let server = try RunningServer(
            bellwether, token: Self.adminToken, agentToken: Self.agentToken,
            arguments: ["--prometheus-url", "http://127.0.0.1:\(prometheusPort)", "--heartbeat-seconds", "10", "--silent-after", "30s"]
        )
        defer { server.stop() }
        try await server.waitUntilReady()

        let (fleet, metricsAddress) = try startFleet(server: server, target: target, scenario: scenario)
        defer { fleet.terminate(); fleet.waitUntilExit() }
        let prometheus = try RealPrometheus(discovering: "http://\(metricsAddress)/targets", port: prometheusPort)
        defer { prometheus.stop() }
        // Every agent's counters, histogram and span calls, under the Collector's labels.
        let agents = Double(Self.agents)
        try await prometheus.wait(until: #"count(agent_data_records_processed_total{service_version="1.0.0"})"#) { $0 == agents }
        try await prometheus.wait(until: #"count(agent_data_processing_duration_seconds_bucket{le="+Inf"})"#) { $0 == agents }
        try await prometheus.wait(until: #"count(count by (service_instance_id) (traces_span_metrics_calls_total{span_name="process_data_record"}))"#) { $0 == agents }

        let started = try bellwether.run(
            ["rollout", "start", "--policy", policy, "--version", target],
            environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken]
        )
        try #require(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let deadline = Date().addingTimeInterval(240)
        var health = try await self.health(of: id, on: server)
        while !done(health.rollout.state.phase) {
            guard Date() < deadline else {
                Issue.record("the rollout did not decide within 240 s: \(health.rollout.state.description), \(health.rollout.reason)")
                return health
            }
            try await Task.sleep(for: .milliseconds(250))
            health = try await self.health(of: id, on: server)
        }
        return health
    }

    /// `bellwether sim` serving its agents for Prometheus on a free port, every span traced so the
    /// trace check has as much data as the counters and every install succeeding: returns it and
    /// its `HOST:PORT`.
    private func startFleet(server: RunningServer, target: String, scenario: String) throws -> (Process, String) {
        let (process, output) = try bellwether.start(
            [
                "sim", "--server", server.url, "--agents", String(Self.agents), "--stable-version", Self.stable,
                "--bad-version", target, "--scenario", scenario, "--speed", "10", "--trace-sample-ratio", "1", "--seed", "7",
                // Installs are not what this test is about: a canary short of the policy's
                // minFraction because two of its few agents drew a failed install (2% each by
                // default, ~1% of runs) would halt on convergence before any PromQL decision.
                "--install-failure-rate", "0",
                "--expose-prometheus", "127.0.0.1:0",
            ],
            environment: ["BELLWETHER_AGENT_TOKEN": Self.agentToken]
        )
        var lines = LineReader(output)
        while let line = lines.next() {
            guard line.hasPrefix("prometheus metrics on ") else { continue }
            // Nobody reads the progress lines from here on: drain them so the pipe never fills.
            Thread.detachNewThread { _ = output.readDataToEndOfFile() }
            return (process, String(line.dropFirst("prometheus metrics on ".count)))
        }
        process.terminate()
        throw RealPrometheus.Missing(what: "bellwether sim ended before serving its metrics")
    }

    private func health(of id: String, on server: RunningServer) async throws -> RolloutHealthView {
        let (status, body) = try await server.request("GET", "/api/v1/rollouts/\(id)/health", token: Self.adminToken)
        guard status == 200 else { throw UnexpectedResponse(path: "health", status: status, body: body) }
        return try APICoding.decoder().decode(RolloutHealthView.self, from: body)
    }
}
