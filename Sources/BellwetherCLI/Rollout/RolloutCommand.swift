import ArgumentParser

/// `bellwether rollout ...`: start, inspect and steer rollouts on a running controller.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Start, inspect and control rollouts on a running controller.",
        subcommands: [
            RolloutStartCommand.self, RolloutListCommand.self, RolloutStatusCommand.self,
            RolloutPauseCommand.self, RolloutResumeCommand.self, RolloutPromoteCommand.self,
            RolloutAbortCommand.self, RolloutRollbackCommand.self,
            RolloutReportCommand.self, RolloutWatchCommand.self,
        ]
    )
}
