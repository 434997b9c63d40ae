import BellwetherAPI
import BellwetherServer
import Foundation
import HummingbirdTesting
import Testing

/// Bodies built to break parsers: each is refused with a 4xx that names the problem, and the
/// server goes on serving (docs/limits.md lists every limit these exercise).
@Suite struct HostileBodyTests {
    static let deep = String(repeating: "[", count: 200_000)

    @Test func jsonNestedTwoHundredThousandDeepIsA400OnEveryJSONEndpoint() async throws {
        let server = try await ServerHarness { $0.limits.jsonBytes = 1 << 20 }
        try await server.test { client in
            let heartbeat = try await client.post("/api/v1/agents/heartbeat", .agent, body: #"{"id": "a1", "labels": "# + Self.deep)
            #expect(heartbeat.status == .badRequest, "\(heartbeat.text)")
            let start = try await client.post("/api/v1/rollouts", body: #"{"policy": "# + Self.deep)
            #expect(start.status == .badRequest, "\(start.text)")
            #expect(try await client.heartbeat("a1").desiredVersion == "2.3.1")
        }
    }

    @Test func aPolicyNestedTwoHundredThousandDeepIsRefusedAsAPolicyError() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let start = try await client.startRollout(policy: "steps: " + Self.deep)
            #expect(start.status == .badRequest, "\(start.text)")
            #expect(start.error?.code == "invalid-policy", "\(start.text)")
            #expect(try await client.heartbeat("a1").desiredVersion == "2.3.1")
        }
    }

    @Test func anObservationBatchOverItsLimitIsA413BeforeItIsParsed() async throws {
        let server = try await ServerHarness { $0.limits.observationBytes = 1_000 }
        let line = #"{"agent": "a1", "counters": {"records": 10}}"#
        try await server.test { client in
            let response = try await client.post("/api/v1/observations", .agent, body: Array(repeating: line, count: 40).joined(separator: "\n"))
            #expect(response.status == .contentTooLarge)
            #expect(response.error?.code == "too-large")
            let small = try await client.post("/api/v1/observations", .agent, body: line)
            #expect(small.status.code / 100 == 2, "\(small.text)")
        }
        #expect(try server.store.observations(from: 0, through: .infinity).count == 1)
    }

    @Test func heartbeatsUnderNewIdsPastTheFleetLimitAreA503AndKnownAgentsGoOn() async throws {
        let server = try await ServerHarness { $0.limits.fleetAgents = 2 }
        try await server.test { client in
            _ = try await client.heartbeat("a1")
            _ = try await client.heartbeat("a2")
            let third = try await client.post("/api/v1/agents/heartbeat", .agent, json: HeartbeatRequest(id: "a3", version: "2.3.1"))
            #expect(third.status == .serviceUnavailable)
            #expect(third.error?.code == "full")
            #expect(third.error?.message.contains("limit of 2 agents") == true, "\(third.text)")
            #expect(try await client.heartbeat("a1").desiredVersion == "2.3.1", "a known agent goes on")
        }
        #expect(await server.fleet.snapshot().count == 2)
    }
}
