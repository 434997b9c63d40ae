import ArgumentParser
import BellwetherAPI
import BellwetherCore
import Foundation

/// `bellwether rollout start`: sends the policy and version to the controller; prints the new id.
struct RolloutStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a rollout; prints its id.",
        discussion: """
            The controller validates the policy (an invalid one exits 2 with every problem and its \
            line), takes the most common version among the selected live agents as the stable \
            version, and starts the first step. Exits 1 if another active rollout may select the same agents.
            """
    )

    @Option(help: ArgumentHelp("The rollout policy (YAML).", valueName: "file"))
    var policy: String

    @Option(help: ArgumentHelp("The version to roll out.", valueName: "version"))
    var version: String

    @Option(help: ArgumentHelp("Where agents download the version.", valueName: "url"))
    var artifactURL: String?

    @Option(help: ArgumentHelp("SHA-256 of the artifact, 64 hex digits.", valueName: "hex"))
    var sha256: String?

    @Flag(help: "Analyse and report, but never change an agent's version.")
    var dryRun = false

    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard (artifactURL == nil) == (sha256 == nil) else {
            throw ValidationError("--artifact-url and --sha256 go together: agents verify what they download")
        }
    }

    func run() async throws {
        let yaml = try CommandFailure.reading(policy) { try String(contentsOfFile: $0, encoding: .utf8) }
        let artifact = artifactURL.map { Artifact(url: $0, sha256: sha256 ?? "") }
        let request = StartRolloutRequest(policy: yaml, version: version, artifact: artifact, dryRun: dryRun, policyFile: policy)
        let rollout: RolloutView = try await options.withClient { try await $0.post("api/v1/rollouts", body: request) }
        switch options.output {
        case .table: Printer.line(rollout.id)
        case .json: try Printer.json(rollout)
        }
    }
}
