import BellwetherOpAMP
import BellwetherServer
import BellwetherTelemetry
import Hummingbird
import HummingbirdTesting
import Testing

/// Every endpoint of the route table admits only its own kind of token.
@Suite struct AccessTests {
    /// For each kind of endpoint: the token of the other kind is forbidden, none or an unknown one unauthorised.
    static let refusals: [Access: [(Token, HTTPResponse.Status)]] = [
        .operator: [(.none, .unauthorized), (.wrong, .unauthorized), (.agent, .forbidden)],
        .agent: [(.none, .unauthorized), (.wrong, .unauthorized), (.admin, .forbidden)],
    ]

    @Test(arguments: [Access.operator, .agent])
    func everyEndpointOfTheKindRefusesAMissingUnknownOrOtherKindsToken(access: Access) async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for endpoint in Endpoint.allCases where endpoint.access == access {
                for (token, status) in Self.refusals[access] ?? [] where !(endpoint.alsoAdmitsOperator && token == .admin) {
                    let response = try await client.execute(uri: endpoint.concretePath, method: endpoint.method, headers: token.headers, body: nil)
                    #expect(response.status == status, "\(endpoint) with \(token) token")
                    if endpoint == .opamp {
                        let reply = try OpAMPServerToAgent(serializedBytes: Array(response.body.readableBytesView))
                        #expect(reply.errorResponse.errorMessage.contains("token"), "\(endpoint): the refusal in an OpAMP error_response")
                    } else if endpoint.isOTLP {
                        let rpcStatus = try RPCStatus(serializedBytes: Array(response.body.readableBytesView))
                        #expect(rpcStatus.code == (status == .forbidden ? 7 : 16), "\(endpoint): gRPC PERMISSION_DENIED or UNAUTHENTICATED")
                    } else {
                        #expect(response.error?.code == (status == .forbidden ? "forbidden" : "unauthorized"))
                    }
                }
            }
        }
    }

    @Test func everyEndpointOfTheTableIsServedToItsOwnToken() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for endpoint in Endpoint.allCases {
                let token: Token = switch endpoint.access {
                case .anyone: .none
                case .agent: .agent
                case .operator: .admin
                }
                let response = try await client.execute(uri: endpoint.concretePath, method: endpoint.method, headers: token.headers, body: nil)
                #expect(response.error?.code != "not-found", "\(endpoint) is in the table but not routed")
                #expect(![.unauthorized, .forbidden].contains(response.status), "\(endpoint)")
            }
        }
    }

    @Test func observationsAlsoAdmitTheAdminTokenAndNoOtherAgentEndpointDoes() async throws {
        #expect(Endpoint.allCases.filter(\.alsoAdmitsOperator) == [.observations])
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.post("/api/v1/observations", .admin, body: #"{"agent": "a1", "counters": {"records": 1}}"#)
            #expect(response.status == .accepted)
        }
    }

    @Test func withoutConfiguredTokensTheLoopbackServerIsOpen() async throws {
        let server = try await ServerHarness(tokens: false)
        try await server.test { client in
            let rollouts = try await client.get("/api/v1/rollouts", .none)
            let heartbeat = try await client.post("/api/v1/agents/heartbeat", .none, body: #"{"id": "a", "version": "1"}"#)
            #expect(rollouts.status == .ok)
            #expect(heartbeat.status == .ok)
        }
    }

    @Test func livenessAndReadinessNeedNoToken() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let liveness = try await client.get("/healthz", .none)
            let readiness = try await client.get("/readyz", .none)
            #expect(liveness.status == .ok)
            #expect(readiness.status == .ok)
        }
    }
}

extension Endpoint {
    /// The path with a rollout id filled in.
    var concretePath: String { path.replacingOccurrences(of: "{id}", with: "some-rollout") }
}
