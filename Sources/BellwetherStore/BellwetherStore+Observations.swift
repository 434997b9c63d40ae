import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// Keeps agent reports for the embedded metric source, all in one transaction: a batch of
    /// telemetry is acknowledged whole or not at all.
    public func recordObservations(_ observations: [AgentObservation]) throws {
        try recordTelemetry(observations, exemplars: [])
    }

    /// The reports of `agents` (every agent when nil) with `from < time ≤ through`, in time order.
    public func observations(agents: Set<String>? = nil, from: Double, through: Double) throws -> [AgentObservation] {
        try writer.read { db in
            var request = ObservationRecord
                .filter(ObservationRecord.Columns.at > from && ObservationRecord.Columns.at <= through)
            if let agents { request = request.filter(agents.contains(ObservationRecord.Columns.agent)) }
            return try request.order(ObservationRecord.Columns.at, Column("id")).fetchAll(db).map { try $0.observation() }
        }
    }

    /// Drops reports older than `time`: telemetry is kept for analysis, not forever.
    @discardableResult
    public func pruneObservations(before time: Double) throws -> Int {
        try writer.write { db in
            try ObservationRecord.filter(ObservationRecord.Columns.at < time).deleteAll(db)
        }
    }
}
