import BellwetherCore

/// The legal next move of a rollout in the torture loop, written by hand (the store checks only
/// that a transition starts where the rollout is): mostly forward through the steps to
/// `completed`, sometimes halting, rolling back or aborting, so every phase gets written.
enum TortureScript {
    static func transition(after state: RolloutState, stepCount: Int, using rng: inout SplitMix64) -> RolloutTransition? {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch state {
        case .pending:
            return RolloutTransition(from: state, to: .progressing(step: 0), event: .start, reason: "started")
        case .progressing(let step) where roll < 8:
            return RolloutTransition(
                from: state, to: .halted(step: step),
                event: .checkFailed(check: "latency-p99", action: .halt, evidence: "p99 up 40%"),
                reason: "latency-p99 failed at step \(step)"
            )
        case .progressing(let step) where roll < 13:
            return RolloutTransition(
                from: state, to: .rollingBack,
                event: .checkFailed(check: "enrichment-failure-ratio", action: .rollback, evidence: "ratio up 3x"),
                reason: "enrichment-failure-ratio failed at step \(step)"
            )
        case .progressing where roll < 15:
            return manual(.abort, from: state, to: .aborted)
        case .progressing(let step) where step + 1 < stepCount:
            return RolloutTransition(
                from: state, to: .progressing(step: step + 1), event: .stepBaked(step: step), reason: "step \(step) baked"
            )
        case .progressing(let step):
            return RolloutTransition(from: state, to: .completed, event: .agentsConverged(step: step), reason: "all agents converged")
        case .halted(let step) where roll < 50:
            return manual(.resume, from: state, to: .progressing(step: step))
        case .halted where roll < 80:
            return manual(.rollback, from: state, to: .rollingBack)
        case .halted:
            return manual(.abort, from: state, to: .aborted)
        case .rollingBack:
            return RolloutTransition(from: state, to: .rolledBack, event: .rollbackConverged, reason: "canary back on stable")
        case .rolledBack, .completed, .aborted:
            return nil
        }
    }

    private static func manual(_ action: ManualAction, from: RolloutState, to: RolloutState) -> RolloutTransition {
        RolloutTransition(
            from: from, to: to, event: .manual(action, actor: "torture", reason: nil), reason: "\(action.rawValue) by operator"
        )
    }
}
