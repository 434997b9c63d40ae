import Foundation
import GRDB

/// Totals `/metrics` reports from the store: what it already knows durably needs no counter of
/// its own, and stays right across restarts.
public struct StoreTotals: Sendable, Hashable {
    public struct Transition: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The audit event's kind (`check-failed`, `step-baked`, `pause`, ...).
        public var kind: String
        public var count: Int
    }

    public struct Verdicts: Sendable, Hashable {
        public var check: String
        public var verdict: String
        public var count: Int
    }

    public var rolloutsByPhase: [String: Int] = [:]
    public var transitions: [Transition] = []
    /// Every verdict recorded at an analysis boundary, by check and verdict.
    public var verdicts: [Verdicts] = []
}

extension BellwetherStore {
    public func telemetryTotals() throws -> StoreTotals {
        try writer.read { db in
            var totals = StoreTotals()
            for row in try Row.fetchAll(db, sql: "SELECT phase, COUNT(*) AS n FROM rollout GROUP BY phase") {
                totals.rolloutsByPhase[row["phase"]] = row["n"]
            }
            totals.transitions = try Row.fetchAll(
                db, sql: "SELECT fromPhase, toPhase, kind, COUNT(*) AS n FROM rolloutEvent WHERE fromPhase IS NOT NULL GROUP BY 1, 2, 3"
            ).map { StoreTotals.Transition(from: $0["fromPhase"], to: $0["toPhase"], kind: $0["kind"], count: $0["n"]) }
            totals.verdicts = try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(v.value, '$.check') AS "check", json_extract(v.value, '$.verdict') AS verdict, COUNT(*) AS n
                    FROM evaluation, json_each(evaluation.verdicts) AS v GROUP BY 1, 2
                    """
            ).map { StoreTotals.Verdicts(check: $0["check"] ?? "", verdict: $0["verdict"] ?? "", count: $0["n"]) }
            return totals
        }
    }
}
