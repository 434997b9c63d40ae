import Foundation

/// The time a controller runs on: wall-clock instants (rollouts, audit events and observations
/// are all stamped with `Date`s) and a way to wait for one.
///
/// Injected everywhere instead of read from `Date()`, so tests drive a rollout through hours of
/// bake time in microseconds (`ManualClock`), the demo runs faster than life (`ScaledClock`), and
/// production uses the system's time (`SystemControllerClock`).
public protocol ControllerClock: Sendable {
    var now: Date { get }
    /// Returns once `now` has reached `deadline` (at once if it already has); throws
    /// `CancellationError` if the waiting task is cancelled first.
    func sleep(until deadline: Date) async throws
}
