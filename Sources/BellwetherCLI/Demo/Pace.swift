import BellwetherCore
import BellwetherFleetSim
import BellwetherServer
import Foundation
import Synchronization

/// How the demo's time moves: in lockstep. Controller and fleet share a `ManualClock` moved
/// `step` seconds at a time; after each move the controller's pass waits until every fleet task
/// is asleep on the clock again, that is until every request the agents sent at the new instant
/// has been answered, so the pass sees the same data however the scheduler interleaved the agents
/// and however busy the machine is, and a seed replays a whole rollout exactly. `speed` only sets
/// the pace: a move waits until `step / speed` real seconds have passed since the previous one,
/// and a machine too slow for that pace slows the demo down instead of changing its outcome.
/// Without a speed (tests) time moves as fast as the fleet is answered. The pass at the new
/// instant has run when `next()` returns.
struct Pace: Sendable {
    let step: Double
    /// Controller seconds per real second at most; nil for as fast as the fleet is answered.
    let speed: Double?
    let clock: ManualClock
    let fleet: FleetSimulator
    let control: ClockControl
    private let lastMove = LastMove()

    init(step: Double, speed: Double?, clock: ManualClock, fleet: FleetSimulator, control: ClockControl) {
        self.step = step
        self.speed = speed
        self.clock = clock
        self.fleet = fleet
        self.control = control
    }

    func next() async throws {
        let fleet = fleet
        let clock = clock
        let idle: ClockControl.Settle = { try await Self.untilIdle(fleet, on: clock) }
        try await idle()
        if let speed { try await lastMove.wait(atLeast: .seconds(step / speed)) }
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

    /// Moves time until `done` says so, failing with `message` once `seconds` of controller time
    /// have passed: a budget a slow machine cannot use up, since it only slows the moves down.
    func drive(until done: () -> Bool, within seconds: Double, _ message: @autoclosure () -> String) async throws {
        let deadline = clock.now.addingTimeInterval(seconds)
        while !done() {
            guard clock.now < deadline else { throw CommandFailure.failed(message()) }
            try await next()
        }
    }
}

/// When the clock last moved, in real time: what holds the demo to its `--speed`.
private final class LastMove: Sendable {
    private let instant = Mutex<ContinuousClock.Instant?>(nil)

    /// Waits until `interval` has passed since the previous call returned, then marks now.
    func wait(atLeast interval: Duration) async throws {
        if let previous = instant.withLock({ $0 }) {
            try await Task.sleep(until: previous + interval, clock: .continuous)
        }
        instant.withLock { $0 = .now }
    }
}
