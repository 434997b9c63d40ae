/// The evaluation instants of a step: every `interval` seconds after `start`, with a sample
/// exactly on a boundary belonging to the interval that boundary closes — the engine's own rule,
/// so every judge in the benchmark sees the same data at the same instants.
public struct IntervalGrid: Sendable, Hashable {
    public var start: Double
    public var interval: Double

    public init(start: Double, interval: Double) {
        self.start = start
        self.interval = interval
    }

    public func boundary(_ index: Int) -> Double {
        start + Double(index) * interval
    }

    /// The first boundary at or after `time`: when a judge looking only at boundaries can first
    /// act on something that happened at `time` (a sample on a boundary is judged there).
    public func firstBoundary(atOrAfter time: Double) -> Double {
        boundary(max(0, Int(((time - start) / interval).rounded(.up))))
    }

    /// 0-based interval of a sample at `time`.
    public func index(at time: Double) -> Int {
        max(0, Int(((time - start) / interval).rounded(.up)) - 1)
    }
}
