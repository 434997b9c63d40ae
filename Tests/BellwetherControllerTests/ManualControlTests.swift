import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// Operators' commands, recorded by the state machine and the store, are respected by the loop.
@Suite struct ManualControlTests {
    typealias F = ControllerFixtures

    /// Records an operator's command as the server does.
    private func command(_ action: ManualAction, on harness: ControllerHarness) throws {
        let rollout = try harness.store.rollout(id: "r1")
        let transition = try RolloutStateMachine(steps: rollout.policy.steps)
            .apply(.manual(action, actor: "alice", reason: nil), to: rollout.state)
        try harness.store.recordTransition(rolloutID: "r1", transition, actor: "alice", at: harness.clock.now)
        harness.controller.wake()
    }

    @Test func aPausedRolloutIsNeverPromoted() async throws {
        // Given a healthy rollout whose canary has converged
        var harness = try ControllerHarness()
        try harness.start()
        try await harness.run(for: 60)
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged"])

        // When an operator pauses it and the bake time passes twice over
        try command(.pause, on: harness)
        try await harness.run(for: 600)

        // Then it is still halted at the first step, with no promotion recorded
        #expect(try harness.store.rollout(id: "r1").state == .halted(step: 0))
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "pause"])
        // And the canary keeps the target version meanwhile
        #expect(try harness.desiredVersions().values.count { $0 == F.target } == 4)
    }

    @Test func aPausedRolloutStillRollsBackAFaultyCanary() async throws {
        // Given a faulty target version under a rolling-back check, paused as soon as it converged
        var fleet = TestFleet()
        fleet.failureRatio[F.target] = 0.05
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start()
        try await harness.run(for: 20)
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged"])
        try command(.pause, on: harness)

        // When the controller keeps judging the halted step
        let final = try await harness.run(until: \.isTerminal)

        // Then the failing check still rolls the canary back: halted is frozen for promotion, not for safety
        #expect(final == .rolledBack)
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "pause", "check-failed", "rollback-converged"])
    }

    @Test func resumingRestartsTheStepsBake() async throws {
        // Given a rollout paused after its canary converged
        var harness = try ControllerHarness()
        try harness.start()
        try await harness.run(for: 60)
        try command(.pause, on: harness)
        try await harness.run(for: 600)

        // When the operator resumes it
        try command(.resume, on: harness)
        let resumedAt = harness.clock.now
        let state = try await harness.run(until: { $0 != .progressing(step: 0) })

        // Then it promotes only after a whole new bake (300 s) from the resume
        #expect(state == .progressing(step: 1))
        let baked = try #require(try harness.store.events(rolloutID: "r1").last { $0.kind == "step-baked" })
        #expect(baked.at.timeIntervalSince(resumedAt) >= 300)
    }

    @Test func anAbortedRolloutReleasesItsAgentsWhereTheyAre() async throws {
        // Given a rollout at its first step
        var harness = try ControllerHarness()
        try harness.start()
        try await harness.run(for: 60)

        // When an operator aborts it
        try command(.abort, on: harness)
        try await harness.step()

        // Then its agents are told to keep what they run, and no rollout owns them any more
        let told = harness.sink.current
        #expect(told.count == 40)
        #expect(told.values.allSatisfy { $0 == AgentAssignment(desiredVersion: nil) })
        #expect(try harness.desiredVersions().values.allSatisfy { $0 == nil })
        #expect(harness.fleet.ids.count { harness.fleet.version(of: $0) == F.target } == 4, "the canary stays on the version it runs")
    }
}
