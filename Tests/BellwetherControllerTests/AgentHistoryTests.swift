import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// The controller reads each agent's stable-version history before a step and compares every
/// agent with itself, so a canary that happens to hold the agents that always fail more is not
/// mistaken for a worse version.
@Suite struct AgentHistoryTests {
    typealias F = ControllerFixtures

    /// A fleet whose first canary is exactly the agents that fail four times as often as the
    /// rest on every version, the target version being as good as the stable one.
    private func fleetWithPickyCanary() -> TestFleet {
        var fleet = TestFleet()
        let members = fleet.ids.map { id in CohortMember(id: id, labels: ["role": "collector", "region": String(id.prefix(2))]) }
        let split = CohortAssigner(rolloutID: "r1", stratifyBy: "region").split(agents: members, percent: 10)
        fleet.agentFactor = Dictionary(uniqueKeysWithValues: split.canary.map { ($0, 4.0) })
        return fleet
    }

    @Test func aCanaryOfAgentsThatAlwaysFailMoreIsJudgedAgainstItsOwnPast() async throws {
        // Given an hour of the fleet on the stable version before the rollout
        var harness = try ControllerHarness(fleet: fleetWithPickyCanary())
        try await harness.run(for: 3_600)
        try harness.start()

        // When the rollout of an equally good version runs to its end
        let final = try await harness.run(until: \.isTerminal)

        // Then it completes: the first canary fails four times as often as the baseline, as it
        // did before the step, and the comparison of each agent with itself sees no regression
        #expect(final == .completed)
        let first = try #require(try harness.store.evaluations(rolloutID: "r1").last { $0.step == 0 }?.verdicts.first)
        let canary = try #require(first.canary.value), baseline = try #require(first.baseline.value)
        #expect(canary / baseline > 3)
        #expect(try #require(first.ratio) < 1.5)
    }

    @Test func withoutHistoryTheSameCanaryIsTakenForARegression() async throws {
        // Given the same fleet and its hour on the stable version, but a policy that reads only
        // the last second of it (the start's own report sets where counters stand, nothing more)
        var harness = try ControllerHarness(fleet: fleetWithPickyCanary())
        try await harness.run(for: 3_600)
        var policy = F.policy()
        policy.analysis.historySeconds = 1
        try harness.start(F.rollout(policy: policy))

        // When the rollout runs
        let final = try await harness.run(until: \.isTerminal)

        // Then the four-fold difference between two sets of agents, with nothing to say it was
        // there before, is judged a regression: this is what history protects against
        #expect(final == .rolledBack)
    }
}
