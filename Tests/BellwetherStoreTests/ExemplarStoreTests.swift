import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// Failing spans kept as a rollout's evidence: per cohort and check, the first and the latest,
/// however many arrive, and still there after the controller restarts.
@Suite struct ExemplarStoreTests {
    @Test func aGroupKeepsTheFirstFailureOfTenAgentsAtMost() throws {
        let store = try Fixtures.storeWithRollout()
        let many = (1...40).map { number in
            var exemplar = Self.exemplar(number)
            exemplar.span.agent = "agent-\(number)"
            return exemplar
        }
        try store.recordTelemetry([], exemplars: Array(many.prefix(15)))
        try store.recordTelemetry([], exemplars: Array(many.suffix(25)))
        let kept = try store.exemplars(rolloutID: "r1").map(\.span.agent)
        #expect(kept == (1...10).map { "agent-\($0)" } + (31...40).map { "agent-\($0)" })
    }

    static func exemplar(_ number: Int, cohort: String = "canary", check: String = "trace-failure-ratio") -> RolloutExemplar {
        RolloutExemplar(
            rolloutID: "r1", cohort: cohort, check: check, receivedAt: 1_700_000_000 + Double(number),
            span: FailingSpanExemplar(
                agent: "a\(number % 3)", version: "2.4.0", traceID: String(format: "%032x", number), spanID: String(format: "%016x", number),
                name: "process_data_record", time: 1_700_000_000 + Double(number), exceptionType: "KeyError", exceptionMessage: "region",
                attributes: ["record.id": "r-\(number)"]
            )
        )
    }

    @Test func eachCohortAndCheckKeepsItsFirstAndLatestFailuresAcrossBatchesAndRestarts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-exemplars-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bellwether.db").path
        do {
            let store = try BellwetherStore.open(path: path)
            try store.startRollout(Fixtures.rollout("r1"), policySource: Fixtures.policySource, actor: "alice")
            // A batch of 30 canary failures (more than a group keeps) and one baseline failure
            try store.recordTelemetry([AgentObservation(agent: "a1", time: 1)], exemplars: (1...30).map { Self.exemplar($0) } + [Self.exemplar(31, cohort: "baseline")])
        }
        // Restarted, then 15 more canary failures in batches of five
        let store = try BellwetherStore.open(path: path)
        for batch in 0..<3 {
            try store.recordTelemetry([], exemplars: (1...5).map { Self.exemplar(100 + batch * 5 + $0) })
        }
        let kept = try store.exemplars(rolloutID: "r1")
        let canary = kept.filter { $0.cohort == "canary" }.map { Int($0.span.spanID, radix: 16)! }
        #expect(canary == [1, 2, 3] + Array(106...115), "the first failure of each agent (a1, a2, a0) and the latest ten")
        #expect(kept.filter { $0.role == .baseline }.map(\.span.recordID) == ["r-31"])
        #expect(kept.first == Self.exemplar(1), "read back whole")
        #expect(try store.observations(from: 0, through: 2).count == 1, "observations are written in the same transaction")
        #expect(try store.exemplars(rolloutID: "other").isEmpty)
    }
}
