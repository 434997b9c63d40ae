import BellwetherCore
import Foundation
import Testing
@testable import BellwetherServer

/// Agents that stop for good (a re-imaged host, an autoscaled container) are forgotten after a
/// week of silence, so they do not hold places under `limits.fleetAgents` for ever; agents a
/// rollout may still be counting on are not.
@Suite struct SilentAgentForgettingTests {
    static let week = 7 * 86_400.0
    let t0 = ServerHarness.t0

    private func forgetting(_ server: ServerHarness, at time: Date) -> SilentAgentForgetting {
        SilentAgentForgetting(store: server.store, fleet: server.fleet, after: Self.week, now: { time })
    }

    @Test func anAgentSilentForAWeekIsForgottenInMemoryAndInTheDatabase() async throws {
        let server = try await ServerHarness()
        _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "gone", version: "2.3.1"), at: t0)
        _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "here", version: "2.3.1"), at: t0.addingTimeInterval(Self.week - 60))
        try await server.fleet.flush()

        #expect(try await forgetting(server, at: t0.addingTimeInterval(Self.week - 1)).forget().isEmpty, "six days and 23 hours is not a week")
        #expect(try await forgetting(server, at: t0.addingTimeInterval(Self.week + 1)).forget() == ["gone"])
        #expect(await server.fleet.snapshot().map(\.agent.id) == ["here"])
        #expect(try server.store.agents().map(\.id) == ["here"])
    }

    /// A whole autoscaling group replaced at once is forgotten a batch per turn of the registry,
    /// every one of it, while an agent that beats on is kept.
    @Test func aMassDepartureIsForgottenInTurnsOfABatch() async throws {
        let server = try await ServerHarness()
        for index in 0..<2_500 {
            _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "old-\(index)", version: "2.3.1"), at: t0)
        }
        _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "here", version: "2.3.1"), at: t0.addingTimeInterval(Self.week))
        try await server.fleet.flush()
        var forgetting = forgetting(server, at: t0.addingTimeInterval(Self.week + 1))
        forgetting.batch = 1_000
        let forgotten = try await forgetting.forget()
        #expect(forgotten.count == 2_500)
        #expect(Set(forgotten).count == 2_500)
        #expect(await server.fleet.snapshot().map(\.agent.id) == ["here"])
        #expect(try server.store.agents().map(\.id) == ["here"])
        #expect(try await server.fleet.forgetSilent(since: t0.addingTimeInterval(1), keepingAssigned: false, limit: 10).isEmpty)
    }

    @Test func aForgottenAgentFreesItsPlaceUnderTheFleetLimit() async throws {
        let server = try await ServerHarness { $0.limits.fleetAgents = 2 }
        _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "a1", version: "2.3.1"), at: t0)
        _ = try await server.fleet.heartbeat(AgentHeartbeat(id: "a2", version: "2.3.1"), at: t0.addingTimeInterval(Self.week))
        let later = t0.addingTimeInterval(Self.week + 60)
        await #expect(throws: FleetFull.self) { try await server.fleet.heartbeat(AgentHeartbeat(id: "a3", version: "2.3.1"), at: later) }
        try await server.fleet.flush()
        try await forgetting(server, at: later).forget()
        let joined = try await server.fleet.heartbeat(AgentHeartbeat(id: "a3", version: "2.3.1"), at: later)
        #expect(joined.agent.id == "a3")
    }

    @Test func whileARolloutIsActiveAnAssignedAgentIsKeptHoweverLongItIsSilent() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.heartbeat("canary")
            _ = try await client.heartbeat("idle", labels: ["role": "other"])
            let started = try await client.startRollout()
            #expect(started.status.code / 100 == 2, "\(started.text)")
        }
        try await server.fleet.assign(["canary": AgentAssignment(desiredVersion: "2.4.0")])
        let muchLater = t0.addingTimeInterval(4 * Self.week)
        #expect(try await forgetting(server, at: muchLater).forget() == ["idle"], "a silent canary must go on counting against its rollout")
        #expect(await server.fleet.member(id: "canary") != nil)
    }
}
