import BellwetherCore
import Metrics
import Foundation
import ServiceLifecycle

/// Runs the control loop as a long-lived service: a pass every `tickPeriod` of controller time
/// (one second by default), or at once when `wake()` rings, until the service group shuts down.
///
/// A fixed cadence rather than sleeping to the next analysis boundary: besides boundaries, a pass
/// notices agents converging, rollbacks finishing and operators' commands, none of which fall on
/// a boundary; and a pass between boundaries costs three small reads, because judging a boundary
/// already judged is skipped. A pass late by more than a period is not repeated to catch up: one
/// pass judges every boundary it finds due.
///
/// On graceful shutdown the pass under way finishes (its transitions are single transactions
/// either way) and the service returns instead of sleeping again.
public struct ControllerService: Service {
    public let controller: RolloutController
    /// Runs before every pass: the server writes the heartbeats it holds in memory, so the pass
    /// sees every agent heard so far even when controller time runs many times faster than the
    /// wall-clock flush (the demo's `--speed`).
    public let beforePass: @Sendable () async -> Void

    public init(controller: RolloutController, beforePass: @escaping @Sendable () async -> Void = {}) {
        self.controller = controller
        self.beforePass = beforePass
    }

    public func run() async throws {
        let clock = controller.clock
        let period = controller.configuration.tickPeriod
        var next = clock.now
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await beforePass()
            await controller.tick()
            // Operators alert when this stops growing: a loop that no longer passes judges nothing.
            Counter(label: "bellwether_control_passes_total", factory: controller.telemetry).increment()
            next = next.addingTimeInterval(period)
            if next <= clock.now { next = clock.now.addingTimeInterval(period) }
            let deadline = next
            do {
                try await cancelWhenGracefulShutdown { try await waitForNextPass(until: deadline) }
            } catch is CancellationError {
                return
            }
        }
    }

    /// Returns at `deadline` or when the controller is woken, whichever comes first.
    private func waitForNextPass(until deadline: Date) async throws {
        let clock = controller.clock
        let doorbell = controller.doorbell
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: deadline) }
            group.addTask { await doorbell.waitForRing() }
            try await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }
}
