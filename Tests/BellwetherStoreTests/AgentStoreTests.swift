import BellwetherCore
import BellwetherStore
import Foundation
import Testing

@Suite struct AgentStoreTests {
    let collector = AgentHeartbeat(id: "a1", version: "2.3.1", labels: ["role": "collector"], healthy: true)

    @Test func aFirstHeartbeatMakesTheAgentKnown() throws {
        // Given an empty store
        let store = try BellwetherStore.inMemory()
        // When an agent sends its first heartbeat
        try store.recordHeartbeat(collector, at: Fixtures.t0)
        // Then the agent is known as it described itself, first and last seen now, with nothing assigned
        let agent = try #require(try store.agent(id: "a1"))
        #expect(agent.agent == Agent(id: "a1", version: "2.3.1", labels: ["role": "collector"], healthy: true, firstSeen: Fixtures.t0, lastSeen: Fixtures.t0))
        #expect(agent.desiredVersion == nil)
        #expect(try store.agent(id: "unknown") == nil)
    }

    @Test func laterHeartbeatsUpdateTheAgentButKeepWhenItWasFirstSeenAndWhatItWasAssigned() throws {
        // Given a known agent assigned version 2.4.0
        let store = try BellwetherStore.inMemory()
        try store.recordHeartbeat(collector, at: Fixtures.t0)
        try store.setDesiredVersions(["a1": "2.4.0"])
        // When it reports again, upgraded and unhealthy
        let upgraded = AgentHeartbeat(id: "a1", version: "2.4.0", labels: ["role": "collector", "region": "eu"], healthy: false)
        try store.recordHeartbeat(upgraded, at: Fixtures.at(30))
        // Then there is still one agent, updated, first seen at its first heartbeat and still assigned 2.4.0
        let agents = try store.agents()
        #expect(agents.count == 1)
        let agent = try #require(agents.first)
        #expect(agent.agent.version == "2.4.0")
        #expect(agent.agent.labels == ["role": "collector", "region": "eu"])
        #expect(!agent.agent.healthy)
        #expect(agent.agent.firstSeen == Fixtures.t0)
        #expect(agent.agent.lastSeen == Fixtures.at(30))
        #expect(agent.desiredVersion == "2.4.0")
    }

    @Test func aHeartbeatDeliveredLateChangesNothing() throws {
        // Given an agent last heard from at t0+60 on 2.4.0
        let store = try BellwetherStore.inMemory()
        try store.recordHeartbeat(AgentHeartbeat(id: "a1", version: "2.4.0"), at: Fixtures.at(60))
        // When a heartbeat sent earlier, on 2.3.1, arrives late
        try store.recordHeartbeat(AgentHeartbeat(id: "a1", version: "2.3.1"), at: Fixtures.at(30))
        // Then the agent still reads as of its newest heartbeat
        let agent = try #require(try store.agent(id: "a1"))
        #expect(agent.agent.version == "2.4.0")
        #expect(agent.agent.lastSeen == Fixtures.at(60))
    }

    @Test func aBatchOfHeartbeatsRecordsEveryAgent() throws {
        let store = try BellwetherStore.inMemory()
        let batch = (0..<50).map { AgentHeartbeat(id: "agent-\($0)", version: "2.3.1") }
        try store.recordHeartbeats(batch, at: Fixtures.t0)
        #expect(try store.agents().count == 50)
    }

    @Test func desiredVersionsAreAssignedAllOrNone() throws {
        // Given two known agents
        let store = try BellwetherStore.inMemory()
        try store.recordHeartbeats([collector, AgentHeartbeat(id: "a2", version: "2.3.1")], at: Fixtures.t0)
        // When a batch names an agent never heard from
        // Then it is refused, naming it, and no agent is assigned anything
        #expect(throws: StoreError.unknownAgents(ids: ["ghost"])) {
            try store.setDesiredVersions(["a1": "2.4.0", "ghost": "2.4.0"])
        }
        #expect(try store.agents().allSatisfy { $0.desiredVersion == nil })
        // When a valid batch assigns one agent and clears the other
        try store.setDesiredVersions(["a1": "2.4.0", "a2": nil])
        // Then both are as assigned
        #expect(try store.agents().map(\.desiredVersion) == ["2.4.0", nil])
    }

    @Test func anAgentIsSilentOnceItsLastHeartbeatIsOlderThanTheThreshold() {
        let agent = KnownAgent(agent: Agent(id: "a1", version: "2.3.1", firstSeen: Fixtures.t0, lastSeen: Fixtures.t0))
        #expect(!agent.isSilent(at: Fixtures.at(30), after: 60))
        #expect(agent.isSilent(at: Fixtures.at(61), after: 60))
    }
}

@Suite struct HeartbeatBatchTests {
    let collector = AgentHeartbeat(id: "a1", version: "2.3.1", labels: ["role": "collector"], healthy: true)

    @Test func aTouchMovesOnlyLastSeenAndNeverBackwards() async throws {
        // Given a known agent
        let store = try BellwetherStore.inMemory()
        try store.recordHeartbeat(collector, at: Fixtures.t0)
        // When a batch touches it later, touches it earlier, and touches an agent never seen
        try await store.recordHeartbeatBatch([], touching: [(id: "a1", at: Fixtures.t0.addingTimeInterval(30))])
        try await store.recordHeartbeatBatch([], touching: [(id: "a1", at: Fixtures.t0.addingTimeInterval(10)), (id: "ghost", at: Fixtures.t0)])
        // Then only its last-seen time moved, forward, and nobody new appeared
        let agent = try #require(try store.agent(id: "a1"))
        #expect(agent.agent == Agent(id: "a1", version: "2.3.1", labels: ["role": "collector"], healthy: true, firstSeen: Fixtures.t0, lastSeen: Fixtures.t0.addingTimeInterval(30)))
        #expect(try store.agent(id: "ghost") == nil)
    }

    @Test func changedAgentsAndTouchesCommitTogether() async throws {
        let store = try BellwetherStore.inMemory()
        try store.recordHeartbeat(collector, at: Fixtures.t0)
        var upgraded = AgentHeartbeat(id: "a2", version: "2.4.0", labels: [:], healthy: true)
        upgraded.healthy = false
        try await store.recordHeartbeatBatch([(heartbeat: upgraded, at: Fixtures.t0)], touching: [(id: "a1", at: Fixtures.t0.addingTimeInterval(5))])
        #expect(try store.agents().map(\.id) == ["a1", "a2"])
        #expect(try store.agent(id: "a2")?.agent.healthy == false)
        #expect(try store.agent(id: "a1")?.agent.lastSeen == Fixtures.t0.addingTimeInterval(5))
    }

    @Test func forgettingMoreAgentsThanSQLiteBindsInOneStatementForgetsThemAll() throws {
        // Given 40,000 agents last heard at t0 (SQLite binds at most 32,766 parameters per
        // statement) and one heard since
        let store = try BellwetherStore.inMemory()
        let ids = (0..<40_000).map { "agent-\($0)" }
        try store.recordHeartbeats(ids.map { AgentHeartbeat(id: $0, version: "2.3.1") }, at: Fixtures.t0)
        try store.recordHeartbeat(AgentHeartbeat(id: "agent-7", version: "2.3.1"), at: Fixtures.at(120))
        // When all of them are forgotten as silent since a minute after t0
        let forgotten = try store.forgetAgents(ids: ids, silentSince: Fixtures.at(60))
        // Then every silent one is gone, and the one heard since is kept
        #expect(forgotten.count == 39_999)
        #expect(!forgotten.contains("agent-7"))
        #expect(try store.agents().map(\.id) == ["agent-7"])
    }
}
