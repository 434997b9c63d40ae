import ArgumentParser
import BellwetherAPI
import Foundation

/// `bellwether freeze on|off|status`: hold every rollout's promotions for a change freeze or an
/// incident; halts and rollbacks still proceed.
struct FreezeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze",
        abstract: "Hold every rollout's promotions (steps keep baking and being judged; halts and rollbacks proceed).",
        subcommands: [FreezeOnCommand.self, FreezeOffCommand.self, FreezeStatusCommand.self]
    )

    /// One line for a terminal: "frozen by admin since …: reason", or "not frozen".
    static func describe(_ freeze: FreezeView) -> String {
        guard freeze.frozen else { return "not frozen: rollouts promote as their policies say" }
        let since = freeze.since.map { " since \(Printer.time($0))" } ?? ""
        return "frozen by \(freeze.actor ?? "?")\(since): \(freeze.reason ?? "")"
            + "\nevery rollout's next promotion waits; halts and rollbacks proceed; `bellwether freeze off` lifts it"
    }

    static func show(_ freeze: FreezeView, _ options: ClientOptions) throws {
        switch options.output {
        case .json: try Printer.json(freeze)
        case .table: Printer.line(describe(freeze))
        }
    }
}

/// `bellwether freeze on --reason TEXT`.
struct FreezeOnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "on", abstract: "Freeze promotions, saying why.")

    @Option(help: "Why, shown wherever a promotion is held (required).")
    var reason: String

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let freeze: FreezeView = try await options.withClient { try await $0.post("api/v1/freeze", body: FreezeRequest(frozen: true, reason: reason)) }
        try FreezeCommand.show(freeze, options)
    }
}

/// `bellwether freeze off`.
struct FreezeOffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "off", abstract: "Lift the freeze: held rollouts promote at their next look.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let freeze: FreezeView = try await options.withClient { try await $0.post("api/v1/freeze", body: FreezeRequest(frozen: false)) }
        try FreezeCommand.show(freeze, options)
    }
}

/// `bellwether freeze status`.
struct FreezeStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Whether promotions are frozen, since when and why.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let freeze: FreezeView = try await options.withClient { try await $0.get("api/v1/freeze") }
        try FreezeCommand.show(freeze, options)
    }
}
