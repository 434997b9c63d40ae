import BellwetherCore
import Foundation

/// The policy and rollout the controller tests drive: three steps (10% and 50% baking five
/// minutes each, then everyone), stratified by region so every step has a canary and a baseline
/// in each of the four regions, judged every 30 s on the enrichment failure ratio.
enum ControllerFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let stable = "2.3.1"
    static let target = "2.4.0"
    static let artifact = Artifact(url: "https://artifacts.example.invalid/agent-2.4.0.tar.gz", sha256: String(repeating: "ab", count: 32))
    static let check = "enrichment-failure-ratio"

    static func policy(onFail: FailureAction = .rollback, onNoData: FailureAction = .halt, convergenceTimeout: Double = 120) -> Policy {
        Policy(
            name: "enrichment-canary",
            selector: AgentSelector(labels: ["role": "collector"]),
            steps: [
                RolloutStep(cohort: "canary", percent: 10, bakeSeconds: 300),
                RolloutStep(cohort: "half", percent: 50, bakeSeconds: 300),
                RolloutStep(cohort: "all", percent: 100),
            ],
            stratifyBy: "region",
            analysis: AnalysisSpec(
                intervalSeconds: 30, alpha: 0.01,
                checks: [
                    Check(
                        name: check,
                        kind: .ratio(numerator: TestFleet.failures, denominator: TestFleet.records),
                        tolerance: Tolerance(relative: 0.1),
                        onFail: onFail
                    ),
                ],
                onNoData: onNoData
            ),
            convergence: ConvergenceSpec(timeoutSeconds: convergenceTimeout, minFraction: 0.9, onFail: .halt)
        )
    }

    static func rollout(id: String = "r1", policy: Policy = policy(), dryRun: Bool = false) -> Rollout {
        Rollout(id: id, policy: policy, targetVersion: target, artifact: artifact, stableVersion: stable, dryRun: dryRun, createdAt: t0)
    }
}
