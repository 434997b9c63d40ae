import BellwetherCore
import Foundation
import GRDB

/// One row of `evaluation`: the controller's judgement at one boundary of one step's analysis window.
struct EvaluationRecord: StoreRecord {
    static let databaseTableName = "evaluation"

    var id: Int64?
    var rolloutID: String
    var step: Int
    var windowStart: Double
    var boundary: Int
    var at: Double
    var verdicts: [CheckVerdict]
    var decision: StepDecision?
    var problem: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let rolloutID = Column(CodingKeys.rolloutID)
    }

    /// Inserts the boundary unless that window already has it: judging a boundary twice (after a
    /// restart) keeps the first judgement, which is the one the rollout acted on.
    static let insertSQL = """
        INSERT INTO evaluation (rolloutID, step, windowStart, boundary, at, verdicts, decision, problem)
        VALUES (:rolloutID, :step, :windowStart, :boundary, :at, :verdicts, :decision, :problem)
        ON CONFLICT (rolloutID, step, windowStart, boundary) DO NOTHING
        """

    init(_ evaluation: RolloutEvaluation) {
        rolloutID = evaluation.rolloutID
        step = evaluation.step
        windowStart = evaluation.windowStart
        boundary = evaluation.boundary
        at = evaluation.time
        verdicts = evaluation.verdicts
        decision = evaluation.decision
        problem = evaluation.problem
    }

    var evaluation: RolloutEvaluation {
        RolloutEvaluation(
            rolloutID: rolloutID, step: step, windowStart: windowStart, boundary: boundary, time: at,
            verdicts: verdicts, decision: decision, problem: problem
        )
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Evidence may hold an infinite ratio (a baseline without events); JSON has no infinity, so
    /// it is spelled out rather than refused.
    static func databaseJSONEncoder(for column: String) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func databaseJSONDecoder(for column: String) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
