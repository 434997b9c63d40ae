import BellwetherCore
import BellwetherStore

/// The one-process default: telemetry the controller's own OTLP receiver kept in its database.
public struct EmbeddedMetricSource: MetricSource {
    public let store: BellwetherStore

    public init(store: BellwetherStore) {
        self.store = store
    }

    public func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        try store.observations(agents: agents, from: from, through: through)
    }
}
