import BellwetherAPI
import BellwetherCore
import BellwetherServer
import BellwetherTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics` speaks Prometheus' text format, needs no token, and tells the truth about
/// rollouts, transitions, verdicts, agents, heartbeats and OTLP.
@Suite struct MetricsEndpointTests {
    /// `name{labels} value` lines, keyed by everything before the value.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func aScrapeReportsTheFleetTheRolloutsAndTheirTransitions() async throws {
        let server = try await ServerHarness()
        let text = try await server.test { client in
            _ = try await client.heartbeat("a1", version: "2.3.1")
            _ = try await client.heartbeat("a2", version: "2.3.1")
            server.clock.advance(seconds: 120)
            _ = try await client.heartbeat("a3", version: "2.4.0")
            let started = try await client.startRollout()
            #expect(started.status == .created)
            let id = try started.decode(RolloutView.self).id
            #expect(try await client.post("/api/v1/rollouts/\(id)/pause").status == .ok)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            return String(buffer: response.body)
        }
        let samples = Self.samples(text)
        #expect(samples[#"bellwether_rollouts{state="halted"}"#] == 1)
        #expect(samples[#"bellwether_rollouts{state="progressing"}"#] == 0)
        #expect(samples[#"bellwether_rollout_transitions_total{from="pending",to="progressing",kind="start"}"#] == 1)
        #expect(samples[#"bellwether_rollout_transitions_total{from="progressing",to="halted",kind="pause"}"#] == 1)
        #expect(samples[#"bellwether_agents{state="silent",version="2.3.1"}"#] == 2)
        #expect(samples[#"bellwether_agents{state="live",version="2.4.0"}"#] == 1)
        #expect(samples["bellwether_heartbeats_received_total"] == 3)
        let offset = try #require(samples["bellwether_wall_clock_offset_seconds"])
        let offsetAfter = Date().timeIntervalSince(server.clock.now)
        #expect(offset <= offsetAfter && offset > offsetAfter - 60, "wall clock minus the harness's manual clock")
        try PromTool.check(text)
    }

    @Test func countersFromTheStoreOnlyGrowAndVanishedAgentsLeaveNoStaleGauge() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.heartbeat("a1", version: "2.3.1")
            let first = Self.samples(String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil).body))
            #expect(first[#"bellwether_agents{state="live",version="2.3.1"}"#] == 1)
            _ = try await client.heartbeat("a1", version: "2.4.0")
            let second = Self.samples(String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil).body))
            #expect(second[#"bellwether_agents{state="live",version="2.3.1"}"#] == nil)
            #expect(second[#"bellwether_agents{state="live",version="2.4.0"}"#] == 1)
            #expect(second["bellwether_heartbeats_received_total"] == 2)
        }
    }
}

/// Debian's `promtool check metrics`, the Prometheus project's own linter of the exposition format.
/// It exits 1 on a malformed exposition and 3 on lint problems; the only problem allowed is the
/// missing help text of metrics counted through swift-metrics, whose API has no place for it.
enum PromTool {
    static let countedThroughSwiftMetrics = [
        "bellwether_notification_deliveries_total", "bellwether_analysis_duration_seconds", "bellwether_metric_source_failures_total",
        "bellwether_control_passes_total",
    ]

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ exposition: String) throws {
        let (status, said) = try PromToolMetrics.check(exposition)
        let problems = said.split(separator: "\n").filter { line in
            !countedThroughSwiftMetrics.contains { line == "\($0) no help text" }
        }
        guard [0, 3].contains(status), problems.isEmpty else {
            throw Failed(description: "promtool check metrics failed (status \(status)):\n\(said)")
        }
    }
}
