import BellwetherStore
import BellwetherTelemetry
import Synchronization

/// The checks of the active rollouts, as the OTLP receiver needs them to classify spans and
/// select series (`TelemetryChecks`). Every request asks; the store is asked only for the active
/// rollouts' ids, and their policies are read again only when those changed (a rollout started
/// or finished), so a rollout's checks apply from the first request after it started.
final class ActiveRolloutChecks: Sendable {
    private struct Known {
        var ids: Set<String>
        var checks: TelemetryChecks
    }

    private let store: BellwetherStore
    private let known = Mutex<Known?>(nil)

    init(store: BellwetherStore) {
        self.store = store
    }

    func current() throws -> TelemetryChecks {
        let ids = try store.activeRolloutIDs()
        if let known = known.withLock({ $0 }), known.ids == ids { return known.checks }
        let rollouts = try store.activeRollouts()
        let checks = TelemetryChecks(rollouts: rollouts.map { ($0.id, $0.policy.analysis.checks) })
        known.withLock { $0 = Known(ids: Set(rollouts.map(\.id)), checks: checks) }
        return checks
    }
}
