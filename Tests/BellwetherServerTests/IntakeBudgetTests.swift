import BellwetherOpAMP
import BellwetherServer
import BellwetherTelemetry
import BellwetherTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Agent traffic past its in-flight budget is shed with a retryable 429, before its body costs
/// memory; what is charged is what a request will hold, inflated bytes included.
@Suite struct IntakeBudgetTests {
    @Test func heartbeatsObservationsAndOpAMPPastTheBudgetAreARetryable429UntilTheLoadIsGone() async throws {
        let server = try await ServerHarness()
        let intake = server.components.intake
        let held = try (0..<intake.budget.maxRequests).map { _ in try intake.admit(bytes: 0) }
        try await server.test { client in
            let heartbeat = try await client.post("/api/v1/agents/heartbeat", .agent, body: #"{"id": "a1", "version": "1"}"#)
            #expect(heartbeat.status == .tooManyRequests)
            #expect(heartbeat.headers[.retryAfter] == "1")
            #expect(heartbeat.error?.code == "overloaded")
            let observations = try await client.post("/api/v1/observations", .agent, body: #"{"agent": "a1", "counters": {"r": 1}}"#)
            #expect(observations.status == .tooManyRequests)
            let opamp = try await client.opampRaw(try OpAMPAgentToServer.with { $0.instanceUid = .init(repeating: 1, count: 16) }.serializedBytes())
            #expect(opamp.status == .tooManyRequests)
            #expect(opamp.headers[.retryAfter] == "1")
            let reply = try OpAMPServerToAgent(serializedBytes: Array(opamp.body.readableBytesView))
            #expect(reply.errorResponse.type == .unavailable, "OpAMP clients retry an Unavailable error_response")
            let stranger = try await client.post("/api/v1/agents/heartbeat", .none, body: #"{"id": "a1", "version": "1"}"#)
            #expect(stranger.status == .unauthorized, "the token is checked first: no budget is spent on strangers")

            for ticket in held { intake.release(ticket) }
            #expect(try await client.post("/api/v1/agents/heartbeat", .agent, body: #"{"id": "a1", "version": "1"}"#).status == .ok)
        }
        #expect(intake.load == (0, 0), "every admitted request released its share")
    }

    @Test func aCompressedOTLPBodyIsChargedWhatItInflatesTo() async throws {
        let server = try await ServerHarness { $0.otlp.admission.maxBytes = 64 << 10 }
        let admission = server.components.otlp.admission
        let bomb = Compression.compress([UInt8](repeating: 0, count: 1 << 20), .gzip)
        #expect(bomb.count < 4 << 10, "a few KiB on the wire")
        let other = try admission.admit(bytes: 1)
        try await server.test { client in
            let refused = try await client.otlp("/v1/metrics", bomb, contentEncoding: "gzip")
            #expect(refused.status == .tooManyRequests, "1 MiB inflated does not fit a 64 KiB budget beside another export")
            admission.release(other)
            let alone = try await client.otlp("/v1/metrics", bomb, contentEncoding: "gzip")
            #expect(alone.status == .badRequest, "alone it is admitted, and its zeros are no OTLP message")
        }
        #expect(admission.load == (0, 0))
    }
}
