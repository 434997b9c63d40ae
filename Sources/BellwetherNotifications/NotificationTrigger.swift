import BellwetherCore
import BellwetherStore

/// Which audit events are worth telling someone about: every operator command, every move into a
/// state a human cares about (halted, rolling back, rolled back, completed, aborted), a dry-run
/// check's failure and a promotion past a check that stayed inconclusive (`onInconclusive:
/// continue`), both a policy choosing not to act on something an operator should know, and a
/// promotion a fleet freeze holds (someone will want to lift it, or to know why nothing moves).
/// Starting a rollout and its steps advancing are left to the dashboard and the audit log: a
/// channel that speaks at every step is a channel people mute.
public enum NotificationTrigger {
    static let noticedPhases: Set<RolloutPhase> = [.halted, .rollingBack, .rolledBack, .completed, .aborted]

    public static func notifies(_ event: RolloutAuditEvent) -> Bool {
        guard event.from != nil else { return false }
        switch event.event {
        case .manual, .dryRunCheckFailed, .checkInconclusive(_, .continue, _), .promotionHeld: return true
        default: break
        }
        return noticedPhases.contains(event.to.phase) && event.from?.phase != event.to.phase
    }

    /// The targets of `rollout`'s policy that hear about `event` (all of them, when it notifies).
    public static func targets(for event: RolloutAuditEvent, of rollout: Rollout) -> [Int] {
        notifies(event) ? Array(rollout.policy.notify.indices) : []
    }
}
