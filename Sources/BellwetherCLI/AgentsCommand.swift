import ArgumentParser
import BellwetherAPI

/// `bellwether agents ...`: the fleet as the controller sees it.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "The fleet as the controller sees it.",
        subcommands: [AgentsListCommand.self]
    )
}

/// `bellwether agents list [--version V] [--cohort C]`.
struct AgentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List agents, optionally by version or cohort.")

    @Option(help: "Only agents reporting this version.")
    var version: String?

    @Option(help: "Only agents a rollout placed in this cohort.")
    var cohort: String?

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let agents: [AgentView] = try await options.withClient { try await $0.get("api/v1/agents", query: ["version": version, "cohort": cohort]) }
        switch options.output {
        case .json: try Printer.json(agents)
        case .table:
            guard !agents.isEmpty else { return Printer.line("no agents match; agents appear once they send a heartbeat") }
            var table = TextTable("ID", "VERSION", "DESIRED", "COHORT", "STATUS", "LAST SEEN", "LABELS")
            for agent in agents {
                let status = agent.silent ? "silent" : agent.healthy ? "healthy" : "unhealthy"
                let labels = agent.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                table.add(agent.id, agent.version, agent.desiredVersion ?? "-", agent.cohort ?? "-", status, Printer.time(agent.lastSeen), labels)
            }
            Printer.line(table.rendered)
        }
    }
}
