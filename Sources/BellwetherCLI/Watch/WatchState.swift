import BellwetherAPI
import BellwetherCore

/// Everything `bellwether rollout watch` shows at one moment, read from the API: the health of
/// the current step, how far its bake has gone, the latest decision and the latest audit events.
/// A value, so the view is a pure function of it (`WatchView`) and a recorded rollout replays
/// into the same lines.
struct WatchState: Sendable, Hashable, Codable {
    /// How long the current step has baked, in controller time, from its latest evaluation.
    struct Bake: Sendable, Hashable, Codable {
        /// 1-based, as every text counts steps.
        var step: Int
        var baked: Double
        /// The step's bake; nil for a step that is not judged by time.
        var total: Double?

        var left: Double? { total.map { max(0, $0 - baked) } }
    }

    var health: RolloutHealthView
    var bake: Bake?
    /// The latest step decision the control loop recorded, with its reason.
    var decision: StepDecision?
    /// The most recent audit events, oldest first.
    var events: [AuditEventView]

    /// The rollout no longer moves without a human (halted) or at all (terminal): the watch ends.
    var isFinished: Bool {
        health.rollout.state.phase.isTerminal || health.rollout.state.phase == .halted
    }

    /// 0 once the rollout completed; 1 when it was rolled back, aborted or halted.
    var exitStatus: Int32 {
        health.rollout.state.phase == .completed ? 0 : 1
    }

    /// Assembles the state from the three API answers; keeps the last `eventLimit` events.
    init(health: RolloutHealthView, evaluations: [RolloutEvaluation], events: [AuditEventView], eventLimit: Int = 5) {
        self.health = health
        self.events = Array(events.suffix(eventLimit))
        decision = evaluations.last(where: { $0.decision != nil })?.decision ?? Self.decision(in: events)
        let state = health.rollout.state
        if let step = state.step, let latest = evaluations.last(where: { $0.step == step - 1 }) {
            let total = health.rollout.steps.indices.contains(step - 1) ? health.rollout.steps[step - 1].bakeSeconds : nil
            bake = Bake(step: step, baked: latest.time - latest.windowStart, total: total)
        }
    }

    /// The control loop's last halt or rollback as the audit log records it: the fallback when
    /// the evaluation that decided is not among the recorded ones.
    static func decision(in events: [AuditEventView]) -> StepDecision? {
        for event in events.reversed() {
            let time = event.at.timeIntervalSince1970
            switch event.detail {
            case .checkFailed(let check, let action, _)?:
                return StepDecision(decision: action == .rollback ? .rollback : .halt, time: time, check: check, reason: event.reason)
            case .noData(let action, _)?:
                return StepDecision(decision: action == .rollback ? .rollback : .halt, time: time, check: nil, reason: event.reason)
            case .checkInconclusive(let check, let action, _)? where action != .continue:
                return StepDecision(decision: .halt, time: time, check: check, onInconclusive: action, reason: event.reason)
            default:
                continue
            }
        }
        return nil
    }
}
