import Foundation
import GRDB

extension BellwetherStore {
    /// Copies the database at `path` into a new file at `destination` with SQLite's online backup,
    /// while a controller may be writing to it: the copy is one consistent snapshot, as of the last
    /// commit before the copy began, and the controller is never stopped or blocked for long.
    ///
    /// The source is opened read-only and never migrated, so a newer `bellwether` can back up the
    /// database of an older running controller without touching its schema. The copy is checked
    /// with `PRAGMA integrity_check` before this returns.
    public static func backup(databaseAt path: String, to destination: String) throws(BackupError) -> BackupSummary {
        guard FileManager.default.fileExists(atPath: path) else { throw .sourceMissing(path) }
        guard !FileManager.default.fileExists(atPath: destination) else { throw .destinationExists(destination) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let source = try DatabasePool(path: path, configuration: configuration)
            let copy = try DatabaseQueue(path: destination)
            try source.backup(to: copy)
            let problems = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            let migrations = try copy.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
            let rollouts = try copy.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rollout") ?? 0 }
            try copy.close()
            guard problems == ["ok"] else { throw BackupError.copyCorrupt(destination, problems) }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            return BackupSummary(destination: destination, bytes: bytes, rollouts: rollouts, lastMigration: migrations.last)
        } catch let error as BackupError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw .sqlite(path, String(describing: error))
        }
    }
}

/// What a backup wrote, for the operator to check against what they expect.
public struct BackupSummary: Sendable, Hashable {
    public var destination: String
    public var bytes: Int
    public var rollouts: Int
    /// The schema version of the copy: a controller at least this new can open it.
    public var lastMigration: String?
}

/// Why a backup was not made; nothing is left at the destination unless the message says so.
public enum BackupError: Error, Sendable, Hashable, CustomStringConvertible {
    case sourceMissing(String)
    case destinationExists(String)
    case copyCorrupt(String, [String])
    case sqlite(String, String)

    public var description: String {
        switch self {
        case .sourceMissing(let path):
            "\(path): no database there; name the controller's database with --db (serve's --db, default ./bellwether.db)"
        case .destinationExists(let path):
            "\(path) exists already; a backup never overwrites a file: remove it or name a new one"
        case .copyCorrupt(let path, let problems):
            "the copy at \(path) failed SQLite's integrity check (\(problems.prefix(3).joined(separator: "; "))); it is kept for inspection, do not restore it"
        case .sqlite(let path, let message):
            "backing up \(path) failed: \(message)"
        }
    }
}
