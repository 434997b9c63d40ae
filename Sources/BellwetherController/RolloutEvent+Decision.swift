import BellwetherCore

extension RolloutEvent {
    /// The event a step decision raises: a failed check names its check and evidence; a decision
    /// without a check is missing data (a silent cohort, or a bake that ended inconclusive).
    init?(_ decision: StepDecision, step: Int) {
        switch decision.decision {
        case .promote:
            self = .stepBaked(step: step)
        case .halt, .rollback:
            let action: FailureAction = decision.decision == .rollback ? .rollback : .halt
            if let check = decision.check {
                self = .checkFailed(check: check, action: action, evidence: decision.reason)
            } else {
                self = .noData(action: action, detail: decision.reason)
            }
        case .inconclusive:
            return nil
        }
    }
}
