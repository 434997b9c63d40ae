import ArgumentParser
import BellwetherAPI

/// `bellwether rollout status [ID]`: one rollout's state, cohorts and check verdicts.
struct RolloutStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a rollout's state, cohorts and check verdicts.",
        discussion: "Without an ID, shows the active rollout; exits 2 when there are several to choose from."
    )

    @Argument(help: "The rollout id (default: the only active rollout).")
    var id: String?

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let given = self.id
        let health: RolloutHealthView = try await options.withClient { client in
            let id: String
            if let given { id = given } else { id = try await Self.activeRolloutID(client) }
            return try await client.get("api/v1/rollouts/\(id)/health")
        }
        switch options.output {
        case .table: Printer.line(health.text)
        case .json: try Printer.json(health)
        }
    }

    static func activeRolloutID(_ client: BellwetherClient) async throws -> String {
        let rollouts: [RolloutView] = try await client.get("api/v1/rollouts")
        let active = rollouts.filter(\.active)
        switch active.count {
        case 1: return active[0].id
        case 0: throw CommandFailure.failed("no rollout is active; `bellwether rollout list` shows past ones, name one to see it")
        default: throw CommandFailure.badInput("\(active.count) rollouts are active (\(active.map(\.id).joined(separator: ", "))); name one")
        }
    }
}

extension RolloutHealthView {
    /// The status page: the rollout, its steps, who is in the cohorts, and what the checks say.
    var text: String {
        var lines = [
            "rollout   \(rollout.id) (policy \(rollout.policy))",
            "versions  \(rollout.versions)",
            "state     \(rollout.state.description): \(rollout.reason)",
            "updated   \(Printer.time(rollout.updatedAt))",
        ]
        if let freeze, freeze.frozen {
            lines.append("freeze    promotions held: frozen by \(freeze.actor ?? "?")\(freeze.since.map { " since \(Printer.time($0))" } ?? ""): \(freeze.reason ?? "")")
        }
        lines += rollout.stepLines.enumerated().map { ($0 == 0 ? "steps     " : "          ") + $1 }
        if cohorts.isEmpty {
            lines.append("cohorts   none: the rollout is not at a step")
        }
        for (index, cohort) in cohorts.enumerated() {
            let expected = cohort.role == .canary ? rollout.targetVersion : rollout.stableVersion ?? "the stable version"
            lines.append((index == 0 ? "cohorts   " : "          ")
                + "\(cohort.role.rawValue) (\(cohort.name)): \(cohort.agents) agents, \(cohort.onExpectedVersion) on \(expected), \(cohort.silent) silent")
        }
        if checks.isEmpty {
            lines.append("checks    none reported yet")
        }
        for (index, check) in checks.enumerated() {
            lines.append((index == 0 ? "checks    " : "          ") + "\(check.label): \(check.verdict.rawValue) — \(check.detail)")
        }
        return lines.joined(separator: "\n")
    }
}
