import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// When Prometheus cannot be read, a rollout halts with the reason and never promotes, and
/// `/metrics` counts the failures: the controller on a manual clock, the Prometheus URL (the
/// server's, or the one the policy names) a loopback port nobody listens on.
@Suite struct PrometheusDownTests {
    static let adminToken = "prom-down-admin-token"
    static let agentToken = "prom-down-agent-token"
    static let epoch = 1_800_000_000.0
    static let policyYAML = """
        name: prom-down
        selector: {labels: {role: collector}}
        steps:
          - {cohort: canary, percent: 50, bake: 1m}
          - {cohort: all,    percent: 100}
        analysis:
          interval: 10s
          onNoData: halt
          checks:
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total,
                      denominator: agent.data.records_processed_total}
              onFail: rollback

        """

    @Test func anUnreachablePrometheusHaltsTheRolloutWithTheReasonAndNeverPromotes() async throws {
        let nobody = try FreePort.pick()
        try await haltsWithoutPrometheus(at: nobody, serverArguments: ["--prometheus-url", "http://127.0.0.1:\(nobody)"], policyYAML: Self.policyYAML)
    }

    /// The server reads its embedded store; the policy names its own Prometheus, and that is the
    /// one the rollout reads.
    @Test func aPolicysOwnPrometheusIsTheOneItsRolloutReads() async throws {
        let nobody = try FreePort.pick()
        let policy = Self.policyYAML + """
            metrics:
              prometheus: {url: "http://127.0.0.1:\(nobody)", timeout: 2s, step: 5s}

            """
        try await haltsWithoutPrometheus(at: nobody, serverArguments: [], policyYAML: policy)
    }

    private func haltsWithoutPrometheus(at nobody: Int, serverArguments: [String], policyYAML: String) async throws {
        let bellwether = try ProductProcess()
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("prom-down-\(UUID().uuidString).yaml").path
        try policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: policy) }
        let server = try RunningServer(
            bellwether, token: Self.adminToken, agentToken: Self.agentToken, manualClock: Self.epoch,
            arguments: serverArguments + ["--heartbeat-seconds", "10"]
        )
        defer { server.stop() }
        try await server.waitUntilReady()
        var fleet = SimulatedFleet(
            size: 20, version: "1.0.0", now: Self.epoch, failureRate: ["1.0.0": 0.01, "2.0.0": 0.01],
            agentToken: Self.agentToken, adminToken: Self.adminToken, seed: 8
        )
        try await fleet.tick(on: server)
        let started = try bellwether.run(
            ["rollout", "start", "--policy", policy, "--version", "2.0.0"],
            environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken]
        )
        try #require(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Well past the bake: a source that fails must never let the step promote.
        var states: [String] = []
        for _ in 0..<20 {
            let advance = try await fleet.tick(on: server)
            if let state = advance.rollouts[id] { states.append(state) }
            if states.last?.hasPrefix("halted") == true { break }
        }
        #expect(states.last?.hasPrefix("halted") == true, "\(states)")
        let steps = Set(states.filter { $0.hasPrefix("progressing") || $0.hasPrefix("halted") }.map { $0.drop { $0 != "(" } })
        #expect(steps.count == 1 && !states.contains("completed"), "never promoted past the first step: \(states)")

        let (status, body) = try await server.request("GET", "/api/v1/rollouts/\(id)", token: Self.adminToken)
        #expect(status == 200)
        let rollout = try APICoding.decoder().decode(RolloutView.self, from: body)
        #expect(rollout.reason.contains("could not reach Prometheus at http://127.0.0.1:\(nobody)"), "\(rollout.reason)")
        let report = try bellwether.run(
            ["rollout", "report", id], environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken]
        )
        #expect(report.stdout.contains("Telemetry could not be read: the metric source could not be read: could not reach Prometheus"))

        let (metricsStatus, metricsBody) = try await server.request("GET", "/metrics", token: nil)
        #expect(metricsStatus == 200)
        let failures = String(decoding: metricsBody, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("bellwether_metric_source_failures_total{") && $0.contains(#"source="prometheus""#) && $0.contains(#"reason="unreachable""#)
        }
        let counted = try #require(failures.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }, "no failure counter in /metrics")
        #expect(counted >= 2, "both unreadable boundaries counted: \(failures ?? "")")
    }
}
