import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// Keeps the controller's judgement at one boundary. Returns `false`, writing nothing, when
    /// that boundary of that window was already recorded, so a restarted controller can judge
    /// again without duplicating the history.
    @discardableResult
    public func recordEvaluation(_ evaluation: RolloutEvaluation) throws -> Bool {
        let values = try EvaluationRecord(evaluation).databaseDictionary
        return try writer.write { db in
            try db.execute(sql: EvaluationRecord.insertSQL, arguments: StatementArguments(values))
            return db.changesCount > 0
        }
    }

    /// Records the judgement at a boundary that was recorded before with another outcome, as the
    /// latest evaluation: a boundary judged before data stamped exactly at it had arrived (a
    /// manual clock's passes land on boundaries) can decide when judged again, and the evaluation
    /// on record must be the one the decision came from.
    public func replaceEvaluation(_ evaluation: RolloutEvaluation) throws {
        let values = try EvaluationRecord(evaluation).databaseDictionary
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM evaluation WHERE rolloutID = ? AND step = ? AND windowStart = ? AND boundary = ?",
                arguments: [evaluation.rolloutID, evaluation.step, evaluation.windowStart, evaluation.boundary]
            )
            try db.execute(sql: EvaluationRecord.insertSQL, arguments: StatementArguments(values))
        }
    }

    /// A rollout's evaluations in the order they were recorded.
    public func evaluations(rolloutID: String) throws -> [RolloutEvaluation] {
        try writer.read { db in
            try EvaluationRecord
                .filter(EvaluationRecord.Columns.rolloutID == rolloutID)
                .order(EvaluationRecord.Columns.id)
                .fetchAll(db)
                .map(\.evaluation)
        }
    }

    /// The rollout's most recently recorded evaluation: what the health endpoint shows.
    public func latestEvaluation(rolloutID: String) throws -> RolloutEvaluation? {
        try writer.read { db in
            try EvaluationRecord
                .filter(EvaluationRecord.Columns.rolloutID == rolloutID)
                .order(EvaluationRecord.Columns.id.desc)
                .fetchOne(db)?
                .evaluation
        }
    }
}
