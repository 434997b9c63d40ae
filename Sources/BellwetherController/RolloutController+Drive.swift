import BellwetherCore
import BellwetherStore
import Foundation

extension RolloutController {
    /// Moves one rollout as far as the evidence of this instant allows (a pending rollout starts
    /// and, at once, has its first step's agents assigned) and returns its plan in the state it
    /// reached.
    func drive(_ rollout: Rollout, fleet: [KnownAgent], now: Date) async -> CohortPlan {
        var rollout = rollout
        for _ in 0..<Self.transitionsPerPass {
            let plan = CohortPlan(rollout: rollout, fleet: fleet, now: now, silentAfter: configuration.silentAfter)
            let event: RolloutEvent?
            do {
                event = try holdingPromotions(await nextEvent(plan, now: now), of: rollout)
            } catch {
                logger.error("cannot judge rollout \(rollout.id); retrying at the next pass", metadata: ["rollout": "\(rollout.id)", "error": "\(error)"])
                break
            }
            guard let event, let moved = record(event, on: rollout, at: now) else { break }
            rollout = moved
        }
        return CohortPlan(rollout: rollout, fleet: fleet, now: now, silentAfter: configuration.silentAfter)
    }

    /// What happened to the rollout, if anything, by its state:
    ///
    /// - pending: it starts.
    /// - at a step (progressing or halted): its canary converges or fails to, then the step is
    ///   judged (`stepEvent`).
    /// - rolling back: it has rolled back once no reporting selected agent runs the target version.
    private func nextEvent(_ plan: CohortPlan, now: Date) async throws -> RolloutEvent? {
        switch plan.rollout.state {
        case .pending:
            return .start
        case .progressing(let step), .halted(let step):
            return try await stepEvent(plan, step: step, now: now)
        case .rollingBack:
            return plan.stillOnTarget == 0 ? .rollbackConverged : nil
        case .completed, .rolledBack, .aborted:
            return nil
        }
    }

    /// Convergence first: until enough of the canary reports the target version there is nothing
    /// to judge, and past `convergence.timeoutSeconds` from the step's start that is a failure (a
    /// version that cannot even install must not promote). A dry run asks nobody to change, so its
    /// canary has converged from the start.
    ///
    /// Once converged, a canary that loses agents (they fall silent) beyond what the rest of the
    /// fleet lost over the step, by more than `1 − convergence.minFraction`, is
    /// `canaryLost` with `convergence.onFail`: the survivors of a version that kills its agents
    /// must not be judged as if they were the canary.
    ///
    /// Then the bake: steps before the last are judged canary against baseline at each boundary;
    /// the last step (everyone on the target version, nobody left to compare with) completes on
    /// convergence, or, when the policy gives it a bake, once that has elapsed since convergence.
    private func stepEvent(_ plan: CohortPlan, step: Int, now: Date) async throws -> RolloutEvent? {
        let rollout = plan.rollout
        guard let window = StepWindow(step: step, events: try store.events(rolloutID: rollout.id)) else {
            logger.error("rollout \(rollout.id) is \(rollout.state) but its audit log never entered that step", metadata: ["rollout": "\(rollout.id)"])
            return nil
        }
        let isLast = step == rollout.policy.steps.count - 1
        let analysisStart = window.convergedAt ?? (rollout.dryRun && !isLast ? window.start : nil)
        guard let analysisStart else {
            if plan.hasConverged || rollout.dryRun { return .agentsConverged(step: step) }
            let convergence = rollout.policy.convergence
            guard now.timeIntervalSince(window.start) >= convergence.timeoutSeconds else { return nil }
            return .convergenceFailed(step: step, converged: plan.convergedCanary, assigned: plan.split.canary.count, action: convergence.onFail)
        }
        if window.convergedAt != nil, let loss = plan.canaryLoss(stepStart: window.start, now: now, silentAfter: configuration.silentAfter),
           loss.canary > loss.others + (1 - rollout.policy.convergence.minFraction) {
            return .canaryLost(step: step, reporting: plan.convergedCanary, assigned: plan.split.canary.count, action: rollout.policy.convergence.onFail)
        }
        guard !isLast else {
            guard let bake = rollout.policy.steps[step].bakeSeconds else { return nil }
            return now.timeIntervalSince(analysisStart) >= bake ? .stepBaked(step: step) : nil
        }
        return try await analysisEvent(plan, step: step, start: analysisStart.timeIntervalSince1970, now: now)
    }

    /// A promotion while the fleet is frozen becomes `promotionHeld`, recorded once per step and
    /// freeze (nil after that): the step stays where it is, still judged, so a rollback or halt can
    /// still come, and promotes at its next look once the freeze is lifted. An operator's own
    /// promote is not held; it is a deliberate act, audited as such.
    private func holdingPromotions(_ event: RolloutEvent?, of rollout: Rollout) throws -> RolloutEvent? {
        guard let event, event.promotes, case .progressing(let step) = rollout.state, let freeze = try store.freeze() else { return event }
        let told = try store.events(rolloutID: rollout.id).contains { audit in
            guard audit.at >= freeze.since, case .promotionHeld(let held, _)? = audit.event else { return false }
            return held == step
        }
        return told ? nil : .promotionHeld(step: step, freeze: freeze.summary)
    }

    /// Applies `event` through the state machine and records it, compare-and-set. Returns the
    /// rollout as it now is, or `nil` when nothing was recorded.
    ///
    /// A transition that leaves the state as it is (a halting failure of an already halted step)
    /// is not recorded: the evaluations keep that evidence, and the audit log would otherwise grow
    /// by one line per interval for as long as the rollout stays halted. `agentsConverged` is the
    /// exception: it marks when the step's analysis starts. A stale transition (an operator or
    /// another controller moved the rollout first) is dropped and the rollout re-read, so the
    /// next decision is taken on the state it really is in.
    func record(_ event: RolloutEvent, on rollout: Rollout, at now: Date) -> Rollout? {
        let transition: RolloutTransition
        do {
            transition = try RolloutStateMachine(steps: rollout.policy.steps).apply(event, to: rollout.state)
        } catch {
            if error.kind != .staleStep {
                logger.warning("rollout \(rollout.id): \(error.description)", metadata: ["rollout": "\(rollout.id)"])
            }
            return nil
        }
        if transition.to == transition.from, !event.isRecordedUnchanged {
            return nil
        }
        do {
            let moved = try store.recordTransition(rolloutID: rollout.id, transition, actor: configuration.actor, at: now)
            logger.info("rollout \(rollout.id): \(transition.from) → \(transition.to): \(transition.reason)", metadata: [
                "rollout": "\(rollout.id)", "from": "\(transition.from)", "to": "\(transition.to)", "event": "\(transition.event.kind)",
            ])
            return moved
        } catch StoreError.staleTransition(_, _, let actual) {
            logger.info("rollout \(rollout.id) became \(actual) meanwhile; deciding again from there", metadata: ["rollout": "\(rollout.id)"])
            return try? store.rollout(id: rollout.id)
        } catch {
            logger.error("cannot record a transition of rollout \(rollout.id)", metadata: ["rollout": "\(rollout.id)", "error": "\(error)"])
            return nil
        }
    }
}

private extension RolloutEvent {
    /// The control loop's own moves onto more agents (or to completion), which a freeze holds.
    var promotes: Bool {
        switch self {
        case .stepBaked, .checkInconclusive(_, .continue, _): true
        default: false
        }
    }

    /// Convergence is recorded even when it leaves the state as it is: the step's analysis and
    /// bake count from it (`StepWindow.convergedAt`). A dry-run check's failure changes nothing
    /// but is what the audit log and the notifications exist to tell.
    var isRecordedUnchanged: Bool {
        switch self {
        case .agentsConverged, .dryRunCheckFailed, .promotionHeld: true
        default: false
        }
    }
}
