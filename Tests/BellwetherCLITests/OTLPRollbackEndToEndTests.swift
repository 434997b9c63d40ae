import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// Issue 5's rollback, end to end: agents written with the OpenTelemetry Python SDK export only
/// OTLP to a real `bellwether serve` on a manual clock, and the version whose enrichment fails for
/// one kind of record is rolled back on that telemetry alone, the report showing the failing spans
/// of its canary as evidence. Each agent is a long-lived process that works a batch when told and
/// says when it is exported, so the test moves in step with it and never sleeps; an upgrade is a
/// restart on the new version, as for a real agent.
@Suite struct OTLPRollbackEndToEndTests {
    static let adminToken = "otlp-rollback-admin-token"
    static let agentToken = "otlp-rollback-agent-token"
    static let stable = "1.0.0"
    static let faulty = "2.0.0"
    static let spansCheck = "incomplete-records"
    static let policyYAML = """
        name: otlp-e2e
        selector: {labels: {role: collector}}
        stratifyBy: zone
        steps:
          - {cohort: canary, percent: 50, bake: 5m}
          - {cohort: all, percent: 100}
        convergence: {timeout: 2m}
        analysis:
          interval: 30s
          alpha: 0.001
          onNoData: halt
          checks:
            - name: \(spansCheck)
              spans: {name: process_data_record, failedWhen: [{attribute: {data.incomplete: true}}]}
              worseWhen: higher
              onFail: rollback
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total, denominator: agent.data.records_processed_total}
              worseWhen: higher
              onFail: rollback

        """

    /// One Python agent process in `--serve` mode.
    final class PythonAgent {
        let id: String
        let version: String
        private let process = Process()
        private let input = Pipe()
        private var lines: LineReader

        init(id: String, version: String, endpoint: String) throws {
            self.id = id
            self.version = version
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", OTLPEndToEndTests.fixture, "--serve", "--agent", id, "--version", version, "--records", "40"]
                + (version == OTLPRollbackEndToEndTests.faulty ? ["--fail", "invoice"] : [])
            process.environment = ProcessInfo.processInfo.environment.merging([
                "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20\(OTLPRollbackEndToEndTests.agentToken)",
                "OTEL_METRIC_EXPORT_INTERVAL": "3600000",
                "OTEL_BSP_SCHEDULE_DELAY": "3600000",
            ]) { $1 }
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            lines = LineReader(output.fileHandleForReading)
            try process.run()
        }

        func startBatch() {
            input.fileHandleForWriting.write(Data("batch\n".utf8))
        }

        /// Returns once the batch is exported (the agent says so), or throws if it died.
        func awaitBatch() throws {
            guard let line = lines.next(), line.hasPrefix("flushed") else { throw AgentDied(id: id) }
        }

        /// Closes its input: it shuts its SDK down and exits; returns its exit status.
        func stop() -> Int32 {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            return process.terminationStatus
        }

        struct AgentDied: Error { var id: String }
    }

    @Test func aCanaryWhoseEnrichmentFailsIsRolledBackOnOTLPDataAloneWithItsFailingSpansAsEvidence() async throws {
        let bellwether = try ProductProcess()
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-e2e-\(UUID().uuidString).yaml").path
        try Self.policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: policy) }
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, manualClock: 1_800_000_000)
        defer { server.stop() }
        try await server.waitUntilReady()
        // Two zones of two agents, stratified: exactly one canary and one baseline agent a zone.
        let ids = (1...4).map { "py-agent-\($0)" }
        var agents = try ids.map { try PythonAgent(id: $0, version: Self.stable, endpoint: server.url) }
        defer { for agent in agents { _ = agent.stop() } }
        func cli(_ arguments: String...) throws -> ProductProcess.Result {
            try bellwether.run(arguments, environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken])
        }
        /// Every agent heartbeats the version it runs; those told another version restart on it.
        func heartbeats() async throws {
            for (index, agent) in agents.enumerated() {
                let zone = index % 2 == 0 ? "a" : "b"
                let body = Data(#"{"id": "\#(agent.id)", "version": "\#(agent.version)", "labels": {"role": "collector", "zone": "\#(zone)"}}"#.utf8)
                let (status, reply) = try await server.request("POST", "/api/v1/agents/heartbeat", token: Self.agentToken, body: body)
                try #require(status == 200, "\(String(decoding: reply, as: UTF8.self))")
                let desired = try APICoding.decoder().decode(HeartbeatReply.self, from: reply).desiredVersion
                if desired != agent.version {
                    #expect(agent.stop() == 0, "\(agent.id)'s exports all succeeded")
                    agents[index] = try PythonAgent(id: agent.id, version: desired, endpoint: server.url)
                }
            }
        }
        /// Ten seconds of controller time and the pass at the new instant; every rollout's state.
        func advance() async throws -> [String: String] {
            let (status, body) = try await server.request("POST", "/api/v1/clock/advance", token: Self.adminToken, body: Data(#"{"seconds": 10}"#.utf8))
            try #require(status == 200)
            return try JSONDecoder().decode(ClockAdvance.self, from: body).rollouts
        }

        try await heartbeats()
        _ = try await advance()  // the fleet is stored: the rollout finds its stable version
        let started = try cli("rollout", "start", "--policy", policy, "--version", Self.faulty)
        try #require(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        var state = ""
        // Ten seconds a tick, three batches an analysis interval.
        for _ in 0..<90 where state != "rolled-back" {
            try await heartbeats()
            try await heartbeats()  // a restarted agent reports its new version at once
            for agent in agents { agent.startBatch() }
            for agent in agents { try agent.awaitBatch() }
            state = try await advance()[id] ?? ""
        }
        let report = try cli("rollout", "report", id).stdout
        try #require(state == "rolled-back", "the faulty canary was not rolled back: \(report)")

        let events = try APICoding.decoder().decode([AuditEventView].self, from: try await server.request("GET", "/api/v1/rollouts/\(id)/events", token: Self.adminToken).body)
        let failed = try #require(events.first { $0.kind == "check-failed" })
        guard case .checkFailed(let check, let action, _)? = failed.detail else {
            Issue.record("check-failed without its evidence")
            return
        }
        #expect(check == Self.spansCheck && action == .rollback)

        let reported = try cli("rollout", "report", id, "--format", "json")
        try #require(reported.status == 0, "\(reported.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(reported.stdout.utf8)) as? [String: Any])
        let exemplars = try APICoding.decoder().decode([ExemplarView].self, from: try JSONSerialization.data(withJSONObject: json["exemplars"] ?? []))
        let canaryAgents = Set(exemplars.map(\.agent))
        #expect(!exemplars.isEmpty, "the report shows the canary's failing spans")
        #expect(canaryAgents.count == 2, "both canary agents' failures, and no baseline agent's: \(canaryAgents)")
        for exemplar in exemplars {
            #expect(exemplar.cohort == "canary" && exemplar.check == Self.spansCheck && exemplar.version == Self.faulty)
            #expect(exemplar.recordID?.hasPrefix(exemplar.agent + "-") == true && exemplar.attributes["record.type"] == "invoice")
            #expect(exemplar.exceptionType == "KeyError" && exemplar.traceID.count == 32 && exemplar.spanID.count == 16)
        }
        #expect(exemplars.count <= 20, "bounded per cohort and check")

        let markdown = try cli("rollout", "report", id)
        #expect(markdown.stdout.contains("## Exemplar failing spans"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("| canary | \(Self.spansCheck) | \(exemplars[0].agent) | \(Self.faulty) | process_data_record | \(exemplars[0].recordID ?? "") | KeyError"), "\(markdown.stdout)")
    }
}
