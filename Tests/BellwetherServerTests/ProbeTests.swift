import BellwetherServer
import HummingbirdTesting
import Testing

/// `/healthz` and `/readyz`: alive while serving, ready once the fleet is loaded.
@Suite struct ProbeTests {
    @Test func untilTheFleetIsLoadedTheServerIsAliveButNotReadyAndTheAPIAnswers503() async throws {
        let server = try await ServerHarness(loaded: false)
        try await server.test { client in
            #expect(try await client.get("/healthz", .none).status == .ok)
            let ready = try await client.get("/readyz", .none)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.error?.code == "not-ready")
            #expect(try await client.get("/api/v1/rollouts").status == .serviceUnavailable)

            try await server.fleet.load()
            #expect(try await client.get("/readyz", .none).status == .ok)
            #expect(try await client.get("/api/v1/rollouts").status == .ok)
        }
    }

    @Test func theRunningApplicationLoadsTheFleetItself() async throws {
        let server = try await ServerHarness(loaded: false)
        try server.store.recordHeartbeats([.init(id: "known", version: "1.0")], at: ServerHarness.t0)
        try await server.application().test(.live) { client in
            await server.fleet.waitUntilLoaded()
            let ready = try await client.get("/readyz", .none)
            #expect(ready.status == .ok)
            #expect(try await client.get("/api/v1/agents").text.contains(#""id":"known""#))
        }
    }
}
