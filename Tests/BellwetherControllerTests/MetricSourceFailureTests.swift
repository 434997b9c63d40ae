import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// A metric source that cannot be read never promotes a step.
@Suite struct MetricSourceFailureTests {
    typealias F = ControllerFixtures

    private func harness(onNoData: FailureAction = .halt) async throws -> (ControllerHarness, FailingMetricSource) {
        let store = try BellwetherStore.inMemory()
        let source = FailingMetricSource(wrapping: EmbeddedMetricSource(store: store))
        var harness = try ControllerHarness(store: store, metrics: source)
        try harness.start(F.rollout(policy: F.policy(onNoData: onNoData)))
        try await harness.run(for: 60)
        return (harness, source)
    }

    @Test func oneUnreadableBoundaryIsRecordedWithItsReasonAndMovesNothing() async throws {
        // Given a converged canary and a source that fails for one boundary
        var (harness, source) = try await harness()
        source.failing = true
        try await harness.run(for: 30)
        source.failing = false

        // Then that boundary is recorded with the error as its problem, and the step still bakes
        let problems = try harness.store.evaluations(rolloutID: "r1").filter { $0.problem != nil }
        #expect(problems.count == 1)
        #expect(problems.first?.problem?.contains("connection refused") == true)
        #expect(problems.first?.verdicts.isEmpty == true)
        #expect(try harness.store.rollout(id: "r1").state == .progressing(step: 0))

        // And once it can be read again, the step is judged on all its data and promotes in time
        let state = try await harness.run(until: { $0 != .progressing(step: 0) })
        #expect(state == .progressing(step: 1))
    }

    @Test func aSourceUnreadableForAWholeIntervalIsThePolicysOnNoData() async throws {
        // Given a converged canary under `onNoData: halt`
        var (harness, source) = try await harness()

        // When the source fails from then on
        source.failing = true
        let state = try await harness.run(until: { $0 != .progressing(step: 0) }, limit: 600)

        // Then the rollout halts at the second unreadable boundary in a row, never promoting
        #expect(state == .halted(step: 0))
        let halt = try #require(try harness.store.events(rolloutID: "r1").last)
        guard case .noData(.halt, let detail)? = halt.event else {
            Issue.record("expected a no-data halt, got \(String(describing: halt.event))")
            return
        }
        #expect(detail.contains("two boundaries in a row"))
        #expect(try harness.store.evaluations(rolloutID: "r1").filter { $0.problem != nil }.count == 2)
    }
}
