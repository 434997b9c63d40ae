import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// Records one heartbeat: a single small write transaction, so heartbeats stay cheap.
    public func recordHeartbeat(_ heartbeat: AgentHeartbeat, at time: Date) throws {
        try recordHeartbeats([heartbeat], at: time)
    }

    /// Records many heartbeats in one transaction: the way to absorb a large fleet, since the
    /// cost of a commit (an fsync) is paid once per batch instead of once per agent.
    public func recordHeartbeats(_ batch: [AgentHeartbeat], at time: Date) throws {
        try recordHeartbeats(batch.map { (heartbeat: $0, at: time) })
    }

    /// Records heartbeats received at different instants in one transaction: what a writer that
    /// buffers heartbeats for a moment flushes, keeping each agent's own `lastSeen`.
    public func recordHeartbeats(_ batch: [(heartbeat: AgentHeartbeat, at: Date)]) throws {
        guard !batch.isEmpty else { return }
        let rows = try Self.heartbeatRows(batch)
        try writer.write { db in try Self.upsert(rows, in: db) }
    }

    /// The same, from async code, in one transaction with `touching`: agents whose heartbeat
    /// changed nothing but the time, for which only `lastSeen` moves (no labels to encode, no
    /// row to rewrite). The transaction runs on the database's writer queue and the caller is
    /// suspended, not blocked, so a registry flushing heartbeats keeps serving.
    public func recordHeartbeatBatch(_ batch: [(heartbeat: AgentHeartbeat, at: Date)], touching: [(id: String, at: Date)] = []) async throws {
        guard !batch.isEmpty || !touching.isEmpty else { return }
        let rows = try Self.heartbeatRows(batch)
        let touches = touching.map { StatementArguments([$0.at.timeIntervalSince1970, $0.id]) }
        try await writer.write { db in
            try Self.upsert(rows, in: db)
            let statement = try db.cachedStatement(sql: "UPDATE agent SET lastSeen = ?1 WHERE id = ?2 AND lastSeen <= ?1")
            for arguments in touches { try statement.execute(arguments: arguments) }
        }
    }

    private static func heartbeatRows(_ batch: [(heartbeat: AgentHeartbeat, at: Date)]) throws -> [StatementArguments] {
        try batch.map { StatementArguments(try AgentRecord($0.heartbeat, at: $0.at).databaseDictionary) }
    }

    private static func upsert(_ rows: [StatementArguments], in db: Database) throws {
        let statement = try db.cachedStatement(sql: AgentRecord.upsertSQL)
        for arguments in rows { try statement.execute(arguments: arguments) }
    }

    /// Assigns (or, with `nil`, clears) the version each agent should run, all or none: a
    /// cohort is never left half-assigned. Refused, with nothing written, if any agent is unknown.
    public func setDesiredVersions(_ versions: [String: String?]) throws {
        guard !versions.isEmpty else { return }
        try writer.write { db in
            var unknown: [String] = []
            for (id, version) in versions.sorted(by: { $0.key < $1.key }) {
                let updated = try AgentRecord
                    .filter(key: id)
                    .updateAll(db, AgentRecord.Columns.desiredVersion.set(to: version))
                if updated == 0 { unknown.append(id) }
            }
            if !unknown.isEmpty { throw StoreError.unknownAgents(ids: unknown) }
        }
    }

    /// Deletes these agents, each only if the database has not heard from it since `cutoff` (a
    /// heartbeat written meanwhile keeps it); returns the ids deleted.
    @discardableResult
    public func forgetAgents(ids: [String], silentSince cutoff: Date) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        return try writer.write { db in
            let silent = AgentRecord.filter(keys: ids).filter(AgentRecord.Columns.lastSeen < cutoff)
            let forgotten = try silent.fetchAll(db).map(\.id)
            try silent.deleteAll(db)
            return forgotten
        }
    }

    /// The whole fleet, by id.
    public func agents() throws -> [KnownAgent] {
        try writer.read { db in
            try AgentRecord.order(AgentRecord.Columns.id).fetchAll(db).map(\.knownAgent)
        }
    }

    public func agent(id: String) throws -> KnownAgent? {
        try writer.read { db in try AgentRecord.fetchOne(db, key: id)?.knownAgent }
    }
}
