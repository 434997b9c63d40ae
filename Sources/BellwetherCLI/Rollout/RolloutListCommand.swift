import ArgumentParser
import BellwetherAPI

/// `bellwether rollout list`: the most recent rollouts, newest first.
struct RolloutListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List rollouts, newest first.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let rollouts: [RolloutView] = try await options.withClient { try await $0.get("api/v1/rollouts") }
        switch options.output {
        case .table: Printer.line(rollouts.isEmpty ? "no rollouts yet; start one with `bellwether rollout start`" : RolloutView.table(rollouts))
        case .json: try Printer.json(rollouts)
        }
    }
}
