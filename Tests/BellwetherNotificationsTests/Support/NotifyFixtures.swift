import BellwetherCore
import BellwetherHTTPClient
import BellwetherNotifications
import BellwetherStore
import BellwetherTestSupport
import Foundation

/// Rollouts, transitions and verdicts the notification tests build on.
enum NotifyFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// Deliveries through the test process's client, with the controller's default timeout.
    static let transport = HTTPNotificationTransport(http: TestHTTP.client, timeout: NotificationSettings().timeout)

    static func policy(notify: [NotifyTarget], selecting group: String = "collectors") -> Policy {
        Policy(
            name: "enrichment-canary",
            selector: AgentSelector(labels: ["group": group]),
            steps: [
                RolloutStep(cohort: "canary", percent: 10, bakeSeconds: 900),
                RolloutStep(cohort: "all", percent: 100),
            ],
            analysis: AnalysisSpec(alpha: 0.01, checks: [
                Check(
                    name: "enrichment-failure-ratio",
                    kind: .ratio(numerator: "agent.data.enrichment_failures_total", denominator: "agent.data.records_processed_total"),
                    tolerance: Tolerance(relative: 0.1)
                ),
            ]),
            notify: notify
        )
    }

    /// Starts rollout `id` (a notice-free transition to step 1) and returns it.
    @discardableResult
    static func start(_ id: String, notify: [NotifyTarget], in store: BellwetherStore, at time: Date = t0) throws -> Rollout {
        let rollout = Rollout(
            id: id, policy: policy(notify: notify, selecting: id), targetVersion: "2.4.0", stableVersion: "2.3.1", createdAt: time
        )
        try store.startRollout(rollout, policySource: "{}", actor: "admin")
        return try apply(.start, to: id, in: store, at: time, actor: "admin")
    }

    /// Feeds `event` to the state machine and records the transition, as the controller and the
    /// API do.
    @discardableResult
    static func apply(_ event: RolloutEvent, to id: String, in store: BellwetherStore, at time: Date, actor: String = "controller") throws -> Rollout {
        let rollout = try store.rollout(id: id)
        let transition = try RolloutStateMachine(steps: rollout.policy.steps).apply(event, to: rollout.state)
        return try store.recordTransition(rolloutID: id, transition, actor: actor, at: time)
    }

    static let checkFailed = RolloutEvent.checkFailed(
        check: "enrichment-failure-ratio", action: .halt, evidence: "canary 0.052 vs baseline 0.010"
    )

    /// The failing verdict the controller recorded before halting on `checkFailed`.
    static func failingEvaluation(rolloutID: String, at time: Date) -> RolloutEvaluation {
        var verdict = CheckVerdict(
            time: time.timeIntervalSince1970, check: "enrichment-failure-ratio", verdict: .fail,
            canary: CohortSummary(value: 0.052, n: 12_000, agents: 3), baseline: CohortSummary(value: 0.010, n: 110_000, agents: 27),
            detail: "canary fails enrichment 5.2x as often as baseline"
        )
        verdict.ratio = 5.2
        verdict.ratioLower = 3.9
        verdict.ratioUpper = 6.8
        verdict.toleratedRatio = 1.1
        return RolloutEvaluation(
            rolloutID: rolloutID, step: 0, windowStart: t0.timeIntervalSince1970, boundary: 1, time: time.timeIntervalSince1970,
            verdicts: [verdict], decision: StepDecision(decision: .halt, time: time.timeIntervalSince1970, check: "enrichment-failure-ratio", reason: "failed")
        )
    }
}
