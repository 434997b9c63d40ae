import BellwetherCore
import BellwetherStore
import Foundation
import Testing

@Suite struct RolloutStoreTests {
    @Test func aStartedRolloutReadsBackExactlyWithItsCreationEvent() throws {
        // Given an empty store
        let store = try BellwetherStore.inMemory()
        // When a rollout is started
        try store.startRollout(Fixtures.rollout(), policySource: Fixtures.policySource, actor: "alice")
        // Then it reads back unchanged, and its audit log holds one "created" event by alice
        #expect(try store.rollout(id: "r1") == Fixtures.rollout())
        let events = try store.events(rolloutID: "r1")
        #expect(events.count == 1)
        #expect(events.first?.kind == "created")
        #expect(events.first?.from == nil)
        #expect(events.first?.to == .pending)
        #expect(events.first?.actor == "alice")
        #expect(events.first?.revision == 0)
    }

    @Test func aTransitionMovesTheRolloutAndAppendsItsAuditEvent() throws {
        // Given a pending rollout
        let store = try Fixtures.storeWithRollout()
        // When it is started and its first step bakes
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        let committed = try store.recordTransition(rolloutID: "r1", Fixtures.baked(0), actor: "controller", at: Fixtures.at(910))
        // Then the rollout is on step 1, and the returned value is what a fresh read sees
        #expect(committed.state == .progressing(step: 1))
        #expect(committed.stateReason == Fixtures.baked(0).reason)
        #expect(committed.updatedAt == Fixtures.at(910))
        #expect(committed.createdAt == Fixtures.t0)
        #expect(try store.rollout(id: "r1") == committed)
        // And the audit event carries the whole transition, its cause included
        let last = try #require(try store.events(rolloutID: "r1").last)
        #expect(last.from == .progressing(step: 0))
        #expect(last.to == .progressing(step: 1))
        #expect(last.kind == "step-baked")
        #expect(last.event == .stepBaked(step: 0))
        #expect(last.actor == "controller")
        #expect(last.at == Fixtures.at(910))
        #expect(last.revision == 2)
    }

    @Test func aStaleTransitionIsRefusedAndWritesNothing() throws {
        // Given a rollout already progressing on step 0
        let store = try Fixtures.storeWithRollout()
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        let before = try store.rollout(id: "r1")
        // When a transition computed while it was still pending arrives
        let stale = RolloutTransition(from: .pending, to: .aborted, event: .manual(.abort, actor: "bob", reason: nil), reason: "abort")
        // Then it is refused, naming both states
        #expect(throws: StoreError.staleTransition(rolloutID: "r1", expected: .pending, actual: .progressing(step: 0))) {
            try store.recordTransition(rolloutID: "r1", stale, actor: "bob", at: Fixtures.at(20))
        }
        // And neither the rollout nor its audit log changed
        #expect(try store.rollout(id: "r1") == before)
        #expect(try store.events(rolloutID: "r1").count == 2)
    }

    @Test func aTransitionOfAnUnknownRolloutIsRefused() throws {
        let store = try BellwetherStore.inMemory()
        #expect(throws: StoreError.unknownRollout(id: "nope")) {
            try store.recordTransition(rolloutID: "nope", Fixtures.start, actor: "controller", at: Fixtures.t0)
        }
        #expect(throws: StoreError.unknownRollout(id: "nope")) { try store.rollout(id: "nope") }
        #expect(throws: StoreError.unknownRollout(id: "nope")) { try store.events(rolloutID: "nope") }
    }

    @Test func aReusedRolloutIDIsRefused() throws {
        // Given rollout r1, finished
        let store = try Fixtures.storeWithRollout()
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        try store.recordTransition(rolloutID: "r1", Fixtures.abort, actor: "alice", at: Fixtures.at(20))
        // When another rollout is started with the same id, even on other agents
        // Then it is refused and the first keeps its history
        #expect(throws: StoreError.duplicateRollout(id: "r1")) {
            try store.startRollout(Fixtures.rollout("r1", selector: ["role": "worker"]), policySource: "", actor: "bob")
        }
        #expect(try store.rollout(id: "r1").state == .aborted)
        #expect(try store.events(rolloutID: "r1").count == 3)
    }

    @Test func anActiveRolloutOnOverlappingAgentsBlocksASecondOne() throws {
        // Given an active rollout over the collectors
        let store = try Fixtures.storeWithRollout("r1")
        // When a second rollout selects collectors in one region, which may be the same agents
        let second = Fixtures.rollout("r2", selector: ["role": "collector", "region": "eu"])
        // Then it is refused as a conflict naming the rollout in the way, and nothing is written
        let error = #expect(throws: StoreError.self) {
            try store.startRollout(second, policySource: "", actor: "bob")
        }
        guard case .conflictingRollout(let existingID, let phase, _, _) = error else {
            Issue.record("expected a conflicting rollout, got \(String(describing: error))")
            return
        }
        #expect(existingID == "r1")
        #expect(phase == .pending)
        #expect(error?.description.contains("bellwether rollout abort r1") == true)
        #expect(try store.rollouts(limit: 10).map(\.id) == ["r1"])
    }

    @Test func aRolloutOnDisjointAgentsMayRunAlongside() throws {
        // Given an active rollout over the collectors
        let store = try Fixtures.storeWithRollout("r1")
        // When a rollout over the workers starts
        try store.startRollout(Fixtures.rollout("r2", selector: ["role": "worker"]), policySource: "", actor: "bob")
        // Then both are active
        #expect(Set(try store.activeRollouts().map(\.id)) == ["r1", "r2"])
    }

    @Test func aFinishedRolloutNoLongerBlocksItsAgents() throws {
        // Given a rollout over the collectors that was aborted
        let store = try Fixtures.storeWithRollout("r1")
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        try store.recordTransition(rolloutID: "r1", Fixtures.abort, actor: "alice", at: Fixtures.at(20))
        // When a new rollout over the same agents starts
        try store.startRollout(Fixtures.rollout("r2"), policySource: "", actor: "alice")
        // Then it is the only active one
        #expect(try store.activeRollouts().map(\.id) == ["r2"])
    }

    @Test func eventsComeInOrderAndCanBeFollowedFromALastSeenID() throws {
        // Given a rollout driven through three transitions
        let store = try Fixtures.storeWithRollout()
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        try store.recordTransition(rolloutID: "r1", Fixtures.baked(0), actor: "controller", at: Fixtures.at(20))
        try store.recordTransition(rolloutID: "r1", Fixtures.baked(1), actor: "controller", at: Fixtures.at(30))
        // When the log is read whole, and again after its second event
        let all = try store.events(rolloutID: "r1")
        let tail = try store.events(rolloutID: "r1", after: all[1].id)
        // Then it is in the order things happened, each event starting where the previous ended
        #expect(all.map(\.revision) == [0, 1, 2, 3])
        #expect(all.map(\.kind) == ["created", "start", "step-baked", "step-baked"])
        for (previous, next) in zip(all, all.dropFirst()) {
            #expect(next.from == previous.to)
            #expect(next.id > previous.id)
        }
        #expect(tail == Array(all.suffix(2)))
    }

    @Test func rolloutsListsNewestFirstWithinTheLimit() throws {
        let store = try BellwetherStore.inMemory()
        for (index, id) in ["old", "middle", "new"].enumerated() {
            var rollout = Fixtures.rollout(id, selector: ["shard": id])
            rollout.createdAt = Fixtures.at(Double(index))
            rollout.updatedAt = rollout.createdAt
            try store.startRollout(rollout, policySource: "", actor: "alice")
        }
        #expect(try store.rollouts(limit: 2).map(\.id) == ["new", "middle"])
        #expect(try store.activeRollouts().map(\.id) == ["old", "middle", "new"])
    }
}
