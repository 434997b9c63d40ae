/// Something that happened to a rollout; fed to `RolloutStateMachine` to get the next state.
public enum RolloutEvent: Sendable, Hashable, Codable {
    case start
    /// Step `step` baked for its full time with every check passing on enough data.
    case stepBaked(step: Int)
    /// A check failed; its policy action decides between halting and rolling back.
    case checkFailed(check: String, action: FailureAction, evidence: String)
    /// A cohort stopped sending data, or the bake ended with a check one cohort sent no data for
    /// (policy `onNoData`).
    case noData(action: FailureAction, detail: String)
    /// The bake ended with `check` neither passed nor failed; its `onInconclusive` decides.
    /// `detail` is the whole reason, bake and evidence.
    case checkInconclusive(check: String, action: InconclusiveAction, detail: String)
    /// A promotion was due but a fleet freeze holds it (`FleetFreeze.summary` as `freeze`); recorded
    /// once per step and freeze, the state unchanged, so the audit log says why nothing moved.
    case promotionHeld(step: Int, freeze: String)
    /// A dry-run check (`dryRun: true`) failed: recorded and notified once per step, acted on never.
    case dryRunCheckFailed(check: String, evidence: String)
    /// The agents of step `step` all report the target version.
    case agentsConverged(step: Int)
    /// Too few agents of step `step` reported the target version within the deadline.
    case convergenceFailed(step: Int, converged: Int, assigned: Int, action: FailureAction)
    /// After the canary of step `step` converged, too few of its agents still report the target
    /// version, and it lost more of them than the rest of the fleet did over the step: a version
    /// that crashes its agents, judged on the survivors alone, would look healthy.
    case canaryLost(step: Int, reporting: Int, assigned: Int, action: FailureAction)
    /// Every agent of the canary cohort reports the stable version again.
    case rollbackConverged
    /// An operator's command, with who did it and why.
    case manual(ManualAction, actor: String, reason: String?)

    /// Short stable name, used as the audit event's kind.
    public var kind: String {
        switch self {
        case .start: "start"
        case .stepBaked: "step-baked"
        case .checkFailed: "check-failed"
        case .noData: "no-data"
        case .checkInconclusive: "check-inconclusive"
        case .dryRunCheckFailed: "dry-run-check-failed"
        case .promotionHeld: "promotion-held"
        case .agentsConverged: "agents-converged"
        case .convergenceFailed: "convergence-failed"
        case .canaryLost: "canary-lost"
        case .rollbackConverged: "rollback-converged"
        case .manual(let action, _, _): action.rawValue
        }
    }

    /// The step (0-based) the event is about, for the events raised by one step's agents or bake;
    /// it lets the state machine refuse an event that arrives after its step has changed.
    public var step: Int? {
        switch self {
        case .stepBaked(let step), .agentsConverged(let step), .convergenceFailed(let step, _, _, _), .canaryLost(let step, _, _, _),
             .promotionHeld(let step, _): step
        case .start, .checkFailed, .noData, .checkInconclusive, .dryRunCheckFailed, .rollbackConverged, .manual: nil
        }
    }
}

public enum ManualAction: String, Sendable, Hashable, Codable, CaseIterable {
    case pause
    case resume
    case promote
    case abort
    case rollback
}
