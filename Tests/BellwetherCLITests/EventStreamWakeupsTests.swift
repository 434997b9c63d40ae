import BellwetherAPI
@testable import BellwetherCLI
import BellwetherHTTPClient
@testable import BellwetherServer
import BellwetherTestSupport
import Foundation
import Testing

/// `rollout watch`'s event stream read as it arrives (AsyncHTTPClient's streaming body): from the
/// real server, every audit event once, in order, and the stream's end with the rollout's; and a
/// body cut anywhere, down to single bytes, yields the same events as read whole.
@Suite struct EventStreamWakeupsTests {
    @Test func theStreamYieldsEveryAuditEventOnceThenEndsWithTheRollout() async throws {
        let bellwether = try ProductProcess()
        let rollout = try await HaltedRollout(bellwether)
        defer { rollout.server.stop() }
        try rollout.promoteToCompletion(bellwether)
        let recorded = try await rollout.get([AuditEventView].self, "/api/v1/rollouts/\(rollout.id)/events")
        let streamed = try await OutboundHTTP.with(timeouts: BellwetherClient.timeouts) { http in
            let client = BellwetherClient(server: URL(string: rollout.server.url)!, token: HaltedRollout.adminToken, http: http)
            let stream = EventStreamWakeups(client: client, rolloutID: rollout.id)
            defer { stream.stop() }
            var events: [AuditEventView] = []
            for await event in stream.events { events.append(event) }
            return events
        }
        #expect(streamed.map(\.id) == recorded.map(\.id))
        #expect(streamed.last?.to.phase == .completed)
    }

    @Test func aBodyCutAnywhereYieldsTheSameEvents() throws {
        let events = try APICoding.decoder().decode(
            [AuditEventView].self, from: Data(contentsOf: RolloutWatchTests.fixtures.appendingPathComponent("halted-events.json"))
        )
        try #require(!events.isEmpty)
        let body = Data(try events.map(AuditEventStream.message).joined().utf8)
        var whole = ServerSentEvents()
        #expect(whole.events(in: body).map(\.id) == events.map(\.id))
        var bytes = ServerSentEvents()
        let trickled = body.indices.flatMap { bytes.events(in: body[$0..<($0 + 1)]) }
        #expect(trickled.map(\.id) == events.map(\.id))
    }
}
