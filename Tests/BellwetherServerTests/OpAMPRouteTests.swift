import BellwetherAPI
import BellwetherCore
import BellwetherOpAMP
import BellwetherTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwiftProtobuf
import Testing

/// `POST /v1/opamp`: OpAMP over plain HTTP, answered from the session table and the fleet registry.
@Suite struct OpAMPRouteTests {
    static let uid = Data((0..<16).map { UInt8(0xA0 + $0) })

    static func fullState(sequence: UInt64 = 0, version: String = "2.3.1", capabilities: UInt64 = 0x3007) -> OpAMPAgentToServer {
        OpAMPAgentToServer.with {
            $0.instanceUid = uid
            $0.sequenceNum = sequence
            $0.capabilities = capabilities
            $0.agentDescription.identifyingAttributes = [
                .with { $0.key = "service.instance.id"; $0.value.stringValue = "collector-1" },
                .with { $0.key = "service.name"; $0.value.stringValue = "io.example.collector" },
                .with { $0.key = "service.version"; $0.value.stringValue = version },
            ]
            $0.agentDescription.nonIdentifyingAttributes = [.with { $0.key = "role"; $0.value.stringValue = "collector" }]
        }
    }

    static func heartbeat(sequence: UInt64, configure: (inout OpAMPAgentToServer) -> Void = { _ in }) -> OpAMPAgentToServer {
        var message = OpAMPAgentToServer.with { $0.instanceUid = uid; $0.sequenceNum = sequence; $0.capabilities = 0x3007 }
        configure(&message)
        return message
    }

    @Test func anAgentJoinsTheFleetAndGetsTheServersCapabilities() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let reply = try await client.opamp(Self.fullState())
            #expect(reply.instanceUid == Self.uid)
            #expect(reply.capabilities == ServerCapabilities.bellwether.rawValue)
            #expect(reply.flags == 0)
            let agents = try await client.get("/api/v1/agents").decode([AgentView].self)
            #expect(agents.map(\.id) == ["collector-1"])
            #expect(agents.first?.version == "2.3.1")
            #expect(agents.first?.labels["role"] == "collector")
        }
    }

    @Test func gzippedMessagesAreAccepted() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let body = Compression.compress(try Self.fullState().serializedBytes(), .gzip)
            let response = try await client.opampRaw(body, contentEncoding: "gzip")
            #expect(response.status == .ok)
            #expect(try OpAMPServerToAgent(serializedBytes: Array(response.body.readableBytesView)).instanceUid == Self.uid)
        }
    }

    @Test func malformedBodiesGetA400WithAnOpAMPErrorAndTheServerStaysHealthy() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let cases: [([UInt8], String?, String?, HTTPResponse.Status, String)] = [
                ([0x0A, 0x40, 0x01], "application/x-protobuf", nil, .badRequest, "truncated"),
                ([0xFF, 0xFF, 0xFF], "application/x-protobuf", nil, .badRequest, "malformed protobuf"),
                ([0x1F, 0x8B, 0x08, 0x00], "application/x-protobuf", "gzip", .badRequest, "could not be inflated"),
                (try OpAMPAgentToServer.with { $0.instanceUid = Data([1, 2]) }.serializedBytes(), "application/x-protobuf", nil, .badRequest, "instance_uid is 2 bytes"),
                (Array("{}".utf8), "application/json", nil, .unsupportedMediaType, "application/x-protobuf"),
            ]
            for (body, type, encoding, status, phrase) in cases {
                let response = try await client.opampRaw(body, contentType: type, contentEncoding: encoding)
                #expect(response.status == status, "\(phrase)")
                #expect(response.headers[.contentType] == "application/x-protobuf")
                let reply = try OpAMPServerToAgent(serializedBytes: Array(response.body.readableBytesView))
                #expect(reply.errorResponse.type == .badRequest)
                #expect(reply.errorResponse.errorMessage.contains(phrase), "\(reply.errorResponse.errorMessage)")
            }
            #expect(try await client.get("/healthz", .none).status == .ok)
            #expect(try await client.opamp(Self.fullState()).capabilities != 0)
        }
    }

    @Test func aSequenceGapAndAServerThatDoesNotKnowTheAgentAskForFullState() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            // A server that restarted hears a heartbeat from an agent it has never seen.
            let stranger = try await client.opamp(Self.heartbeat(sequence: 17))
            let full = try await client.opamp(Self.fullState(sequence: 18))
            let next = try await client.opamp(Self.heartbeat(sequence: 19))
            let gap = try await client.opamp(Self.heartbeat(sequence: 21))
            #expect([stranger, full, next, gap].map(\.flags) == [1, 0, 0, 1])
        }
    }

    @Test func disconnectEndsTheSessionWithoutRefreshingTheAgent() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.opamp(Self.fullState())
            #expect(await server.components.opamp.count == 1)
            server.clock.advance(seconds: 30)
            let reply = try await client.opamp(Self.heartbeat(sequence: 1) { $0.agentDisconnect = OpAMPAgentDisconnect() })
            #expect(reply.instanceUid == Self.uid && !reply.hasErrorResponse)
            #expect(await server.components.opamp.count == 0)
            #expect(await server.fleet.member(id: "collector-1")?.agent.lastSeen == ServerHarness.t0)
        }
    }

    @Test func theAssignedVersionGoesOutAsRemoteConfigAndConvergesOnServiceVersion() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.opamp(Self.fullState())
            let artifact = Artifact(url: "https://example.com/c-2.4.0.tgz", sha256: String(repeating: "0f", count: 32))
            try await server.fleet.assign(["collector-1": AgentAssignment(desiredVersion: "2.4.0", artifact: artifact, rolloutID: "r", cohort: "canary")])
            let offer = try await client.opamp(Self.heartbeat(sequence: 1))
            let file = try #require(offer.remoteConfig.config.configMap["bellwether"])
            #expect(String(decoding: file.body, as: UTF8.self).contains("\"version\":\"2.4.0\""))
            let applied = Self.fullState(sequence: 2, version: "2.4.0")
            var withStatus = applied
            withStatus.remoteConfigStatus = .with { $0.lastRemoteConfigHash = offer.remoteConfig.configHash; $0.status = .applied }
            #expect(try await client.opamp(withStatus).hasRemoteConfig == false)
            #expect(await server.fleet.member(id: "collector-1")?.agent.version == "2.4.0")
        }
    }

    @Test func packageAgentsGetPackagesAvailable() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.opamp(Self.fullState(capabilities: 0x1 | 0x8 | 0x10))
            let artifact = Artifact(url: "https://example.com/c-2.4.0.tgz", sha256: String(repeating: "0f", count: 32))
            try await server.fleet.assign(["collector-1": AgentAssignment(desiredVersion: "2.4.0", artifact: artifact)])
            let offer = try await client.opamp(Self.heartbeat(sequence: 1) { $0.capabilities = 0x1 | 0x8 | 0x10 })
            let package = try #require(offer.packagesAvailable.packages["io.example.collector"])
            #expect(package.version == "2.4.0" && package.file.downloadURL == artifact.url)
            #expect(!offer.hasRemoteConfig)
        }
    }
}

extension TestClientProtocol {
    func opampRaw(_ body: [UInt8], contentType: String? = "application/x-protobuf", contentEncoding: String? = nil, token: Token = .agent) async throws -> TestResponse {
        var headers = token.headers
        if let contentType { headers[.contentType] = contentType }
        if let contentEncoding { headers[.contentEncoding] = contentEncoding }
        return try await execute(uri: "/v1/opamp", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    func opamp(_ message: OpAMPAgentToServer) async throws -> OpAMPServerToAgent {
        let response = try await opampRaw(try message.serializedBytes())
        #expect(response.status == .ok)
        return try OpAMPServerToAgent(serializedBytes: Array(response.body.readableBytesView))
    }
}
