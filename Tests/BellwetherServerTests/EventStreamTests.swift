import BellwetherAPI
import BellwetherServer
import HummingbirdTesting
import Testing

/// `GET /api/v1/rollouts/{id}/events` with `Accept: text/event-stream`: the audit log, live.
@Suite struct EventStreamTests {
    @Test func theStreamSendsTheLogSoFarThenEachTransitionAsItIsRecordedAndEndsWithTheRollout() async throws {
        // A poll interval of an hour: every event below arrives because the API rang the bell.
        let server = try await ServerHarness { $0.eventPollInterval = .seconds(3600) }
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let id = try await client.startRollout().decode(RolloutView.self).id
            let reader = try EventStreamReader(port: port, path: "/api/v1/rollouts/\(id)/events", token: ServerHarness.adminToken)
            defer { reader.close() }
            var events = reader.events.makeAsyncIterator()

            #expect(await events.next()?.kind == "created")
            #expect(await events.next()?.kind == "start")
            _ = try await client.post("/api/v1/rollouts/\(id)/pause")
            let paused = await events.next()
            #expect(paused?.kind == "pause")
            #expect(paused?.to.description == "halted(step 1)")
            _ = try await client.post("/api/v1/rollouts/\(id)/abort")
            #expect(await events.next()?.kind == "abort")
            #expect(await events.next() == nil, "the stream ends once the rollout is finished")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anOpenStreamEndsWhenTheServerShutsDownSoShutdownNeverHangs() async throws {
        let server = try await ServerHarness()
        let reader = try await server.application().test(.live) { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let reader = try EventStreamReader(port: try #require(client.port), path: "/api/v1/rollouts/\(id)/events", token: ServerHarness.adminToken)
            var events = reader.events.makeAsyncIterator()
            #expect(await events.next()?.kind == "created")
            #expect(await events.next()?.kind == "start")
            // Returning with the stream still open: the test framework now shuts the server down.
            return reader
        }
        defer { reader.close() }
        for await event in reader.events { Issue.record("no event after shutdown, got \(event.kind)") }
    }

    @Test func aReconnectingClientResumesAfterTheLastEventItSaw() async throws {
        let server = try await ServerHarness()
        try await server.application().test(.live) { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            _ = try await client.post("/api/v1/rollouts/\(id)/abort")
            let all = try await client.get("/api/v1/rollouts/\(id)/events").decode([AuditEventView].self)
            let reader = try EventStreamReader(
                port: try #require(client.port), path: "/api/v1/rollouts/\(id)/events", token: ServerHarness.adminToken,
                lastEventID: all[0].id
            )
            defer { reader.close() }
            var resumed: [AuditEventView] = []
            for await event in reader.events { resumed.append(event) }
            #expect(resumed == Array(all.dropFirst()))
        }
    }
}
