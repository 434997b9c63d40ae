import Foundation

/// The system's time as `bellwether serve` keeps it: the wall clock's reading when the clock was
/// made, then real seconds on the monotonic clock. A bake or a silence lasts its real seconds
/// whatever the wall clock does meanwhile: an NTP step or a `date -s` an hour ahead ends no bake
/// early, one backwards does not stretch it. Timestamps then differ from the wall clock by the
/// step (`wallClockOffset`, exported as a gauge) until the process restarts and reads it again.
public struct SystemControllerClock: ControllerClock {
    private let wallClock: @Sendable () -> Date
    private let anchored: ScaledClock

    /// - Parameter wallClock: the wall clock, read once now and again only for `wallClockOffset`.
    public init(wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.wallClock = wallClock
        anchored = ScaledClock(speed: 1, origin: wallClock())
    }

    public var now: Date { anchored.now }

    /// Seconds the wall clock has been stepped since this clock was made (positive: ahead).
    public var wallClockOffset: TimeInterval { wallClock().timeIntervalSince(now) }

    public func sleep(until deadline: Date) async throws {
        try await anchored.sleep(until: deadline)
    }
}
