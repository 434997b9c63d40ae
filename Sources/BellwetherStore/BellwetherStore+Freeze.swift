import BellwetherCore
import Foundation
import GRDB

extension BellwetherStore {
    /// The fleet freeze in force, if any.
    public func freeze() throws -> FleetFreeze? {
        try writer.read(Self.fetchFreeze)
    }

    /// Sets or lifts the freeze; returns the one in force afterwards. Freezing an already frozen
    /// fleet keeps the first freeze's time and actor and takes the new reason, so a repeated
    /// command neither restarts nor loses the hold.
    @discardableResult
    public func setFreeze(_ freeze: FleetFreeze?) throws -> FleetFreeze? {
        try writer.write { db in
            guard let freeze else {
                try db.execute(sql: "DELETE FROM fleetFreeze")
                return nil
            }
            try db.execute(
                sql: """
                    INSERT INTO fleetFreeze (id, reason, actor, since) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET reason = excluded.reason
                    """,
                arguments: [freeze.reason, freeze.actor, freeze.since.timeIntervalSince1970]
            )
            return try Self.fetchFreeze(db)
        }
    }

    private static func fetchFreeze(_ db: Database) throws -> FleetFreeze? {
        try Row.fetchOne(db, sql: "SELECT reason, actor, since FROM fleetFreeze WHERE id = 1").map { row in
            FleetFreeze(reason: row["reason"], actor: row["actor"], since: Date(timeIntervalSince1970: row["since"]))
        }
    }
}
