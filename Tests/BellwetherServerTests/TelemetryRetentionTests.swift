import BellwetherCore
import Foundation
import Testing
@testable import BellwetherServer

/// Stored telemetry is bounded: what is past retention goes, unless an active rollout may still read it.
@Suite struct TelemetryRetentionTests {
    static let hour = 3600.0

    @Test func observationsPastRetentionGoButAnActiveRolloutKeepsWhatItMayRead() async throws {
        let server = try await ServerHarness()
        let t0 = ServerHarness.t0.timeIntervalSince1970
        try server.store.recordObservations([-30, -10, -8.5, -7, -5, -1].map { AgentObservation(agent: "a1", time: t0 + $0 * Self.hour, counters: ["c": 1]) })
        let retention = TelemetryRetention(store: server.store, retention: 6 * Self.hour, now: { server.clock.now })
        func kept() throws -> [Double] {
            try server.store.observations(from: 0, through: .infinity).map { ($0.time - t0) / Self.hour }
        }

        // A rollout started 8 hours ago (on the harness's clock) is still active
        server.clock.advance(seconds: -8 * Self.hour)
        let started = try await server.test { client in try await client.startRollout().status }
        #expect(started == .created)
        server.clock.advance(seconds: 8 * Self.hour)
        try retention.prune()
        #expect(try kept() == [-8.5, -7, -5, -1], "kept since the rollout's start less the hour of history it reads, past the 6 hours")

        // Once it is over, 6 hours is all that is kept, and running again changes nothing more
        let id = try #require(try server.store.activeRollouts().first?.id)
        let aborted = try await server.test { client in try await client.post("/api/v1/rollouts/\(id)/abort", body: "{}").status }
        #expect(aborted == .ok)
        #expect(try retention.prune() == 2)
        #expect(try kept() == [-5, -1])
        server.clock.advance(seconds: 2 * Self.hour)
        #expect(try retention.prune() == 1, "the clock moved: what fell out of the window goes")
        #expect(try kept() == [-1])
    }
}
