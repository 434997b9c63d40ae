/// The rules of a rollout's life: which event moves which state where, and why.
///
/// It is a pure function of the policy's steps, so the controller, the store's tests and
/// `bellwether analyze` replaying a past incident all get the same answers, and every transition
/// carries the sentence the audit log shows an operator. Steps are 0-based in states and events
/// and 1-based in every text, as in `RolloutState.description`.
///
/// Decisions the table below does not make obvious:
///
/// - **Convergence completes only an un-baked last step.** On the last step (100%, usually without
///   a bake) `agentsConverged` completes the rollout: there is nothing left to promote to and no
///   baseline left to compare with. If the policy gives the last step a bake, the operator asked
///   for it to be watched, so convergence is recorded and `stepBaked` completes it. On every other
///   step convergence is an accepted no-op: the controller reports it when it sees it, the audit
///   log shows when the canary was really on the new version, and the bake alone decides promotion.
/// - **A halted rollout is frozen for promotion, not for safety.** Halted means a human decides
///   what comes next, so no bake or convergence moves it forward. A failure whose action is
///   `rollback` still rolls it back: the check that said "this version harms data" is no less right
///   because an earlier, milder check froze the rollout, and waiting for a human would leave the
///   canary harming data meanwhile.
/// - **A halting failure while halted is a legal no-op.** The controller keeps analysing a halted
///   step so the operator decides on current evidence; a second halting failure is more evidence,
///   recorded in the audit log, and changes nothing. Refusing it would lose that evidence and make
///   every caller filter events by state, racing with operators who pause by hand.
/// - **Stale events are refused.** An event about step k arriving at step k+1 (raised before a
///   manual promotion, delivered after it) must not promote or halt the new step; its
///   `IllegalTransition.Kind.staleStep` lets the controller drop it quietly.
///
/// ```
/// state          legal events → next state
/// pending        start → progressing(0); rollback → rollingBack; abort → aborted
/// progressing(k) stepBaked(k), promote → progressing(k+1), or completed after the last step
///                agentsConverged(k) → same state, or completed on an un-baked last step
///                failure: halt → halted(k), rollback → rollingBack
///                pause → halted(k); rollback → rollingBack; abort → aborted
/// halted(k)      resume → progressing(k); promote → progressing(k+1) or completed
///                agentsConverged(k) → same state
///                failure: halt → same state, rollback → rollingBack
///                rollback → rollingBack; abort → aborted
/// rollingBack    rollbackConverged → rolledBack; abort → aborted
/// terminal       nothing
/// ```
/// A failure is `checkFailed`, `noData`, `convergenceFailed(k)` or `canaryLost(k)`.
public struct RolloutStateMachine: Sendable, Hashable {
    public let steps: [RolloutStep]

    public init(steps: [RolloutStep]) {
        self.steps = steps
    }

    public func apply(_ event: RolloutEvent, to state: RolloutState) throws(IllegalTransition) -> RolloutTransition {
        let (next, reason) = try TransitionRequest(steps: steps, state: state, event: event).outcome()
        return RolloutTransition(from: state, to: next, event: event, reason: reason)
    }
}

/// One event against one state: keeps the two at hand for every rule and every refusal.
private struct TransitionRequest {
    let steps: [RolloutStep]
    let state: RolloutState
    let event: RolloutEvent

    typealias Outcome = (state: RolloutState, reason: String)

    func outcome() throws(IllegalTransition) -> Outcome {
        if state.isTerminal {
            throw refusal(.terminal, "a \(state.phase.rawValue) rollout is finished and accepts no further events")
        }
        for step in [state.step, event.step].compactMap(\.self) where !steps.indices.contains(step) {
            throw refusal(.stepOutOfRange, "step \(step + 1) does not exist; the policy has \(steps.count) steps")
        }
        switch event {
        case .start:
            return try start()
        case .stepBaked:
            guard case .progressing(let current) = state else {
                throw refusal(.wrongState, "only a progressing rollout is promoted when its step has baked")
            }
            try requireCurrent(current)
            let bake = steps[current].bakeSeconds.map { " \(DurationText.compact(seconds: $0))" } ?? ""
            return advance(from: current, "\(label(current)) baked\(bake) with every check passing")
        case .agentsConverged:
            return try agentsConverged()
        case .convergenceFailed(let step, let converged, let assigned, let action):
            let cause = "only \(converged) of \(assigned) agents of \(label(step)) converged on the target version"
            return try failure(action, cause)
        case .canaryLost(let step, let reporting, let assigned, let action):
            let cause = "only \(reporting) of \(assigned) canary agents of \(label(step)) still report the target version; the others went silent after receiving it"
            return try failure(action, cause)
        case .checkFailed(let check, let action, let evidence):
            return try failure(action, "check \(check) failed: \(evidence)")
        case .noData(let action, let detail):
            return try failure(action, "no data: \(detail)")
        case .checkInconclusive(let check, let action, let detail):
            return try inconclusive(check, action, detail)
        case .promotionHeld(_, let freeze):
            guard case .progressing(let current) = state else {
                throw refusal(.wrongState, "only a progressing rollout has a promotion to hold")
            }
            try requireCurrent(current)
            return (state, "\(label(current)) is ready to promote, but the fleet is \(freeze); it stays at \(label(current)), still judged, until the freeze is lifted")
        case .dryRunCheckFailed(let check, let evidence):
            guard state.step != nil else {
                throw refusal(.wrongState, "only a progressing or halted rollout has checks to judge")
            }
            return (state, "dry-run check \(check) failed: \(evidence); not acted on (dryRun: true), the step goes on as if the check were absent")
        case .rollbackConverged:
            guard state == .rollingBack else {
                throw refusal(.wrongState, "only a rolling-back rollout finishes rolling back")
            }
            return (.rolledBack, "every agent of the canary reports the stable version again; rolled back")
        case .manual(let action, let actor, let note):
            let (next, reason) = try manual(action, "\(action.pastTense) by \(actor)")
            guard let note, !note.isEmpty else { return (next, reason) }
            return (next, "\(reason) — \"\(note)\"")
        }
    }

    private func start() throws(IllegalTransition) -> Outcome {
        guard state == .pending else {
            throw refusal(.wrongState, "only a pending rollout starts")
        }
        guard !steps.isEmpty else {
            throw refusal(.stepOutOfRange, "the policy has no steps to roll out")
        }
        return (.progressing(step: 0), "rollout started; rolling out \(label(0))")
    }

    private func agentsConverged() throws(IllegalTransition) -> Outcome {
        let converged: String
        switch state {
        case .progressing(let current):
            try requireCurrent(current)
            converged = "the agents of \(label(current)) converged on the target version"
            if current == steps.count - 1, steps[current].bakeSeconds == nil {
                return (.completed, "\(converged); rollout completed")
            }
            return (state, "\(converged); the step keeps baking")
        case .halted(let current):
            try requireCurrent(current)
            converged = "the agents of \(label(current)) converged on the target version"
            return (state, "\(converged); the rollout stays halted until an operator resumes or promotes it")
        default:
            throw refusal(.wrongState, "only a progressing or halted rollout has agents converging on the target version")
        }
    }

    /// A failing check, missing data or failed convergence, acting as its policy says.
    private func failure(_ action: FailureAction, _ cause: String) throws(IllegalTransition) -> Outcome {
        switch (state, action) {
        case (.progressing(let current), .halt):
            try requireCurrent(current)
            return (.halted(step: current), "\(cause); halting at \(label(current))")
        case (.halted(let current), .halt):
            try requireCurrent(current)
            return (state, "\(cause); already halted at \(label(current)), stays halted")
        case (.progressing(let current), .rollback), (.halted(let current), .rollback):
            try requireCurrent(current)
            return (.rollingBack, "\(cause); rolling back \(label(current))")
        case (.pending, _):
            throw refusal(.wrongState, "a pending rollout has no canary to judge; start it first")
        default:
            throw refusal(.wrongState, "the canary is already rolling back to the stable version")
        }
    }

    /// A check the bake could not decide: a halt is a failure's halt; a pause halts too but says
    /// what the operator's choices mean; a continue promotes, saying which check it did not know.
    private func inconclusive(_ check: String, _ action: InconclusiveAction, _ cause: String) throws(IllegalTransition) -> Outcome {
        switch (action, state) {
        case (.halt, _):
            return try failure(.halt, cause)
        case (.pause, .progressing(let current)):
            try requireCurrent(current)
            return (.halted(step: current), "\(cause); paused at \(label(current)) for an operator: promote accepts the step as it is, resume bakes it again on fresh data, rollback undoes it")
        case (.continue, .progressing(let current)):
            try requireCurrent(current)
            return advance(from: current, "\(label(current)) \(cause)")
        case (.pause, .halted(let current)), (.continue, .halted(let current)):
            try requireCurrent(current)
            return (state, "\(cause); already halted at \(label(current)), stays halted")
        default:
            throw refusal(.wrongState, "only a progressing or halted rollout has a bake to end")
        }
    }

    private func manual(_ action: ManualAction, _ who: String) throws(IllegalTransition) -> Outcome {
        switch (action, state) {
        case (.pause, .progressing(let current)):
            return (.halted(step: current), "\(who); halted at \(label(current))")
        case (.pause, .halted):
            throw refusal(.wrongState, "it is already halted; resume, promote, roll back or abort it")
        case (.pause, _):
            throw refusal(.wrongState, "only a progressing rollout pauses")
        case (.resume, .halted(let current)):
            return (.progressing(step: current), "\(who); progressing again at \(label(current))")
        case (.resume, _):
            throw refusal(.wrongState, "only a halted rollout resumes")
        case (.promote, .progressing(let current)), (.promote, .halted(let current)):
            return advance(from: current, "\(who); \(label(current)) skips the rest of its bake")
        case (.promote, _):
            throw refusal(.wrongState, "only a progressing or halted rollout is promoted")
        case (.abort, _):
            return (.aborted, "\(who) \(whereabouts); agents stay on the version they run")
        case (.rollback, .rollingBack):
            throw refusal(.wrongState, "it is already rolling back; wait for the rollback to converge, or abort it")
        case (.rollback, _):
            return (.rollingBack, "\(who) \(whereabouts); returning the canary to the stable version")
        }
    }

    private func advance(from current: Int, _ because: String) -> Outcome {
        guard current + 1 < steps.count else {
            return (.completed, "\(because); rollout completed")
        }
        return (.progressing(step: current + 1), "\(because); promoting to \(label(current + 1))")
    }

    private func requireCurrent(_ current: Int) throws(IllegalTransition) {
        if let step = event.step, step != current {
            throw refusal(
                .staleStep,
                "the event is about step \(step + 1) but the rollout is at step \(current + 1); it was raised before the step changed"
            )
        }
    }

    /// "step 2 (10%, cohort early)": how every text names a step.
    private func label(_ step: Int) -> String {
        let percent = steps[step].percent
        let shown = percent == percent.rounded() ? String(Int(percent)) : String(percent)
        return "step \(step + 1) (\(shown)%, cohort \(steps[step].cohort))"
    }

    private var whereabouts: String {
        switch state {
        case .progressing(let step): "at \(label(step))"
        case .halted(let step): "at halted \(label(step))"
        case .pending: "before it started"
        default: "while rolling back"
        }
    }

    private func refusal(_ kind: IllegalTransition.Kind, _ instead: String) -> IllegalTransition {
        IllegalTransition(from: state, event: event, kind: kind, instead: instead)
    }
}

private extension ManualAction {
    var pastTense: String {
        switch self {
        case .pause: "paused"
        case .resume: "resumed"
        case .promote: "promoted"
        case .abort: "aborted"
        case .rollback: "rollback requested"
        }
    }
}
