import BellwetherStore
import BellwetherTelemetry
import Logging

extension OTLPReceiver {
    /// Stores what the receiver holds (per-agent aggregates and exemplars) in one transaction:
    /// run every `otlpFlushInterval`, before a manual clock moves, and once more at shutdown.
    /// A failed write puts it all back for the next flush. Returns how many aggregates it wrote.
    ///
    /// Exporters are answered before this write, so a crash loses at most one flush interval of
    /// span counts, as it loses heartbeats; counters and histograms are running totals that the
    /// next export restores.
    @discardableResult
    public func flush(to store: BellwetherStore) throws -> Int {
        let taken = takePending()
        guard !taken.isEmpty else { return 0 }
        do {
            try store.recordTelemetry(taken.aggregates, exemplars: taken.exemplars)
        } catch {
            restorePending(taken)
            throw error
        }
        return taken.aggregates.count
    }

    func flushLoggingFailure(to store: BellwetherStore, logger: Logger) {
        do {
            try flush(to: store)
        } catch {
            logger.error("writing OTLP telemetry failed; will retry", metadata: ["error": "\(error)"])
        }
    }
}
