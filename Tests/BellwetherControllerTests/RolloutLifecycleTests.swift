import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// The control loop drives rollouts through their lives from the store, the fleet's heartbeats
/// and its telemetry alone.
@Suite struct RolloutLifecycleTests {
    typealias F = ControllerFixtures

    @Test func aHealthyVersionIsPromotedThroughEveryStepToCompletion() async throws {
        // Given a fleet of 40 agents and a rollout of a version as good as the stable one
        var harness = try ControllerHarness()
        try harness.start()

        // When the controller runs until the rollout ends
        let final = try await harness.run(until: \.isTerminal)

        // Then every step converged and baked once, in order, and the rollout completed
        #expect(final == .completed)
        #expect(try harness.auditKinds() == [
            "created", "start",
            "agents-converged", "step-baked",
            "agents-converged", "step-baked",
            "agents-converged",
        ])
        // And every agent was told to run the target version, with its artifact, and runs it
        #expect(try harness.desiredVersions().values.allSatisfy { $0 == F.target })
        #expect(harness.fleet.ids.allSatisfy { harness.fleet.version(of: $0) == F.target })
        #expect(harness.sink.current.values.allSatisfy { $0.desiredVersion == F.target && $0.artifact == F.artifact })
        // And the completed rollout released its agents
        #expect(harness.sink.current.values.allSatisfy { $0.rolloutID == nil })
        // And every boundary of the two analysed steps was judged, the last of each promoting
        let evaluations = try harness.store.evaluations(rolloutID: "r1")
        #expect(evaluations.filter { $0.decision != nil }.map(\.step) == [0, 1])
        #expect(evaluations.filter { $0.decision != nil }.allSatisfy { $0.decision?.decision == .promote })
    }

    @Test func theFirstStepPutsOnlyTheCanaryOnTheTargetVersion() async throws {
        // Given a started rollout
        var harness = try ControllerHarness()
        try harness.start()

        // When the controller passes once
        let report = try await harness.step()

        // Then one agent per region (10%) is assigned the target version, as the step's cohort
        #expect(report.states["r1"] == .progressing(step: 0))
        let canary = harness.sink.current.filter { $0.value.desiredVersion == F.target }
        #expect(canary.count == 4)
        #expect(canary.values.allSatisfy { $0.cohort == "canary" && $0.artifact == F.artifact && $0.rolloutID == "r1" })
        // And as many baseline agents are watched on the stable version; the rest stay stable
        #expect(harness.sink.current.values.count { $0.cohort == AgentAssignment.baselineCohort && $0.desiredVersion == F.stable } == 4)
        #expect(harness.sink.current.count == 40)
    }

    @Test func aFaultyCanaryIsRolledBackAndTheRollbackConvergesOnTheStableVersion() async throws {
        // Given a target version that fails enrichment five times as often
        var fleet = TestFleet()
        fleet.failureRatio[F.target] = 0.05
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start()

        // When the controller runs until the rollout ends
        let final = try await harness.run(until: \.isTerminal)

        // Then the check failed during the first step, the canary went back, and the rollout rolled back
        #expect(final == .rolledBack)
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "check-failed", "rollback-converged"])
        let failure = try #require(try harness.store.events(rolloutID: "r1").first { $0.kind == "check-failed" })
        #expect(failure.from == .progressing(step: 0))
        #expect(failure.to == .rollingBack)
        // And no agent is left on, or told to run, the faulty version
        #expect(try harness.desiredVersions().values.allSatisfy { $0 == F.stable })
        #expect(harness.fleet.ids.allSatisfy { harness.fleet.version(of: $0) == F.stable })
    }

    @Test func aHaltingCheckFreezesTheRolloutWhereItIs() async throws {
        // Given a faulty target version and a check that halts rather than rolls back
        var fleet = TestFleet()
        fleet.failureRatio[F.target] = 0.05
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start(F.rollout(policy: F.policy(onFail: .halt)))

        // When the controller runs until the rollout halts, and then for a long while more
        let halted = try await harness.run(until: { $0.phase == .halted })
        try await harness.run(for: 1800)

        // Then it halted at the first step and stays halted, with the failure recorded once
        #expect(halted == .halted(step: 0))
        #expect(try harness.store.rollout(id: "r1").state == .halted(step: 0))
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "check-failed"])
        // And the canary stays where it was, for the operator to decide
        #expect(try harness.desiredVersions().values.count { $0 == F.target } == 4)
    }

    @Test func aVersionThatKillsSomeOfItsAgentsAfterTheyConvergeHaltsAndIsNeverPromoted() async throws {
        // Given a target version that kills every agent of two regions three reports after it installs
        var fleet = TestFleet()
        fleet.crashingVersion = F.target
        fleet.crashingAgents = Set(fleet.ids.filter { $0.hasPrefix("eu-") || $0.hasPrefix("us-") })
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start()

        // When the controller runs until the rollout halts, and then a while longer
        let halted = try await harness.run(until: { $0.phase == .halted }, limit: 900)
        try await harness.run(for: 600)

        // Then the canary converged, lost its agents in those regions, and the step halted on that,
        // never promoting and never drafting healthy agents in to replace the dead ones
        #expect(halted == .halted(step: 0))
        #expect(try harness.store.rollout(id: "r1").state == .halted(step: 0))
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "canary-lost"])
        let lost = try #require(try harness.store.events(rolloutID: "r1").last)
        #expect(lost.event == .canaryLost(step: 0, reporting: 2, assigned: 4, action: .halt))
        #expect(lost.reason.hasPrefix("only 2 of 4 canary agents of step 1 (10%, cohort canary) still report the target version; the others went silent"), "\(lost.reason)")
        #expect(try harness.desiredVersions().values.count { $0 == F.target } == 4, "the dead agents were not replaced")
    }

    @Test func aVersionThatDoesNotInstallFailsConvergenceAndHalts() async throws {
        // Given agents that never install what they are assigned
        var fleet = TestFleet()
        fleet.installsAssignments = false
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start()

        // When the controller runs past the convergence timeout (120 s)
        let final = try await harness.run(until: { $0.phase == .halted }, limit: 600)

        // Then the rollout halted at the first step for want of convergence, never promoting
        #expect(final == .halted(step: 0))
        let failure = try #require(try harness.store.events(rolloutID: "r1").last)
        #expect(failure.event == .convergenceFailed(step: 0, converged: 0, assigned: 4, action: .halt))
        #expect(failure.at == F.t0.addingTimeInterval(130), "the first pass at or after the 120 s deadline, which started at 10 s")
        #expect(try harness.store.evaluations(rolloutID: "r1").isEmpty, "nothing is judged before the canary converges")
    }

    @Test func aDryRunAnalysesWithoutChangingAnyAgentsVersion() async throws {
        // Given a dry-run rollout
        var harness = try ControllerHarness()
        try harness.start(F.rollout(dryRun: true))

        // When the controller runs until it ends
        let final = try await harness.run(until: \.isTerminal)

        // Then its steps were judged (canary and baseline both on the stable version: an A/A) and it completed
        #expect(final == .completed)
        #expect(try harness.auditKinds() == ["created", "start", "step-baked", "step-baked", "agents-converged"])
        #expect(try !harness.store.evaluations(rolloutID: "r1").isEmpty)
        // But no agent was ever told to run anything
        #expect(try harness.desiredVersions().values.allSatisfy { $0 == nil })
        #expect(harness.sink.received.isEmpty)
        #expect(harness.fleet.ids.allSatisfy { harness.fleet.version(of: $0) == F.stable })
    }

    @Test func missingTelemetryIsThePolicysOnNoData() async throws {
        // Given agents that heartbeat and install but export no telemetry, under `onNoData: rollback`
        var fleet = TestFleet()
        fleet.exportsTelemetry = false
        var harness = try ControllerHarness(fleet: fleet)
        try harness.start(F.rollout(policy: F.policy(onNoData: .rollback)))

        // When the controller runs until the rollout ends
        let final = try await harness.run(until: \.isTerminal)

        // Then two intervals after the canary converged it rolled back for want of data, never promoting
        #expect(final == .rolledBack)
        #expect(try harness.auditKinds() == ["created", "start", "agents-converged", "no-data", "rollback-converged"])
        let noData = try #require(try harness.store.events(rolloutID: "r1").first { $0.kind == "no-data" })
        #expect(noData.reason.contains("within two intervals"))
    }
}
