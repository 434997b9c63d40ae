import BellwetherCore
import Foundation
import GRDB

/// One row of `rolloutEvent`, the append-only audit log. The row for revision 0 records the
/// rollout's creation and has no `from` state and no detail.
struct RolloutEventRecord: StoreRecord {
    static let databaseTableName = "rolloutEvent"

    var id: Int64?
    var rolloutID: String
    var revision: Int
    var at: Date
    var kind: String
    var fromPhase: RolloutPhase?
    var fromStep: Int?
    var toPhase: RolloutPhase
    var toStep: Int?
    var actor: String
    var reason: String
    /// The `RolloutEvent` behind the transition, as JSON, so the report can show its evidence.
    var detail: RolloutEvent?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let rolloutID = Column(CodingKeys.rolloutID)
    }

    /// The kind of the event written when a rollout is started.
    static let createdKind = "created"

    static func created(_ rollout: Rollout, actor: String) -> Self {
        Self(
            rolloutID: rollout.id, revision: 0, at: rollout.createdAt, kind: createdKind,
            fromPhase: nil, fromStep: nil, toPhase: rollout.state.phase, toStep: rollout.state.step,
            actor: actor, reason: rollout.stateReason, detail: nil
        )
    }

    static func transition(_ transition: RolloutTransition, of rollout: RolloutRecord, actor: String) -> Self {
        Self(
            rolloutID: rollout.id, revision: rollout.revision, at: rollout.updatedAt, kind: transition.event.kind,
            fromPhase: transition.from.phase, fromStep: transition.from.step,
            toPhase: transition.to.phase, toStep: transition.to.step,
            actor: actor, reason: transition.reason, detail: transition.event
        )
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    func auditEvent() throws(StoreError) -> RolloutAuditEvent {
        let rowID = id.map(String.init) ?? "unsaved"
        let from = try fromPhase.map { phase throws(StoreError) in
            try RolloutState(phase: phase, step: fromStep, table: Self.databaseTableName, id: rowID)
        }
        return RolloutAuditEvent(
            id: id ?? 0,
            rolloutID: rolloutID,
            revision: revision,
            at: at,
            kind: kind,
            from: from,
            to: try RolloutState(phase: toPhase, step: toStep, table: Self.databaseTableName, id: rowID),
            actor: actor,
            reason: reason,
            event: detail
        )
    }
}
