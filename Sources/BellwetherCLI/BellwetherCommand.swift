import ArgumentParser

/// The `bellwether` command: the root holds only configuration; each verb lives in its own file.
public struct BellwetherCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bellwether",
        abstract: "Phased rollouts for fleets of agents, judged canary against baseline, rolled back by themselves.",
        discussion: """
            Bellwether moves a fleet of agents to a new version one cohort at a time, compares the \
            canary cohort's business metrics and failed-trace ratios against a baseline cohort while \
            it rolls, and halts or rolls back when they diverge.
            """,
        version: BellwetherVersion.current,
        subcommands: [
            DemoCommand.self,
            ServeCommand.self,
            SimCommand.self,
            RolloutCommand.self,
            AgentsCommand.self,
            FreezeCommand.self,
            PolicyCommand.self,
            AnalyzeCommand.self,
            BackupCommand.self,
            InternalCommand.self,
        ]
    )

    public init() {}
}

public enum BellwetherVersion {
    public static let current = "0.1.0"
}
