import BellwetherCore
import BellwetherStore

/// The one-process default: telemetry the controller's own OTLP receiver kept in its database.
public struct EmbeddedMetricSource: MetricSource {
    public let store: BellwetherStore
    /// Writes telemetry still held in memory (the OTLP receiver's aggregates between flushes)
    /// before each read, so a pass never judges a boundary on less than has arrived: on a clock
    /// that runs faster than the wall clock, a flush interval can span whole analysis intervals.
    let beforeRead: @Sendable () async throws -> Void

    public init(store: BellwetherStore, beforeRead: @escaping @Sendable () async throws -> Void = {}) {
        self.store = store
        self.beforeRead = beforeRead
    }

    public func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        try await beforeRead()
        return try store.observations(agents: agents, from: from, through: through)
    }
}
