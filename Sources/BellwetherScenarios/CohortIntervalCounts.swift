import BellwetherCore

/// Each cohort's records and failures per analysis interval, pooled over agents: the view of the
/// data a dashboard query (`sum(rate(failures)) / sum(rate(records))` per cohort) gives, which
/// is all the reference judges look at.
public struct CohortIntervalCounts: Sendable, Hashable {
    public private(set) var intervals: [IntervalPair] = []

    public init() {}

    public mutating func add(_ sample: AgentSample, interval: Int) {
        guard let records = sample.counters[FleetMetrics.records] else { return }
        let counts = EventCounts(events: sample.counters[FleetMetrics.failures] ?? 0, exposure: records)
        while intervals.count <= interval { intervals.append(IntervalPair(canary: EventCounts(), baseline: EventCounts())) }
        switch sample.cohort {
        case .canary: intervals[interval].canary += counts
        case .baseline: intervals[interval].baseline += counts
        }
    }
}
