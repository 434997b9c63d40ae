import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// Issue 8's "done when": a rollout whose every decision comes from PromQL. Real collectors
/// (`Tests/Fixtures/prometheus_fleet.py`, the official Prometheus client library) heartbeat a real
/// `bellwether serve --prometheus-url`, install what they are told and expose their metrics as the
/// OpenTelemetry Collector's Prometheus exporter names them; Debian's Prometheus scrapes them every
/// second; the controller reads raw cumulative series back with range queries.
///
/// Prometheus stamps samples with the wall clock, so these run in real time on a policy sized for
/// it (5 s intervals, a 20 s bake) and wait on conditions with deadlines, never for fixed times.
@Suite(.serialized) struct PrometheusEndToEndTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus_fleet.py").path
    static let adminToken = "prom-e2e-admin-token"
    static let agentToken = "prom-e2e-agent-token"
    static let stable = "1.0.0"
    static let policyYAML = """
        name: prom-e2e
        selector: {labels: {role: collector}}
        steps:
          - {cohort: canary, percent: 50, bake: 20s}
          - {cohort: all,    percent: 100}
        convergence: {timeout: 30s}
        analysis:
          interval: 5s
          alpha: 0.001
          onNoData: halt
          checks:
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total,
                      denominator: agent.data.records_processed_total}
              worseWhen: higher
              tolerance: {relative: 0.1}
              onFail: rollback
            - name: trace-failure-ratio
              spans: {name: process_data_record, failedWhen: [{status: error}]}
              worseWhen: higher
              tolerance: {relative: 0.1}
              onFail: rollback

        """

    let bellwether: ProductProcess
    let policy: String

    init() throws {
        bellwether = try ProductProcess()
        policy = FileManager.default.temporaryDirectory.appendingPathComponent("prom-e2e-\(UUID().uuidString).yaml").path
        try Self.policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
    }

    @Test func aFaultyVersionIsRolledBackOnWhatPrometheusHolds() async throws {
        let state = try await rollout(target: "2.0.0-bad", failing: 0.2) { phase in phase != .progressing && phase != .pending }
        #expect(state.rollout.state.phase == .rolledBack || state.rollout.state.phase == .rollingBack, "\(state.rollout.reason)")
        #expect(state.rollout.reason.contains("enrichment-failure-ratio") || state.rollout.reason.contains("trace-failure-ratio"))
        let ratio = try #require(state.checks.first { $0.check == "enrichment-failure-ratio" })
        #expect((ratio.canary.value ?? 0) > 5 * (ratio.baseline.value ?? 1), "canary ≈ 20% against baseline ≈ 1%: \(ratio)")
    }

    @Test func aHealthyVersionIsPromotedOnWhatPrometheusHolds() async throws {
        let state = try await rollout(target: "2.0.0", failing: 0.01) { phase in phase != .progressing && phase != .pending }
        #expect(state.rollout.state.phase == .completed, "\(state.rollout.reason)")
        let ratio = try #require(state.checks.first { $0.check == "enrichment-failure-ratio" })
        #expect(ratio.canary.value != nil && ratio.baseline.value != nil, "judged on data from Prometheus: \(ratio)")
    }

    /// Starts Prometheus, the fleet on `stable` and the controller reading Prometheus; starts a
    /// rollout of `target` (which fails enrichment with probability `failing`) and returns its
    /// health once `done` holds for its phase.
    private func rollout(target: String, failing: Double, until done: @escaping (RolloutPhase) -> Bool) async throws -> RolloutHealthView {
        // The controller first, so the fleet has someone to heartbeat; Prometheus's port is
        // chosen before either starts.
        let prometheusPort = try FreePort.pick()
        let server = try RunningServer(
            bellwether, token: Self.adminToken, agentToken: Self.agentToken,
            arguments: ["--prometheus-url", "http://127.0.0.1:\(prometheusPort)", "--heartbeat-seconds", "1", "--silent-after", "5s"]
        )
        defer { server.stop() }
        try await server.waitUntilReady()

        let (fleet, input, metricsAddress) = try startFleet(server: server, target: target, failing: failing)
        defer { try? input.close(); fleet.terminate(); fleet.waitUntilExit() }
        let prometheus = try RealPrometheus(scraping: [metricsAddress], port: prometheusPort)
        defer { prometheus.stop() }
        try await prometheus.wait(until: #"count(agent_data_records_processed_total{service_version="1.0.0"})"#) { $0 == 8 }

        let started = try bellwether.run(
            ["rollout", "start", "--policy", policy, "--version", target],
            environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken]
        )
        try #require(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let deadline = Date().addingTimeInterval(120)
        var health = try await self.health(of: id, on: server)
        while !done(health.rollout.state.phase) {
            guard Date() < deadline else {
                Issue.record("the rollout did not decide within 120 s: \(health.rollout.state.description), \(health.rollout.reason)")
                return health
            }
            try await Task.sleep(for: .milliseconds(250))
            health = try await self.health(of: id, on: server)
        }
        return health
    }

    private func startFleet(server: RunningServer, target: String, failing: Double) throws -> (Process, FileHandle, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.fixture, "--server", server.url, "--agent-token", Self.agentToken, "--agents", "8",
            "--version", Self.stable, "--fail", "\(Self.stable)=0.01", "--fail", "\(target)=\(failing)",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var lines = LineReader(output.fileHandleForReading)
        guard let line = lines.next(), line.hasPrefix("metrics on ") else {
            process.terminate()
            throw RealPrometheus.Missing(what: "the fleet did not start (is prometheus-client installed? run scripts/test)")
        }
        return (process, input.fileHandleForWriting, String(line.dropFirst("metrics on ".count)))
    }

    private func health(of id: String, on server: RunningServer) async throws -> RolloutHealthView {
        let (status, body) = try await server.request("GET", "/api/v1/rollouts/\(id)/health", token: Self.adminToken)
        guard status == 200 else { throw UnexpectedResponse(path: "health", status: status, body: body) }
        return try APICoding.decoder().decode(RolloutHealthView.self, from: body)
    }
}
