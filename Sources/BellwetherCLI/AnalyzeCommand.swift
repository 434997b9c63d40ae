import ArgumentParser
import BellwetherCore
import Foundation

/// `bellwether analyze`: replay recorded observations through the live controller's decision
/// engine, to back-test a policy against a past incident.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Replay recorded observations through the decision engine.",
        discussion: """
            Reads JSON Lines observations (docs/replay-format.md), evaluates every check at each \
            analysis-interval boundary exactly as the live controller would, and prints one JSON \
            line per check per evaluation, then the decision: rollback, halt, promote or \
            inconclusive. Exits 0 whenever the input is valid, 2 with the line number when it is not.
            """
    )

    @Option(help: "The rollout policy (YAML).")
    var policy: String

    @Option(help: "The observations, one JSON object per line, in time order.")
    var observations: String

    @Option(help: "The policy step (1-based) whose bake time applies.")
    var step: Int = 1

    @Option(help: ArgumentHelp(
        "When the step began, in seconds since the Unix epoch: earlier lines are the agents' history on the stable version (each agent is compared with itself, as live), and the analysis starts here.",
        valueName: "time"
    ))
    var stepStart: Double?

    func validate() throws {
        guard step >= 1 else { throw ValidationError("--step counts from 1") }
        if let stepStart, !(stepStart.isFinite && stepStart >= 0) {
            throw ValidationError("--step-start takes seconds since the Unix epoch, such as 1764000000")
        }
    }

    func run() throws {
        let policy = try PolicyFileLoader.load(policy)
        guard step <= policy.steps.count else {
            throw CommandFailure.badInput("--step \(step) is beyond the policy's \(policy.steps.count) steps")
        }
        let data = try CommandFailure.reading(observations) { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        // Parse and analyse in one pass, holding the output until the whole stream has proved
        // valid: an invalid stream prints nothing but its error.
        var output = ""
        do {
            var replay = ReplayAnalysis(policy: policy, step: step - 1, stepStart: stepStart)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var encodingError: (any Error)?
            try data.withUnsafeBytes { raw in
                try ReplayFile.forEachObservation(in: raw.bindMemory(to: UInt8.self)) { (line: Int, observation: ReplayObservation) throws(ReplayFormatError) in
                    for item in try replay.ingest(observation, line: line) {
                        do { output += try Self.json(item, encoder) } catch { encodingError = error }
                    }
                }
            }
            for item in replay.finish() { output += try Self.json(item, encoder) }
            if let encodingError { throw encodingError }
        } catch let error as ReplayFormatError {
            throw CommandFailure.badInput("\(observations): \(error)")
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private static func json(_ item: ReplayAnalysis.Output, _ encoder: JSONEncoder) throws -> String {
        let data = switch item {
        case .verdict(let verdict): try encoder.encode(verdict)
        case .decision(let decision): try encoder.encode(decision)
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
