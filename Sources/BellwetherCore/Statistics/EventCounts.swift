/// Events and the exposure they were observed over, for one cohort in one evaluation interval.
///
/// Every check reduces to this shape: enrichment failures over records, failed spans over spans,
/// histogram observations above a threshold over observations, or records over agent-seconds.
public struct EventCounts: Sendable, Hashable, Codable {
    public var events: Double
    public var exposure: Double

    public init(events: Double = 0, exposure: Double = 0) {
        self.events = events
        self.exposure = exposure
    }

    public static func + (lhs: EventCounts, rhs: EventCounts) -> EventCounts {
        EventCounts(events: lhs.events + rhs.events, exposure: lhs.exposure + rhs.exposure)
    }

    public static func += (lhs: inout EventCounts, rhs: EventCounts) {
        lhs = lhs + rhs
    }

    /// Events per unit of exposure, or nil with no exposure.
    public var rate: Double? { exposure > 0 ? events / exposure : nil }
}

/// Canary and baseline counts of one evaluation interval.
public struct IntervalPair: Sendable, Hashable, Codable {
    public var canary: EventCounts
    public var baseline: EventCounts

    public init(canary: EventCounts, baseline: EventCounts) {
        self.canary = canary
        self.baseline = baseline
    }
}
