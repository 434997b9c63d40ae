import BellwetherCore

extension RolloutEvent {
    /// The event a step decision raises: a check inconclusive at the bake's end carries its
    /// `onInconclusive`; a failed check names its check and evidence; a decision without a check is
    /// missing data (a silent cohort, or a bake that ended with a check a cohort sent nothing for).
    init?(_ decision: StepDecision, step: Int) {
        if let action = decision.onInconclusive, let check = decision.check {
            self = .checkInconclusive(check: check, action: action, detail: decision.reason)
            return
        }
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
