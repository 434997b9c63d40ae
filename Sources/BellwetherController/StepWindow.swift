import BellwetherCore
import BellwetherStore
import Foundation

/// Where the clocks of a rollout's current step start, read from its audit log, so a restarted
/// controller finds them exactly where the last one left them.
///
/// - `start`: the last transition *into* progressing(step) — a start, a promotion or a resume. A
///   resume restarts the step: its convergence deadline, its bake and its analysis begin again, on
///   fresh evidence, because the operator who paused it may have changed anything meanwhile.
/// - `convergedAt`: the step's `agentsConverged` event after `start`, which the controller records
///   when enough of the canary first reports the target version. Analysis and bake count from
///   here, not from `start`, so the time agents take to install neither eats into the bake nor
///   reads as "no data from the canary".
struct StepWindow: Sendable, Hashable {
    let step: Int
    let start: Date
    let convergedAt: Date?

    init?(step: Int, events: [RolloutAuditEvent]) {
        let entered = events.lastIndex { event in
            event.to == .progressing(step: step) && event.from != event.to
        }
        guard let entered else { return nil }
        self.step = step
        start = events[entered].at
        convergedAt = events[(entered + 1)...].first { $0.event == .agentsConverged(step: step) }?.at
    }
}
