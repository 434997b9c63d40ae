import Foundation

/// When to try a failed delivery again: exponential backoff (`base`, doubling, at most `cap`)
/// with jitter, so a receiver that comes back is not hit by every controller's retries at the same
/// instant; and when to give up. The defaults try 10 times over about an hour and a half.
public struct RetrySchedule: Sendable, Hashable {
    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxAttempts: Int

    public init(base: TimeInterval = 5, cap: TimeInterval = 30 * 60, maxAttempts: Int = 10) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The wait after the `attempts`-th failed attempt (1-based), or nil to give up. `unit` is a
    /// random number in [0, 1): the wait is drawn from the upper half of the exponential delay
    /// ("equal jitter"), so it still grows while no two controllers stay in step.
    public func delay(afterAttempt attempts: Int, unit: Double) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        let exponential = min(cap, base * pow(2, Double(max(0, attempts - 1))))
        return exponential / 2 + exponential / 2 * min(max(unit, 0), 1)
    }
}
