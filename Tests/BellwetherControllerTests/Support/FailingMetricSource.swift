import BellwetherController
import BellwetherCore
import Synchronization

/// A metric source that fails while `failing` is set and otherwise reads through to another one:
/// a Prometheus that went away for a while.
final class FailingMetricSource: MetricSource {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    private let wrapped: any MetricSource
    private let state = Mutex(false)

    init(wrapping wrapped: any MetricSource) {
        self.wrapped = wrapped
    }

    var failing: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        if failing { throw Unreachable() }
        return try await wrapped.observations(agents: agents, from: from, through: through)
    }
}
