import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// Records a new rollout and its "created" audit event.
    ///
    /// Refused, with nothing written, when the id is taken or when a rollout that has not finished
    /// may select some of the same agents: two active rollouts must never fight over an agent.
    /// The check and the insert share one transaction, so two concurrent starts cannot both pass it.
    public func startRollout(_ rollout: Rollout, policySource: String, actor: String) throws {
        try writer.write { db in
            if try RolloutRecord.exists(db, key: rollout.id) {
                throw StoreError.duplicateRollout(id: rollout.id)
            }
            let selector = rollout.policy.selector
            for active in try RolloutRecord.active().fetchAll(db) where active.policy.selector.mayOverlap(selector) {
                throw StoreError.conflictingRollout(
                    existingID: active.id, existingPhase: active.phase,
                    existingSelector: active.policy.selector, newSelector: selector
                )
            }
            try RolloutRecord(rollout, policySource: policySource).insert(db)
            var event = RolloutEventRecord.created(rollout, actor: actor)
            try event.insert(db)
        }
    }

    /// Moves a rollout to `transition.to` and appends its audit event, atomically, but only if
    /// the rollout is still in `transition.from`: a decision taken on a state that has since
    /// changed is refused (`StoreError.staleTransition`) rather than applied on top of it.
    /// Returns the rollout as committed.
    @discardableResult
    public func recordTransition(rolloutID: String, _ transition: RolloutTransition, actor: String, at time: Date) throws -> Rollout {
        try writer.write { db in
            var record = try Self.fetchRollout(db, id: rolloutID)
            let current = try record.state()
            guard current == transition.from else {
                throw StoreError.staleTransition(rolloutID: rolloutID, expected: transition.from, actual: current)
            }
            record.apply(transition, at: time)
            try record.update(db, columns: RolloutRecord.stateColumns)
            var event = RolloutEventRecord.transition(transition, of: record, actor: actor)
            try event.insert(db)
            return try record.rollout()
        }
    }

    public func rollout(id: String) throws -> Rollout {
        try writer.read { db in try Self.fetchRollout(db, id: id).rollout() }
    }

    /// The most recently created rollouts first.
    public func rollouts(limit: Int) throws -> [Rollout] {
        try writer.read { db in
            try RolloutRecord
                .order(RolloutRecord.Columns.createdAt.desc, RolloutRecord.Columns.id.desc)
                .limit(limit)
                .fetchAll(db)
                .map { record throws(StoreError) in try record.rollout() }
        }
    }

    /// Rollouts that still own their agents (not completed, rolled back or aborted), oldest first:
    /// what a restarted controller must resume.
    public func activeRollouts() throws -> [Rollout] {
        try writer.read { db in
            try RolloutRecord.active().fetchAll(db).map { record throws(StoreError) in try record.rollout() }
        }
    }

    /// The ids of the active rollouts, without reading their policies: a cheap way to learn
    /// whether the active rollouts changed (the OTLP receiver asks on every request).
    public func activeRolloutIDs() throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, RolloutRecord.active().select(Column("id"))))
        }
    }

    /// A rollout's audit log in the order it happened; with `after`, only what came after that
    /// event id, so a watcher can poll or stream without rereading the whole log.
    public func events(rolloutID: String, after eventID: Int64? = nil) throws -> [RolloutAuditEvent] {
        try writer.read { db in
            guard try RolloutRecord.exists(db, key: rolloutID) else { throw StoreError.unknownRollout(id: rolloutID) }
            var request = RolloutEventRecord.filter(RolloutEventRecord.Columns.rolloutID == rolloutID)
            if let eventID {
                request = request.filter(RolloutEventRecord.Columns.id > eventID)
            }
            return try request
                .order(RolloutEventRecord.Columns.id)
                .fetchAll(db)
                .map { record throws(StoreError) in try record.auditEvent() }
        }
    }

    static func fetchRollout(_ db: Database, id: String) throws -> RolloutRecord {
        guard let record = try RolloutRecord.fetchOne(db, key: id) else { throw StoreError.unknownRollout(id: id) }
        return record
    }
}
