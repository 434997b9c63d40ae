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
    /// heartbeat written meanwhile keeps it), in one transaction; returns the ids deleted. One
    /// prepared statement run per agent, as heartbeats are written, so a fleet of any size stays
    /// under SQLite's limit on bound parameters; times compare as the records store them, in
    /// seconds since 1970.
    @discardableResult
    public func forgetAgents(ids: [String], silentSince cutoff: Date) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        return try writer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM agent WHERE id = ? AND lastSeen < ?")
            return try ids.filter { id in
                try statement.execute(arguments: [id, cutoff.timeIntervalSince1970])
                return db.changesCount > 0
            }
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
