import Foundation

/// Time that runs `speed` times faster than real time from a starting instant: the demo's
/// `--speed 60` bakes a 15-minute step in 15 real seconds while every timestamp the controller
/// writes still reads like a real rollout's.
///
/// Elapsed time is measured on the monotonic `ContinuousClock`, so adjusting the system clock
/// neither jumps nor reverses the scaled one.
public struct ScaledClock: ControllerClock {
    public let speed: Double
    /// The controller-time instant at which this clock was made.
    public let origin: Date
    private let started: ContinuousClock.Instant
    private let base = ContinuousClock()

    /// - Parameters:
    ///   - speed: controller seconds per real second; must be positive.
    ///   - origin: the controller time to start from (now, by default).
    public init(speed: Double, origin: Date = Date()) {
        precondition(speed > 0 && speed.isFinite, "a clock's speed must be a positive number")
        self.speed = speed
        self.origin = origin
        self.started = base.now
    }

    public var now: Date {
        let elapsed = started.duration(to: base.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return origin.addingTimeInterval(seconds * speed)
    }

    public func sleep(until deadline: Date) async throws {
        let controllerSeconds = deadline.timeIntervalSince(now)
        guard controllerSeconds > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(for: .seconds(controllerSeconds / speed))
    }
}
