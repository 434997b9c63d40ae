import ArgumentParser

/// `bellwether policy ...`: work with rollout policy files.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate rollout policies.",
        subcommands: [PolicyLintCommand.self]
    )
}
