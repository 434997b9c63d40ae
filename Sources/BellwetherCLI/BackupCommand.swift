import ArgumentParser
import BellwetherStore

/// `bellwether backup FILE [--db PATH]`: a consistent copy of the controller's database, taken
/// while it runs (docs/deploy.md#backup-and-restore).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the controller's SQLite database to FILE while it runs (SQLite's online backup).",
        discussion: """
            The copy is one consistent snapshot, checked with SQLite's integrity check; FILE must not \
            exist. To restore, stop the controller, replace its database file with the copy (removing \
            any -wal and -shm files beside it) and start it again.
            """
    )

    @Argument(help: "Where to write the copy; must not exist.")
    var file: String

    @Option(help: "The controller's database (serve's --db).")
    var db = "./bellwether.db"

    func run() async throws {
        let summary: BackupSummary
        do {
            summary = try BellwetherStore.backup(databaseAt: db, to: file)
        } catch {
            switch error {
            case .sourceMissing, .destinationExists: throw CommandFailure.badInput(error.description)
            case .copyCorrupt, .sqlite: throw CommandFailure.failed(error.description)
            }
        }
        Printer.line(
            "backed up \(db) to \(summary.destination): \(summary.bytes) bytes, \(summary.rollouts) rollouts, "
                + "schema \(summary.lastMigration ?? "empty"), integrity ok"
        )
    }
}
