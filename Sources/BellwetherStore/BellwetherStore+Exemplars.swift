import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// How many failing spans are kept per rollout, cohort and check: the first failure of each
    /// of the first agents that failed (how the trouble started, and that it is not one agent's)
    /// and the latest failures (what it looks like now). A failing fleet sending thousands a
    /// second still leaves at most twenty rows a group.
    public static let exemplarsKept = (first: 10, latest: 10)

    /// Keeps a batch of telemetry in one transaction, acknowledged whole or not at all: the
    /// agents' observations and the failing spans that are evidence for rollouts' checks, each
    /// group then cut back to `exemplarsKept`.
    public func recordTelemetry(_ observations: [AgentObservation], exemplars: [RolloutExemplar]) throws {
        guard !observations.isEmpty || !exemplars.isEmpty else { return }
        let records = try observations.map(ObservationRecord.init)
        let groups = Self.exemplarGroups(exemplars)
        try writer.write { db in
            for var record in records { try record.insert(db) }
            for (group, kept) in groups {
                for exemplar in kept {
                    var record = ExemplarRecord(exemplar)
                    try record.insert(db)
                }
                try db.execute(sql: ExemplarRecord.trimSQL, arguments: [
                    "rolloutID": group.rolloutID, "cohort": group.cohort, "checkName": group.check,
                    "first": Self.exemplarsKept.first, "latest": Self.exemplarsKept.latest,
                ])
            }
        }
    }

    /// A rollout's kept failing spans, in the order they were received.
    public func exemplars(rolloutID: String) throws -> [RolloutExemplar] {
        try writer.read { db in
            try ExemplarRecord
                .filter(ExemplarRecord.Columns.rolloutID == rolloutID)
                .order(ExemplarRecord.Columns.id)
                .fetchAll(db)
                .map(\.exemplar)
        }
    }

    private struct ExemplarGroup: Hashable {
        var rolloutID: String
        var cohort: String
        var check: String
    }

    /// A batch's exemplars by group, each cut to those the group could keep (the first of each
    /// agent, the latest), so a batch of failures never writes rows only to delete them.
    private static func exemplarGroups(_ exemplars: [RolloutExemplar]) -> [(ExemplarGroup, [RolloutExemplar])] {
        var order: [ExemplarGroup] = []
        var groups: [ExemplarGroup: [RolloutExemplar]] = [:]
        for exemplar in exemplars {
            let group = ExemplarGroup(rolloutID: exemplar.rolloutID, cohort: exemplar.cohort, check: exemplar.check)
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(exemplar)
        }
        return order.map { group in
            let all = groups[group]!
            var agents: Set<String> = []
            let latest = all.indices.suffix(exemplarsKept.latest)
            let kept = all.indices.filter { index in
                let firstOfAgent = agents.count < exemplarsKept.first && agents.insert(all[index].span.agent).inserted
                return firstOfAgent || latest.contains(index)
            }
            return (group, kept.map { all[$0] })
        }
    }
}
