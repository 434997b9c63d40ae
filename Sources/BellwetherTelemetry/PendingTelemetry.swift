import BellwetherCore

/// Telemetry received but not yet stored, one aggregate per agent and version: what a whole flush
/// interval (a second by default) amounts to, written as one row an agent instead of one a
/// request, so the store grows with agents and time, not with how often or how finely agents
/// export (a Collector forwarding 8,192-point batches, an SDK flushing every 100 ms).
///
/// Counters and histograms are running totals, so an agent's latest value stands for the
/// interval; span counts are deltas, so they add up. Data from two versions of one agent is never
/// merged: the analysis counts each version for its own side.
public struct PendingTelemetry: Sendable {
    private struct Key: Hashable {
        var agent: String
        var version: String?
    }

    private var order: [Key] = []
    private var observations: [Key: AgentObservation] = [:]
    public private(set) var exemplars: [RolloutExemplar] = []

    public init() {}

    public var isEmpty: Bool { observations.isEmpty && exemplars.isEmpty }

    public mutating func add(_ observations: [AgentObservation], exemplars: [RolloutExemplar]) {
        for observation in observations {
            let key = Key(agent: observation.agent, version: observation.version)
            if let pending = self.observations[key] {
                self.observations[key] = pending.merged(with: observation)
            } else {
                order.append(key)
                self.observations[key] = observation
            }
        }
        self.exemplars += exemplars
    }

    /// The aggregates in the order agents first reported.
    public var aggregates: [AgentObservation] {
        order.compactMap { observations[$0] }
    }
}

extension AgentObservation {
    /// This observation followed by `later` from the same agent and version, as one: the later
    /// running totals, the span counts of both, the later time.
    func merged(with later: AgentObservation) -> AgentObservation {
        var merged = self
        merged.time = max(time, later.time)
        merged.counters.merge(later.counters) { _, new in new }
        merged.histograms.merge(later.histograms) { _, new in new }
        merged.spans.merge(later.spans) { old, new in SpanCounts(total: old.total + new.total, failed: old.failed + new.failed) }
        return merged
    }
}
