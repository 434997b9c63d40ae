import BellwetherCore
import BellwetherFleetSim
import BellwetherServer
import Foundation

/// How the demo's time moves between two looks at the rollout. On the demo's `ScaledClock` it
/// passes by itself and the commentary looks every 200 ms. In lockstep (tests) it is a
/// `ManualClock` moved `step` seconds at a time; after each move the controller's pass waits
/// until every fleet task is asleep on the clock again, that is until every request the agents
/// sent at the new instant has been answered, so the pass sees the same data however the
/// scheduler interleaved the agents, and a seed replays a whole rollout exactly. The pass at the
/// new instant has run when `next()` returns.
struct Pace: Sendable {
    let lockstep: Double?
    let clock: any ControllerClock
    let fleet: FleetSimulator
    let controller: EmbeddedController

    func next() async throws {
        guard let step = lockstep, let manual = clock as? ManualClock, let control = controller.clockControl else {
            // How often the commentary looks; the controller and the fleet do not wait on it.
            return try await Task.sleep(for: .milliseconds(200))
        }
        let fleet = fleet
        let idle: ClockControl.Settle = { try await Self.untilIdle(fleet, on: manual) }
        try await idle()
        _ = try await control.advance(step, settle: idle)
    }

    /// Returns once every fleet task sleeps on `manual`, failing after 30 s of wall time.
    private static func untilIdle(_ fleet: FleetSimulator, on manual: ManualClock) async throws {
        let tasks = fleet.taskCount
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await manual.waitForSleepers(tasks)
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return false
            }
            let idle = try await group.next() ?? false
            group.cancelAll()
            guard idle else {
                throw CommandFailure.failed("the fleet's requests were not answered within 30 s (\(manual.sleeperCount) of \(tasks) tasks idle)")
            }
        }
    }

    /// Moves time until `done` says so, failing with `message` after `timeout` seconds of wall time.
    func drive(until done: () -> Bool, timeout: Double, _ message: @autoclosure () -> String) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !done() {
            guard ContinuousClock.now < deadline else { throw CommandFailure.failed(message()) }
            try await next()
        }
    }
}
