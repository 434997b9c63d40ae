import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Logging
import Testing

/// The controller's state is the store's: a controller dropped mid-rollout and started again on
/// the same database carries on exactly where the first left off.
///
/// The version of this test that SIGKILLs a real `bellwether serve` process at random instants
/// needs the server target; it belongs with it (see docs/controller.md).
@Suite struct RestartSafetyTests {
    typealias F = ControllerFixtures

    @Test func aRestartedControllerNeitherRepeatsNorUndoesAnything() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bellwether.db").path
        let clock = ManualClock(now: F.t0)
        let sink = RecordingAssignmentSink()

        // Given a healthy rollout run by a first controller into the middle of its second step
        let fleet: TestFleet
        let evaluationsBefore: [RolloutEvaluation]
        do {
            var first = try ControllerHarness(store: .open(path: path), clock: clock, sink: sink)
            try first.start()
            try await first.run(until: { $0 == .progressing(step: 1) })
            try await first.run(for: 150)
            evaluationsBefore = try first.store.evaluations(rolloutID: "r1")
            fleet = first.fleet
            #expect(try first.store.rollout(id: "r1").state == .progressing(step: 1))
            #expect(evaluationsBefore.contains { $0.step == 1 }, "the second step was being judged")
        }

        // When the controller and the store are dropped, the database reopened and a new
        // controller started on it, with the same fleet carrying on
        var second = try ControllerHarness(store: .open(path: path), fleet: fleet, clock: clock, sink: sink, reportsAtStart: false)
        let final = try await second.run(until: \.isTerminal)

        // Then the rollout completed with every step promoted exactly once
        #expect(final == .completed)
        #expect(try second.auditKinds() == [
            "created", "start",
            "agents-converged", "step-baked",
            "agents-converged", "step-baked",
            "agents-converged",
        ])
        // And what the first controller judged stands: the second added only later boundaries
        let evaluations = try second.store.evaluations(rolloutID: "r1")
        #expect(Array(evaluations.prefix(evaluationsBefore.count)) == evaluationsBefore)
        #expect(evaluations.count > evaluationsBefore.count)
        let keys = evaluations.map { "\($0.step)/\($0.windowStart)/\($0.boundary)" }
        #expect(Set(keys).count == keys.count)
        // And no agent was ever told to go back: each agent's desired versions, across both
        // lives, are the stable one for a while and then the target one for good
        for agent in second.fleet.ids {
            let told = sink.desiredVersions(of: agent).reduce(into: [String?]()) { runs, version in
                if runs.last != version { runs.append(version) }
            }
            #expect(told == [F.stable, F.target] || told == [F.target], "agent \(agent) was told \(told)")
        }
    }

    @Test func judgingTheSameInstantTwiceChangesNothing() async throws {
        // Given a rollout in the middle of its first step's bake
        var harness = try ControllerHarness()
        try harness.start()
        try await harness.run(for: 150)
        let events = try harness.store.events(rolloutID: "r1")
        let evaluations = try harness.store.evaluations(rolloutID: "r1")

        // When a fresh controller (nothing in memory) passes at the same instant
        let fresh = RolloutController(store: harness.store, metrics: harness.metrics, sink: harness.sink, clock: harness.clock, logger: ControllerHarness.logger)
        await fresh.tick()

        // Then it records no transition and no evaluation the first one had not
        #expect(try harness.store.events(rolloutID: "r1") == events)
        #expect(try harness.store.evaluations(rolloutID: "r1") == evaluations)
    }
}
