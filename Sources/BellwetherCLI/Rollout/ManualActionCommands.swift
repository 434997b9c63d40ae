import ArgumentParser
import BellwetherAPI
import BellwetherCore

/// What `pause`, `resume`, `promote`, `abort` and `rollback` share: one rollout, an optional
/// reason for the audit log, and the rollout's new state printed back.
protocol ManualActionCommand: AsyncParsableCommand {
    static var action: ManualAction { get }
    var arguments: ManualActionArguments { get }
}

/// The arguments every manual action takes.
struct ManualActionArguments: ParsableArguments {
    @Argument(help: "The rollout id.")
    var id: String

    @Option(help: "Why, for the audit log.")
    var reason: String?

    @Option(help: "Act only while the rollout is at this step (counted from 1); otherwise exit 1 and change nothing. promote sends the step it reads first when this is left out.")
    var step: Int?

    @OptionGroup var options: ClientOptions
}

extension ManualActionCommand {
    static func manualConfiguration(_ abstract: String) -> CommandConfiguration {
        CommandConfiguration(
            commandName: action.rawValue, abstract: abstract,
            discussion: """
                Recorded in the audit log with the reason. Exits 1 when the rollout's state does not allow it, saying what it \
                allows, or when --step names a step the rollout has left (409 stale-step: nothing changed).
                """
        )
    }

    func run() async throws {
        let options = arguments.options
        let path = "api/v1/rollouts/\(arguments.id)/\(Self.action.rawValue)"
        let rollout: RolloutView = try await options.withClient { client in
            var step = arguments.step
            // A promote moves the rollout on, so sending it twice would skip a step: pin it to
            // the step it was meant for, as read now.
            if step == nil, Self.action == .promote {
                step = try await client.get("api/v1/rollouts/\(arguments.id)", as: RolloutView.self).state.step
            }
            return try await client.post(path, body: ManualActionRequest(reason: arguments.reason, step: step))
        }
        switch options.output {
        case .table: Printer.line("\(rollout.id): \(rollout.state.description): \(rollout.reason)")
        case .json: try Printer.json(rollout)
        }
    }
}

struct RolloutPauseCommand: ManualActionCommand {
    static let action = ManualAction.pause
    static let configuration: CommandConfiguration = manualConfiguration("Halt a progressing rollout where it is.")
    @OptionGroup var arguments: ManualActionArguments
}

struct RolloutResumeCommand: ManualActionCommand {
    static let action = ManualAction.resume
    static let configuration: CommandConfiguration = manualConfiguration("Resume a halted rollout at its current step.")
    @OptionGroup var arguments: ManualActionArguments
}

struct RolloutPromoteCommand: ManualActionCommand {
    static let action = ManualAction.promote
    static let configuration: CommandConfiguration = manualConfiguration("Move to the next step now, skipping the rest of the bake.")
    @OptionGroup var arguments: ManualActionArguments
}

struct RolloutAbortCommand: ManualActionCommand {
    static let action = ManualAction.abort
    static let configuration: CommandConfiguration = manualConfiguration("Stop the rollout; agents stay on the version they run.")
    @OptionGroup var arguments: ManualActionArguments
}

struct RolloutRollbackCommand: ManualActionCommand {
    static let action = ManualAction.rollback
    static let configuration: CommandConfiguration = manualConfiguration("Return the canary cohort to the stable version.")
    @OptionGroup var arguments: ManualActionArguments
}
