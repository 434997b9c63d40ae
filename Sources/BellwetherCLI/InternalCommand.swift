import ArgumentParser
import BellwetherStore
import Foundation

/// `bellwether internal ...`: tools for Bellwether's own tests, hidden from `--help`.
struct InternalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "internal",
        abstract: "Tools for Bellwether's own tests; not a stable interface.",
        shouldDisplay: false,
        subcommands: [StoreTortureCommand.self]
    )
}

/// `bellwether internal store-torture`: writes to a store until killed, acknowledging each commit
/// on standard output, so a crash test can SIGKILL it and check nothing acknowledged was lost.
struct StoreTortureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-torture",
        abstract: "Write rollouts, transitions and heartbeats forever, printing one line per commit."
    )

    @Option(help: "The database file; created when missing, resumed when present.")
    var db: String

    @Option(help: "Seed of the random workload, so a run can be replayed.")
    var seed: UInt64

    func run() throws {
        let store = try BellwetherStore.open(path: db)
        try StoreTorture.run(store: store, seed: seed) { commit in
            // Unbuffered: the line must leave the process before the next write can start.
            FileHandle.standardOutput.write(Data((commit.description + "\n").utf8))
        }
    }
}
