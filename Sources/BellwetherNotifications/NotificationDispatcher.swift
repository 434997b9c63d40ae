import BellwetherCore
import BellwetherStore
import Foundation
import Logging
import Metrics

/// Moves notifications from the audit log to their receivers, at least once.
///
/// `enqueue()` turns audit events committed since the last call into outbox rows (the cursor moves
/// in the same transaction), so a transition the store acknowledged is announced even if the
/// controller dies a moment later. `deliverDue()` posts what is due and records the outcome: a 2xx
/// marks it delivered; anything else is retried on `settings.retry` and given up on, with an error
/// log, when the attempts run out. A crash between a receiver's 2xx and its recording means one
/// duplicate, which receivers drop by `X-Bellwether-Delivery`. Nothing here runs on the control
/// loop: it only reads the audit log the loop writes.
public struct NotificationDispatcher: Sendable {
    let store: BellwetherStore
    let transport: any NotificationTransport
    let settings: NotificationSettings
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    let logger: Logger
    let metrics: any MetricsFactory

    /// - Parameters:
    ///   - transport: what carries each attempt (`HTTPNotificationTransport` over the process's
    ///     client, with `settings.timeout`).
    ///   - now: the time retries are scheduled on and signatures are stamped with (inject a
    ///     `ManualClock` in tests: retries then happen when it is advanced, never after a sleep).
    ///   - random: [0, 1) for the backoff's jitter.
    ///   - metrics: where `bellwether_notification_deliveries_total` is counted.
    public init(
        store: BellwetherStore, transport: any NotificationTransport, settings: NotificationSettings,
        now: @escaping @Sendable () -> Date = { Date() }, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger = Logger(label: "bellwether.notify"), metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        self.transport = transport
        self.settings = settings
        self.now = now
        self.random = random
        self.logger = logger
        self.metrics = metrics
    }

    /// What one pass of `deliverDue()` did.
    public struct Report: Sendable, Hashable {
        public var delivered = 0
        public var retrying = 0
        public var failed = 0

        public init() {}
    }

    /// Queues the deliveries of every audit event recorded since the last call; returns how many.
    @discardableResult
    public func enqueue() throws -> Int {
        let (queued, dropped) = try store.enqueueNotifications(at: now(), capacity: settings.capacity) { event, rollout in
            NotificationTrigger.targets(for: event, of: rollout)
        }
        if dropped > 0 {
            logger.error("notification outbox full: gave up on the \(dropped) oldest pending deliveries", metadata: ["capacity": "\(settings.capacity)"])
            count("dropped", target: "any", by: dropped)
        }
        return queued
    }

    /// Attempts every delivery due now (at most `settings.batchSize`, concurrently).
    @discardableResult
    public func deliverDue() async -> Report {
        let due: [PendingNotification]
        do {
            due = try store.dueNotifications(at: now(), limit: settings.batchSize)
        } catch {
            logger.error("cannot read the notification outbox; retrying at the next pass", metadata: ["error": "\(error)"])
            return Report()
        }
        return await withTaskGroup(of: Outcome.self, returning: Report.self) { group in
            for pending in due {
                group.addTask { await deliver(pending) }
            }
            var report = Report()
            for await outcome in group {
                switch outcome {
                case .delivered: report.delivered += 1
                case .retrying: report.retrying += 1
                case .failed: report.failed += 1
                }
            }
            return report
        }
    }

    enum Outcome {
        case delivered, retrying, failed
    }

    private func deliver(_ pending: PendingNotification) async -> Outcome {
        let attempts = pending.attempts + 1
        var metadata: Logger.Metadata = [
            "rollout": "\(pending.rollout.id)", "event": "\(pending.event.kind)", "delivery": "\(deliveryID(pending))", "attempt": "\(attempts)",
        ]
        var kind = "unknown"
        do {
            let request = try render(pending)
            kind = request.kind
            metadata["target"] = "\(request.kind) \(request.url.host ?? "")"
            let status = try await transport.post(to: request.url, headers: request.headers, body: request.body)
            guard (200..<300).contains(status) else { throw DeliveryError(description: "the receiver answered HTTP \(status)") }
            try store.markNotificationDelivered(id: pending.id, attempts: attempts)
            logger.info("notification delivered", metadata: metadata)
            count("delivered", target: kind)
            return .delivered
        } catch let error as NotificationRequest.Unsendable {
            return fail(pending, attempts: attempts, error: error.description, kind: kind, metadata: metadata)
        } catch {
            let reason = (error as? DeliveryError)?.description ?? "\(error)"
            guard let delay = settings.retry.delay(afterAttempt: attempts, unit: random()) else {
                return fail(pending, attempts: attempts, error: reason, kind: kind, metadata: metadata)
            }
            metadata["error"] = "\(reason)"
            metadata["retryIn"] = "\(Int(delay.rounded()))s"
            do {
                try store.retryNotification(id: pending.id, attempts: attempts, at: now().addingTimeInterval(delay), error: reason)
            } catch {
                logger.error("cannot record a failed notification attempt", metadata: ["error": "\(error)"])
            }
            logger.warning("notification attempt failed; will retry", metadata: metadata)
            count("retry", target: kind)
            return .retrying
        }
    }

    private func fail(_ pending: PendingNotification, attempts: Int, error: String, kind: String, metadata: Logger.Metadata) -> Outcome {
        var metadata = metadata
        metadata["error"] = "\(error)"
        do {
            try store.failNotification(id: pending.id, attempts: attempts, error: error)
        } catch {
            logger.error("cannot record a failed notification", metadata: ["error": "\(error)"])
        }
        logger.error("notification given up: not delivered", metadata: metadata)
        count("failed", target: kind)
        return .failed
    }

    func render(_ pending: PendingNotification) throws -> NotificationRequest {
        guard pending.rollout.policy.notify.indices.contains(pending.target) else {
            throw NotificationRequest.Unsendable(description: "the rollout's policy has no notify target #\(pending.target)")
        }
        let target = pending.rollout.policy.notify[pending.target]
        let notice = RolloutNotice(
            deliveryID: deliveryID(pending), event: pending.event, rollout: pending.rollout,
            evidence: evidence(for: pending.event), dashboardURL: settings.dashboardLink(rollout: pending.rollout.id)
        )
        var history: [RolloutAuditEvent] = []
        if case .alertmanager = target {
            history = try store.events(rolloutID: pending.rollout.id)
        }
        return try NotificationRequest.render(
            notice, target: target, event: pending.event, history: history, rollout: pending.rollout, settings: settings,
            now: now()
        )
    }

    /// The verdict behind a `check-failed` or `check-inconclusive` event: the latest verdict of
    /// that check the controller recorded at or before the event (failing, for a failure).
    private func evidence(for event: RolloutAuditEvent) -> CheckVerdict? {
        let check: String, wanted: Verdict
        switch event.event {
        case .checkFailed(let failed, _, _): (check, wanted) = (failed, .fail)
        case .checkInconclusive(let open, _, _): (check, wanted) = (open, .inconclusive)
        default: return nil
        }
        guard let evaluations = try? store.evaluations(rolloutID: event.rolloutID) else { return nil }
        let cutoff = event.at.timeIntervalSince1970
        return evaluations.reversed()
            .filter { $0.time <= cutoff }
            .lazy.compactMap { $0.verdicts.first { $0.check == check && $0.verdict == wanted } }
            .first
    }

    private func deliveryID(_ pending: PendingNotification) -> String {
        "\(pending.event.id)-\(pending.target)"
    }

    private func count(_ outcome: String, target: String, by amount: Int = 1) {
        Counter(label: "bellwether_notification_deliveries_total", dimensions: [("target", target), ("outcome", outcome)], factory: metrics)
            .increment(by: amount)
    }
}

struct DeliveryError: Error, CustomStringConvertible {
    var description: String
}
