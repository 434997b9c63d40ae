import BellwetherCore
import BellwetherFleetSim
import Foundation

/// How the demo's time moves between two looks at the rollout. On the demo's `ScaledClock` it
/// passes by itself and the commentary looks every 200 ms. In lockstep (tests) it is a
/// `ManualClock` moved `step` seconds at a time, and only once every fleet task is asleep on it,
/// that is once every request the agents sent has been answered; the controller's pass at the new
/// instant has run when `next()` returns.
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
        let deadline = ContinuousClock.now + .seconds(30)
        while manual.sleeperCount < fleet.taskCount {
            guard ContinuousClock.now < deadline else {
                throw CommandFailure.failed("the fleet's requests were not answered within 30 s (\(manual.sleeperCount) of \(fleet.taskCount) tasks idle)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        _ = try await control.advance(step)
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
