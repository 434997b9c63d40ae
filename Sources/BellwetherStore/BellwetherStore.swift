import Foundation
import GRDB

/// The controller's durable memory: rollouts, their audit log, and the fleet.
///
/// Every write is one transaction named for what it means (start a rollout, record a
/// transition, record heartbeats), so a crash at any instant leaves either all of it or none of
/// it, and a restarted controller resumes exactly where the last acknowledged write left it.
/// The store is a value over a GRDB writer and is safe to share between tasks.
public struct BellwetherStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating when needed) the database file at `path` and brings its schema up to date.
    ///
    /// WAL lets readers (the API, the dashboard) proceed while the controller writes; the busy
    /// timeout lets a second process (`bellwether` tooling) wait for the writer instead of failing;
    /// `synchronous = FULL` makes an acknowledged commit survive power loss, not just a crash.
    public static func open(path: String) throws -> BellwetherStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return try BellwetherStore(writer: pool)
    }

    /// A private database that vanishes with the store: for tests and dry runs.
    public static func inMemory() throws -> BellwetherStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try BellwetherStore(writer: DatabaseQueue(configuration: configuration))
    }

    init(writer: any DatabaseWriter) throws {
        try StoreMigrations.migrator.migrate(writer)
        self.writer = writer
    }

    /// SQLite's own verdict on the file (`PRAGMA integrity_check`): `["ok"]` when sound, otherwise
    /// one line per problem. Worth running after a crash or before trusting a restored backup.
    public func integrityCheck() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
    }
}
