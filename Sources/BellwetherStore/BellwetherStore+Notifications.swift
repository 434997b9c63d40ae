import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// Turns audit events recorded since the last call into pending deliveries, one per target
    /// `targets` picks for the event (indexes into the rollout's `notify` list, possibly none),
    /// and moves the outbox's cursor past them, all in one transaction: an event is either fully
    /// queued or will be read again. Reads at most `limit` events; returns how many deliveries it
    /// queued and how many older pending ones it gave up on to keep at most `capacity` pending.
    @discardableResult
    public func enqueueNotifications(
        at time: Date, limit: Int = 500, capacity: Int = 10_000,
        targets: (RolloutAuditEvent, Rollout) -> [Int]
    ) throws -> (queued: Int, dropped: Int) {
        try writer.write { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT lastEventID FROM notificationCursor WHERE id = 1") ?? 0
            let records = try RolloutEventRecord
                .filter(RolloutEventRecord.Columns.id > cursor)
                .order(RolloutEventRecord.Columns.id)
                .limit(limit)
                .fetchAll(db)
            guard let last = records.last?.id else { return (0, 0) }
            var rollouts: [String: Rollout] = [:]
            var queued = 0
            for record in records {
                let event = try record.auditEvent()
                let rollout = try rollouts[event.rolloutID] ?? RolloutRecord.fetchOne(db, key: event.rolloutID)?.rollout()
                guard let rollout else { continue }
                rollouts[event.rolloutID] = rollout
                for target in Set(targets(event, rollout)).sorted() {
                    var row = NotificationRecord(
                        eventID: event.id, target: target, status: .pending, attempts: 0, nextAttemptAt: time, lastError: nil
                    )
                    try row.insert(db, onConflict: .ignore)
                    queued += 1
                }
            }
            try db.execute(sql: "UPDATE notificationCursor SET lastEventID = ? WHERE id = 1", arguments: [last])
            try db.execute(
                sql: """
                    UPDATE notification SET status = 'failed', lastError = 'dropped: the outbox was full'
                    WHERE id IN (SELECT id FROM notification WHERE status = 'pending' ORDER BY id DESC LIMIT -1 OFFSET ?)
                    """,
                arguments: [capacity]
            )
            return (queued, db.changesCount)
        }
    }

    /// Pending deliveries whose next attempt is due at `time`, oldest first, and at most one per
    /// rollout and target: the oldest pending one. A receiver thus hears about a rollout in the
    /// order things happened (an Alertmanager resolution never overtakes the alert it resolves),
    /// and a notice waits while the one before it is being retried.
    public func dueNotifications(at time: Date, limit: Int) throws -> [PendingNotification] {
        try writer.read { db in
            let rows = try NotificationRecord.fetchAll(
                db,
                sql: """
                    SELECT n.* FROM notification n JOIN rolloutEvent e ON e.id = n.eventID
                    WHERE n.status = 'pending' AND n.nextAttemptAt <= ?
                    AND NOT EXISTS (
                        SELECT 1 FROM notification o JOIN rolloutEvent oe ON oe.id = o.eventID
                        WHERE o.status = 'pending' AND o.target = n.target AND oe.rolloutID = e.rolloutID AND o.id < n.id
                    )
                    ORDER BY n.nextAttemptAt, n.id
                    LIMIT ?
                    """,
                arguments: [time.timeIntervalSince1970, limit]
            )
            var rollouts: [String: Rollout] = [:]
            return try rows.compactMap { row -> PendingNotification? in
                guard let id = row.id, let event = try RolloutEventRecord.fetchOne(db, key: row.eventID)?.auditEvent() else { return nil }
                let rollout = try rollouts[event.rolloutID] ?? Self.fetchRollout(db, id: event.rolloutID).rollout()
                rollouts[event.rolloutID] = rollout
                return PendingNotification(id: id, event: event, rollout: rollout, target: row.target, attempts: row.attempts)
            }
        }
    }

    /// The receiver acknowledged the delivery.
    public func markNotificationDelivered(id: Int64, attempts: Int) throws {
        try updateNotification(id: id, status: .delivered, attempts: attempts, nextAttemptAt: nil, error: nil)
    }

    /// The attempt failed; try again at `time`.
    public func retryNotification(id: Int64, attempts: Int, at time: Date, error: String) throws {
        try updateNotification(id: id, status: .pending, attempts: attempts, nextAttemptAt: time, error: error)
    }

    /// The attempt failed and no more will be made.
    public func failNotification(id: Int64, attempts: Int, error: String) throws {
        try updateNotification(id: id, status: .failed, attempts: attempts, nextAttemptAt: nil, error: error)
    }

    /// How many deliveries are in each status, for `/metrics` and tests.
    public func notificationCounts() throws -> [NotificationStatus: Int] {
        try writer.read { db in
            var counts: [NotificationStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM notification GROUP BY status") {
                if let status = NotificationStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    private func updateNotification(id: Int64, status: NotificationStatus, attempts: Int, nextAttemptAt: Date?, error: String?) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE notification
                    SET status = ?, attempts = ?, nextAttemptAt = COALESCE(?, nextAttemptAt), lastError = ?
                    WHERE id = ?
                    """,
                arguments: [status.rawValue, attempts, nextAttemptAt?.timeIntervalSince1970, error.map { String($0.prefix(1_000)) }, id]
            )
        }
    }
}
