import Foundation
import GRDB

/// One row of `deployRun`.
struct DeployRunRecord: StoreRecord {
    static let databaseTableName = "deployRun"

    var id: Int64?
    var rolloutID: String?
    var agent: String
    var version: String
    var attempt: Int
    var startedAt: Date
    var finishedAt: Date
    var outcome: String
    var exitCode: Int?
    var output: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let rolloutID = Column(CodingKeys.rolloutID)
    }

    init(_ run: DeployRun) {
        rolloutID = run.rolloutID
        agent = run.agent
        version = run.version
        attempt = run.attempt
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        outcome = run.outcome.rawValue
        exitCode = run.exitCode
        output = run.output
    }

    var run: DeployRun {
        DeployRun(
            rolloutID: rolloutID, agent: agent, version: version, attempt: attempt, startedAt: startedAt, finishedAt: finishedAt,
            outcome: DeployRun.Outcome(rawValue: outcome) ?? .failed, exitCode: exitCode, output: output
        )
    }
}
