import Testing
@testable import BellwetherCore

/// The policy every test here rolls out: 1% → 10% → 50% → 100%, the last step without a bake.
private let fourSteps = [
    RolloutStep(cohort: "canary", percent: 1, bakeSeconds: 900),
    RolloutStep(cohort: "early", percent: 10, bakeSeconds: 1800),
    RolloutStep(cohort: "half", percent: 50, bakeSeconds: 3600),
    RolloutStep(cohort: "all", percent: 100),
]
private let machine = RolloutStateMachine(steps: fourSteps)
private let lastStep = fourSteps.count - 1

// MARK: - Every state against every event

/// Every state of the four-step policy, plus a step the policy does not have.
private let allStates: [RolloutState] =
    [.pending]
    + (0...fourSteps.count).map { RolloutState.progressing(step: $0) }
    + (0...fourSteps.count).map { RolloutState.halted(step: $0) }
    + [.rollingBack, .rolledBack, .completed, .aborted]

/// Every kind of event, those about a step with each step from one below the first to one past the last.
private let allEvents: [RolloutEvent] =
    [.start, .rollbackConverged]
    + (-1...fourSteps.count).flatMap { step in
        [
            .stepBaked(step: step),
            .agentsConverged(step: step),
            .convergenceFailed(step: step, converged: 7, assigned: 10, action: .halt),
            .convergenceFailed(step: step, converged: 7, assigned: 10, action: .rollback),
            .canaryLost(step: step, reporting: 5, assigned: 10, action: .halt),
            .canaryLost(step: step, reporting: 5, assigned: 10, action: .rollback),
            .promotionHeld(step: step, freeze: "frozen by alice since 2027-01-15T08:00:00Z: quarter-end close"),
        ] as [RolloutEvent]
    }
    + FailureAction.allCases.flatMap { action in
        [.checkFailed(check: "enrichment-failure-ratio", action: action, evidence: "canary 2.1% vs baseline 0.4%"),
         .noData(action: action, detail: "no canary agent reported for 5m")] as [RolloutEvent]
    }
    + InconclusiveAction.allCases.map { .checkInconclusive(check: "records-throughput", action: $0, detail: "the bake time (15m) ended with check records-throughput inconclusive") }
    + [.dryRunCheckFailed(check: "p99-latency", evidence: "canary 0.41 vs baseline 0.22")]
    + ManualAction.allCases.map { .manual($0, actor: "alice", reason: "on call") }

/// Where a legal event leads, relative to the current step k.
private enum Target {
    case firstStep, nextStep, sameState, haltedAtK, progressingAtK, completedIfLastElseSame
    case rollingBack, rolledBack, aborted
}

private enum Rule {
    case to(Target)
    case illegal(IllegalTransition.Kind)
}

private let refused = Rule.illegal(.wrongState)

/// The specification, written out: one row an event, one column a non-terminal phase.
/// Terminal phases refuse everything; steps out of range and stale steps are refused first.
private let table: [String: [Rule]] = [
    //                            pending              progressing(k)                 halted(k)                  rollingBack
    "start":                       [.to(.firstStep),    refused,                       refused,                   refused],
    "step-baked":                  [refused,            .to(.nextStep),                refused,                   refused],
    "agents-converged":            [refused,            .to(.completedIfLastElseSame), .to(.sameState),           refused],
    "convergence-failed/halt":     [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "convergence-failed/rollback": [refused,            .to(.rollingBack),             .to(.rollingBack),         refused],
    "canary-lost/halt":            [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "canary-lost/rollback":        [refused,            .to(.rollingBack),             .to(.rollingBack),         refused],
    "check-failed/halt":           [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "check-failed/rollback":       [refused,            .to(.rollingBack),             .to(.rollingBack),         refused],
    "no-data/halt":                [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "no-data/rollback":            [refused,            .to(.rollingBack),             .to(.rollingBack),         refused],
    "check-inconclusive/halt":     [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "check-inconclusive/pause":    [refused,            .to(.haltedAtK),               .to(.sameState),           refused],
    "check-inconclusive/continue": [refused,            .to(.nextStep),                .to(.sameState),           refused],
    "dry-run-check-failed":        [refused,            .to(.sameState),               .to(.sameState),           refused],
    "promotion-held":              [refused,            .to(.sameState),               refused,                   refused],
    "rollback-converged":          [refused,            refused,                       refused,                   .to(.rolledBack)],
    "pause":                       [refused,            .to(.haltedAtK),               refused,                   refused],
    "resume":                      [refused,            refused,                       .to(.progressingAtK),      refused],
    "promote":                     [refused,            .to(.nextStep),                .to(.nextStep),            refused],
    "abort":                       [.to(.aborted),      .to(.aborted),                 .to(.aborted),             .to(.aborted)],
    "rollback":                    [.to(.rollingBack),  .to(.rollingBack),             .to(.rollingBack),         refused],
]

private func row(_ event: RolloutEvent) -> String {
    switch event {
    case .convergenceFailed(_, _, _, let action), .canaryLost(_, _, _, let action), .checkFailed(_, let action, _), .noData(let action, _):
        "\(event.kind)/\(action.rawValue)"
    case .checkInconclusive(_, let action, _):
        "\(event.kind)/\(action.rawValue)"
    default:
        event.kind
    }
}

private enum Expected: Equatable {
    case state(RolloutState)
    case illegal(IllegalTransition.Kind)
}

private func expected(_ event: RolloutEvent, from state: RolloutState) -> Expected {
    let column: Int
    switch state {
    case .rolledBack, .completed, .aborted: return .illegal(.terminal)
    case .pending: column = 0
    case .progressing: column = 1
    case .halted: column = 2
    case .rollingBack: column = 3
    }
    let steps = 0...lastStep
    if let k = state.step, !steps.contains(k) { return .illegal(.stepOutOfRange) }
    if let j = event.step, !steps.contains(j) { return .illegal(.stepOutOfRange) }
    guard case .to(let target) = table[row(event)]![column] else {
        return .illegal(.wrongState)
    }
    if let j = event.step, let k = state.step, j != k { return .illegal(.staleStep) }
    let k = state.step ?? -1
    switch target {
    case .firstStep: return .state(.progressing(step: 0))
    case .nextStep: return .state(k == lastStep ? .completed : .progressing(step: k + 1))
    case .sameState: return .state(state)
    case .haltedAtK: return .state(.halted(step: k))
    case .progressingAtK: return .state(.progressing(step: k))
    case .completedIfLastElseSame: return .state(k == lastStep ? .completed : state)
    case .rollingBack: return .state(.rollingBack)
    case .rolledBack: return .state(.rolledBack)
    case .aborted: return .state(.aborted)
    }
}

@Suite struct RolloutStateMachineTableTests {
    @Test func theTableHasARowForEveryEventAndAColumnForEveryLivePhase() {
        #expect(Set(table.keys) == Set(allEvents.map(row)))
        #expect(table.values.allSatisfy { $0.count == 4 })
    }

    @Test(arguments: allStates, allEvents)
    func everyTransitionFollowsTheTable(state: RolloutState, event: RolloutEvent) {
        let outcome: Expected
        do {
            let transition = try machine.apply(event, to: state)
            #expect(transition.from == state)
            #expect(transition.event == event)
            #expect(!transition.reason.isEmpty)
            outcome = .state(transition.to)
        } catch {
            #expect(error.from == state)
            #expect(error.event == event)
            #expect(error.description.hasPrefix("cannot "))
            outcome = .illegal(error.kind)
        }
        #expect(outcome == expected(event, from: state))
    }
}

// MARK: - Scenarios

/// Applies `events` in order from `pending`, returning every transition.
private func run(_ events: [RolloutEvent], steps: [RolloutStep] = fourSteps) throws -> [RolloutTransition] {
    let machine = RolloutStateMachine(steps: steps)
    var state = RolloutState.pending
    var transitions: [RolloutTransition] = []
    for event in events {
        let transition = try machine.apply(event, to: state)
        transitions.append(transition)
        state = transition.to
    }
    return transitions
}

private func illegal(_ event: RolloutEvent, at state: RolloutState) -> IllegalTransition? {
    do {
        _ = try machine.apply(event, to: state)
        return nil
    } catch {
        return error
    }
}

@Suite struct RolloutStateMachineScenarioTests {
    @Test func aHealthyRolloutWalksEveryStepToCompletion() throws {
        let transitions = try run([
            .start,
            .agentsConverged(step: 0), .stepBaked(step: 0),
            .agentsConverged(step: 1), .stepBaked(step: 1),
            .agentsConverged(step: 2), .stepBaked(step: 2),
            .agentsConverged(step: 3),
        ])
        #expect(transitions.map(\.to) == [
            .progressing(step: 0),
            .progressing(step: 0), .progressing(step: 1),
            .progressing(step: 1), .progressing(step: 2),
            .progressing(step: 2), .progressing(step: 3),
            .completed,
        ])
        #expect(transitions.map(\.reason) == [
            "rollout started; rolling out step 1 (1%, cohort canary)",
            "the agents of step 1 (1%, cohort canary) converged on the target version; the step keeps baking",
            "step 1 (1%, cohort canary) baked 15m with every check passing; promoting to step 2 (10%, cohort early)",
            "the agents of step 2 (10%, cohort early) converged on the target version; the step keeps baking",
            "step 2 (10%, cohort early) baked 30m with every check passing; promoting to step 3 (50%, cohort half)",
            "the agents of step 3 (50%, cohort half) converged on the target version; the step keeps baking",
            "step 3 (50%, cohort half) baked 1h with every check passing; promoting to step 4 (100%, cohort all)",
            "the agents of step 4 (100%, cohort all) converged on the target version; rollout completed",
        ])
    }

    @Test func aFailingCheckRollsTheCanaryBackAndTheRolloutEnds() throws {
        let transitions = try run([
            .start, .stepBaked(step: 0),
            .checkFailed(check: "enrichment-failure-ratio", action: .rollback, evidence: "canary 2.1% vs baseline 0.4% over 41,200 records"),
            .rollbackConverged,
        ])
        #expect(transitions.map(\.to).suffix(2) == [.rollingBack, .rolledBack])
        #expect(transitions[2].reason
            == "check enrichment-failure-ratio failed: canary 2.1% vs baseline 0.4% over 41,200 records; rolling back step 2 (10%, cohort early)")
        #expect(illegal(.manual(.resume, actor: "alice", reason: nil), at: .rolledBack)?.description
            == "cannot resume a rollout that is rolled-back: a rolled-back rollout is finished and accepts no further events")
    }

    @Test func anOperatorPausesAndResumesAtTheSameStep() throws {
        let transitions = try run([
            .start, .stepBaked(step: 0),
            .manual(.pause, actor: "alice", reason: "investigating a latency alert"),
            .manual(.resume, actor: "bob", reason: nil),
        ])
        #expect(transitions.map(\.to).suffix(2) == [.halted(step: 1), .progressing(step: 1)])
        #expect(transitions[2].reason == "paused by alice; halted at step 2 (10%, cohort early) — \"investigating a latency alert\"")
        #expect(transitions[3].reason == "resumed by bob; progressing again at step 2 (10%, cohort early)")
    }

    @Test func promotingTheLastStepCompletesAndNamesTheActor() throws {
        let transition = try machine.apply(.manual(.promote, actor: "carol", reason: "dashboards clean"), to: .progressing(step: lastStep))
        #expect(transition.to == .completed)
        #expect(transition.reason
            == "promoted by carol; step 4 (100%, cohort all) skips the rest of its bake; rollout completed — \"dashboards clean\"")
    }

    @Test func promotingAHaltedStepMovesOnToTheNextOne() throws {
        let transition = try machine.apply(.manual(.promote, actor: "carol", reason: nil), to: .halted(step: 1))
        #expect(transition.to == .progressing(step: 2))
        #expect(transition.reason == "promoted by carol; step 2 (10%, cohort early) skips the rest of its bake; promoting to step 3 (50%, cohort half)")
    }

    @Test func aHaltedRolloutStillRollsBackOnARollbackFailure() throws {
        let transitions = try run([
            .start,
            .checkFailed(check: "processing-latency-p99", action: .halt, evidence: "p99 412ms vs 300ms"),
            .noData(action: .halt, detail: "no canary agent reported for 5m"),
            .convergenceFailed(step: 0, converged: 7, assigned: 10, action: .rollback),
        ])
        #expect(transitions.map(\.to) == [.progressing(step: 0), .halted(step: 0), .halted(step: 0), .rollingBack])
        #expect(transitions.map(\.reason).suffix(3) == [
            "check processing-latency-p99 failed: p99 412ms vs 300ms; halting at step 1 (1%, cohort canary)",
            "no data: no canary agent reported for 5m; already halted at step 1 (1%, cohort canary), stays halted",
            "only 7 of 10 agents of step 1 (1%, cohort canary) converged on the target version; rolling back step 1 (1%, cohort canary)",
        ])
    }

    @Test func aChecksInconclusiveEndHaltsPausesOrContinuesAsItsPolicySays() throws {
        let ended = "the bake time (15m) ended with check records-throughput inconclusive: 20 canary agents' throughput spreads too widely"
        let paused = try machine.apply(.checkInconclusive(check: "records-throughput", action: .pause, detail: ended), to: .progressing(step: 0))
        #expect(paused.to == .halted(step: 0))
        #expect(paused.reason == "\(ended); paused at step 1 (1%, cohort canary) for an operator: promote accepts the step as it is, resume bakes it again on fresh data, rollback undoes it")
        let halted = try machine.apply(.checkInconclusive(check: "records-throughput", action: .halt, detail: ended), to: .progressing(step: 0))
        #expect(halted.reason == "\(ended); halting at step 1 (1%, cohort canary)")
        let continued = try machine.apply(
            .checkInconclusive(check: "records-throughput", action: .continue, detail: "baked 15m; check records-throughput still inconclusive"),
            to: .progressing(step: 0)
        )
        #expect(continued.to == .progressing(step: 1))
        #expect(continued.reason == "step 1 (1%, cohort canary) baked 15m; check records-throughput still inconclusive; promoting to step 2 (10%, cohort early)")
    }

    @Test func aFrozenFleetHoldsThePromotionAndSaysWhy() throws {
        let transition = try machine.apply(.promotionHeld(step: 1, freeze: "frozen by alice since 2027-01-15T08:00:00Z: quarter-end close"), to: .progressing(step: 1))
        #expect(transition.to == .progressing(step: 1))
        #expect(transition.reason == "step 2 (10%, cohort early) is ready to promote, but the fleet is frozen by alice since 2027-01-15T08:00:00Z: quarter-end close; it stays at step 2 (10%, cohort early), still judged, until the freeze is lifted")
    }

    @Test func aDryRunChecksFailureIsRecordedAndChangesNothing() throws {
        let transition = try machine.apply(.dryRunCheckFailed(check: "p99-latency", evidence: "canary 0.41 vs baseline 0.22"), to: .progressing(step: 2))
        #expect(transition.to == .progressing(step: 2))
        #expect(transition.reason == "dry-run check p99-latency failed: canary 0.41 vs baseline 0.22; not acted on (dryRun: true), the step goes on as if the check were absent")
    }

    @Test func aBakedLastStepCompletesWhenItsBakeEndsNotWhenAgentsConverge() throws {
        let steps = [RolloutStep(cohort: "half", percent: 50, bakeSeconds: 60), RolloutStep(cohort: "all", percent: 100, bakeSeconds: 5400)]
        let transitions = try run([.start, .stepBaked(step: 0), .agentsConverged(step: 1), .stepBaked(step: 1)], steps: steps)
        #expect(transitions.map(\.to) == [.progressing(step: 0), .progressing(step: 1), .progressing(step: 1), .completed])
        #expect(transitions[3].reason == "step 2 (100%, cohort all) baked 1h30m with every check passing; rollout completed")
    }

    @Test func abortingAndRollingBackByHandNameTheActorAndWhere() throws {
        let abort = try machine.apply(.manual(.abort, actor: "dave", reason: nil), to: .halted(step: 2))
        #expect(abort.reason == "aborted by dave at halted step 3 (50%, cohort half); agents stay on the version they run")
        let rollback = try machine.apply(.manual(.rollback, actor: "erin", reason: "customer report"), to: .pending)
        #expect(rollback.reason == "rollback requested by erin before it started; returning the canary to the stable version — \"customer report\"")
    }

    @Test func refusalsSayWhatIsAllowedInstead() {
        #expect(illegal(.manual(.resume, actor: "alice", reason: nil), at: .progressing(step: 1))?.description
            == "cannot resume a rollout that is progressing(step 2): only a halted rollout resumes")
        #expect(illegal(.manual(.rollback, actor: "alice", reason: nil), at: .rollingBack)?.description
            == "cannot roll back a rollout that is rolling-back: it is already rolling back; wait for the rollback to converge, or abort it")
        #expect(illegal(.stepBaked(step: 1), at: .halted(step: 1))?.description
            == "cannot apply step-baked(step 2) to a rollout that is halted(step 2): only a progressing rollout is promoted when its step has baked")
    }

    @Test func anEventAboutAnEarlierStepIsStale() {
        let error = illegal(.stepBaked(step: 0), at: .progressing(step: 1))
        #expect(error?.kind == .staleStep)
        #expect(error?.description
            == "cannot apply step-baked(step 1) to a rollout that is progressing(step 2): the event is about step 1 but the rollout is at step 2; it was raised before the step changed")
    }

    @Test func stepsThePolicyDoesNotHaveAreRefused() {
        #expect(illegal(.agentsConverged(step: 4), at: .progressing(step: 3))?.description
            == "cannot apply agents-converged(step 5) to a rollout that is progressing(step 4): step 5 does not exist; the policy has 4 steps")
        #expect(illegal(.manual(.pause, actor: "alice", reason: nil), at: .progressing(step: 9))?.kind == .stepOutOfRange)
    }

    @Test func aPolicyWithoutStepsCannotStart() {
        #expect(throws: IllegalTransition.self) { try RolloutStateMachine(steps: []).apply(.start, to: .pending) }
    }

    @Test(arguments: [(900.0, "15m"), (3600, "1h"), (5400, "1h30m"), (45, "45s"), (3661, "1h1m1s"), (0, "0s"), (1.5, "1.5s")])
    func bakeDurationsReadAsInPolicies(seconds: Double, text: String) {
        #expect(DurationText.compact(seconds: seconds) == text)
    }
}
