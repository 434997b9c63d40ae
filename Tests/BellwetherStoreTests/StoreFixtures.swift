import BellwetherCore
import BellwetherStore
import Foundation

/// Values the store tests build on. Times are whole seconds so they compare exactly after a trip
/// through the database.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Double) -> Date {
        t0.addingTimeInterval(seconds)
    }

    static func policy(_ name: String = "enrichment-canary", selector: [String: String] = ["role": "collector"]) -> Policy {
        Policy(
            name: name,
            selector: AgentSelector(labels: selector),
            steps: [
                RolloutStep(cohort: "canary", percent: 1, bakeSeconds: 900),
                RolloutStep(cohort: "half", percent: 50, bakeSeconds: 3600),
                RolloutStep(cohort: "all", percent: 100),
            ],
            analysis: AnalysisSpec(alpha: 0.01, checks: [
                Check(
                    name: "enrichment-failure-ratio",
                    kind: .ratio(numerator: "agent.data.enrichment_failures_total", denominator: "agent.data.records_processed_total"),
                    tolerance: Tolerance(relative: 0.1)
                ),
            ])
        )
    }

    static func rollout(_ id: String = "r1", selector: [String: String] = ["role": "collector"]) -> Rollout {
        Rollout(
            id: id,
            policy: policy(selector: selector),
            targetVersion: "2.4.0",
            artifact: Artifact(url: "https://artifacts.example.invalid/agent-2.4.0.tar.gz", sha256: String(repeating: "ab", count: 32)),
            stableVersion: "2.3.1",
            createdAt: t0
        )
    }

    static let policySource = "name: enrichment-canary\nselector: {labels: {role: collector}}\n"

    static let start = RolloutTransition(from: .pending, to: .progressing(step: 0), event: .start, reason: "started")

    static func baked(_ step: Int) -> RolloutTransition {
        RolloutTransition(
            from: .progressing(step: step), to: .progressing(step: step + 1),
            event: .stepBaked(step: step), reason: "step \(step + 1) baked with every check passing"
        )
    }

    static let abort = RolloutTransition(
        from: .progressing(step: 0), to: .aborted,
        event: .manual(.abort, actor: "alice", reason: "wrong version"), reason: "aborted by alice: wrong version"
    )

    /// A store holding rollout `id`, started at `t0`.
    static func storeWithRollout(_ id: String = "r1") throws -> BellwetherStore {
        let store = try BellwetherStore.inMemory()
        try store.startRollout(rollout(id), policySource: policySource, actor: "alice")
        return store
    }
}
