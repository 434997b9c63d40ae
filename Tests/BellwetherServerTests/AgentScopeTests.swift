import BellwetherAPI
import BellwetherCore
import BellwetherOpAMP
import BellwetherServer
import BellwetherTelemetry
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A token scoped to an id prefix (`agentTokens:`) speaks for those agents only, on every agent
/// endpoint: what it sends for another agent is refused before it reaches the fleet, the store or
/// the receiver's running totals, and the fleet-wide agent token still speaks for everyone.
@Suite struct AgentScopeTests {
    static let scopedToken = "harness-scoped-eu-3b7d91c4e2a8f056"

    static func server() async throws -> ServerHarness {
        try await ServerHarness { $0.scopedAgentTokens = [ScopedAgentToken(idPrefix: "eu-", token: scopedToken)] }
    }

    static var scoped: HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(scopedToken)"
        return headers
    }

    static func heartbeat(_ id: String, headers: HTTPFields = scoped) throws -> (HTTPFields, ByteBuffer) {
        (headers, ByteBuffer(data: try APICoding.encoder().encode(HeartbeatRequest(id: id, version: "2.3.1", labels: ["role": "collector"]))))
    }

    @Test func aScopedTokenHeartbeatsForItsOwnAgentsAndIsRefusedForOthers() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let (headers, own) = try Self.heartbeat("eu-collector-1")
            #expect(try await client.execute(uri: "/api/v1/agents/heartbeat", method: .post, headers: headers, body: own).status == .ok)
            let (_, other) = try Self.heartbeat("us-collector-1")
            let refused = try await client.execute(uri: "/api/v1/agents/heartbeat", method: .post, headers: headers, body: other)
            #expect(refused.status == .forbidden)
            #expect(refused.error?.code == "agent-out-of-scope")
            #expect(refused.error?.message.contains("starting with 'eu-'") == true, "\(refused.error?.message ?? "")")
            #expect(try await client.heartbeat("us-collector-2").desiredVersion == "2.3.1", "the fleet's agent token speaks for everyone")
        }
        #expect(await server.fleet.snapshot().map(\.agent.id).sorted() == ["eu-collector-1", "us-collector-2"])
    }

    @Test func observationsWithOneLineForAnotherAgentStoreNothing() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let mixed = #"{"agent": "eu-1", "counters": {"records": 1}}"# + "\n" + #"{"agent": "us-1", "counters": {"records": 1}}"#
            let refused = try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.scoped, body: ByteBuffer(string: mixed))
            #expect(refused.status == .forbidden)
            #expect(refused.error?.message.hasPrefix("nothing was stored: agent us-1 is outside") == true, "\(refused.error?.message ?? "")")
            #expect(try server.store.observations(from: 0, through: .infinity).isEmpty)
            let own = #"{"agent": "eu-1", "counters": {"records": 1}}"#
            #expect(try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.scoped, body: ByteBuffer(string: own)).status == .accepted)
        }
    }

    @Test func otlpResourcesOfOtherAgentsAreRejectedAsAPartialSuccessAndTouchNoTotal() async throws {
        let server = try await Self.server()
        try await server.test { client in
            var request = OTLPRouteTests.metrics(agent: "eu-1", 10)
            request.resourceMetrics += OTLPRouteTests.metrics(agent: "us-1", 1_000).resourceMetrics
            var headers = Self.scoped
            headers[.contentType] = "application/x-protobuf"
            let response = try await client.execute(uri: "/v1/metrics", method: .post, headers: headers, body: ByteBuffer(bytes: try request.serializedBytes() as [UInt8]))
            #expect(response.status == .ok)
            let answer = try OTLPExportMetricsServiceResponse(serializedBytes: Array(response.body.readableBytesView))
            #expect(answer.partialSuccess.rejectedDataPoints == 1)
            #expect(answer.partialSuccess.errorMessage.contains("agent us-1 is outside this token's scope"))
        }
        #expect(try server.storedTelemetry().map(\.agent) == ["eu-1"])
        #expect(server.components.otlp.agentsHeld.metrics == 1, "the refused agent has no running total in memory")
    }

    @Test func anOpAMPAgentOutsideTheScopeIsRefused() async throws {
        let server = try await Self.server()
        try await server.test { client in
            var headers = Self.scoped
            headers[.contentType] = "application/x-protobuf"
            let response = try await client.execute(
                uri: "/v1/opamp", method: .post, headers: headers, body: ByteBuffer(bytes: try OpAMPRouteTests.fullState().serializedBytes() as [UInt8])
            )
            #expect(response.status == .forbidden)
            let reply = try OpAMPServerToAgent(serializedBytes: Array(response.body.readableBytesView))
            #expect(reply.errorResponse.errorMessage.contains("collector-1 is outside this token's scope"), "\(reply.errorResponse.errorMessage)")
        }
        #expect(await server.fleet.snapshot().isEmpty)
        #expect(await server.components.opamp.count == 0, "the refused instance holds no OpAMP session")
    }

    @Test func aScopedTokenIsAnAgentTokenAndOpensNoOperatorEndpoint() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let response = try await client.execute(uri: "/api/v1/rollouts", method: .get, headers: Self.scoped, body: nil)
            #expect(response.status == .forbidden)
        }
    }
}
