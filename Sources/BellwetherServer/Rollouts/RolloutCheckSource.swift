import BellwetherCore

/// Where `GET /api/v1/rollouts/{id}/health` gets its check verdicts: the control loop, which
/// analyses every active rollout, answers with the latest verdict of each check of the step.
public protocol RolloutCheckSource: Sendable {
    func checks(for rollout: Rollout) async -> [CheckVerdict]
}

/// No analysis running: every rollout reports `checks: []`.
public struct NoRolloutHealth: RolloutCheckSource {
    public init() {}
    public func checks(for rollout: Rollout) async -> [CheckVerdict] { [] }
}
