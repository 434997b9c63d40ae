import BellwetherCore
import BellwetherStore
import Foundation
import Logging

/// Keeps the stored telemetry bounded: observations older than the retention period go, except
/// what an active rollout may still read. The control loop judges a step from one analysis
/// interval before the step's window opened, and reads each agent's history for the policy's
/// `analysis.history` before it; a step opens no earlier than its rollout was created, so nothing
/// since the oldest active rollout's creation, less the longer of the two, is touched, however
/// long that rollout has been halted.
///
/// It holds nothing in memory: each run computes the cutoff from the store and the clock, so a
/// restarted controller prunes exactly as the one before would have. Exemplars are not pruned:
/// they are a rollout's evidence, bounded per cohort and check, and kept with it.
struct TelemetryRetention: Sendable {
    let store: BellwetherStore
    /// Seconds observations are kept when no active rollout needs them longer.
    let retention: Double
    let now: @Sendable () -> Date
    var logger = Logger(label: "bellwether.retention")

    /// The instant before which observations may be deleted.
    static func cutoff(now: Double, retention: Double, activeRollouts: [Rollout]) -> Double {
        activeRollouts.reduce(now - retention) { cutoff, rollout in
            let analysis = rollout.policy.analysis
            return min(cutoff, rollout.createdAt.timeIntervalSince1970 - max(analysis.intervalSeconds, analysis.historyWindow))
        }
    }

    /// Deletes what may go; returns how many observations were deleted.
    @discardableResult
    func prune() throws -> Int {
        let cutoff = Self.cutoff(now: now().timeIntervalSince1970, retention: retention, activeRollouts: try store.activeRollouts())
        return try store.pruneObservations(before: cutoff)
    }

    func pruneLoggingFailure() {
        do {
            let pruned = try prune()
            if pruned > 0 { logger.debug("pruned \(pruned) observations past retention") }
        } catch {
            logger.error("pruning old observations failed; will retry", metadata: ["error": "\(error)"])
        }
    }
}
