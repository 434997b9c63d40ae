import Foundation
import GRDB

extension BellwetherStore {
    /// Keeps one attempt of a deploy command.
    public func recordDeployRun(_ run: DeployRun) throws {
        var record = DeployRunRecord(run)
        try writer.write { db in try record.insert(db) }
    }

    /// A rollout's deploy attempts in the order they finished.
    public func deployRuns(rolloutID: String) throws -> [DeployRun] {
        try writer.read { db in
            try DeployRunRecord
                .filter(DeployRunRecord.Columns.rolloutID == rolloutID)
                .order(DeployRunRecord.Columns.id)
                .fetchAll(db)
                .map(\.run)
        }
    }
}
