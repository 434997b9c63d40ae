import ArgumentParser
import BellwetherCore
import BellwetherFleetSim
import Foundation

extension FleetScenario: ExpressibleByArgument {}

/// `bellwether demo`: the first command a newcomer runs. A controller, a simulated fleet and a
/// canary rollout in one process; exits 0 when the controller decided as the scenario deserves.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch Bellwether catch a bad agent version and roll it back, live, on a simulated fleet.",
        discussion: """
            Starts the controller on a free loopback port (a temporary database unless --db), a \
            fleet of simulated collectors that heartbeat and export OTLP like real agents, and a \
            canary rollout of version \(DemoRun.targetVersion) with policies/demo-canary.yaml. Narrates the \
            steps, the convergence, each check's canary and baseline with its verdict, and the \
            decision; ends with the rollout report. Exits 0 when the controller decided as the \
            scenario deserves (healthy: completed; the others: halted or rolled back), 1 otherwise.
            """
    )

    @Option(help: "Simulated agents.")
    var agents = 200

    @Option(help: "Time runs up to this many times faster than real time, for controller and fleet alike: the pace, never the outcome.")
    var speed = 60.0

    @Option(help: ArgumentHelp("What the new version does: \(FleetScenario.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "scenario"))
    var scenario = FleetScenario.silentKiller

    @Option(help: ArgumentHelp("Keep the controller's database here (default: a temporary one).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The rollout policy.", valueName: "file"))
    var policy = "policies/demo-canary.yaml"

    @Option(help: "Seed of the simulated fleet and of the rollout's cohorts, so a run can be replayed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Controller time the fleet runs on the old version before the rollout, so the controller knows each agent's normal (0s to skip).",
        valueName: "duration"
    ))
    var warmUp = "10m"

    /// `--warm-up` in seconds, or nil when it is not a duration of at most a day.
    private var warmUpSeconds: Double? {
        DurationParser.seconds(warmUp).flatMap { $0 <= 86_400 ? $0 : nil }
    }

    @Flag(help: "Keep the controller and the fleet running after the report, until Ctrl-C.")
    var keepRunning = false

    func validate() throws {
        guard (1...100_000).contains(agents) else { throw ValidationError("--agents must be 1 to 100000, found \(agents)") }
        guard speed.isFinite, speed > 0, speed <= 10_000 else { throw ValidationError("--speed must be more than 0 and at most 10000, found \(speed)") }
        guard warmUpSeconds != nil else {
            throw ValidationError("--warm-up '\(warmUp)' is not a duration of at most a day: \(DurationParser.hint), or 0s to skip")
        }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: policy) else {
            throw CommandFailure.badInput("\(policy) not found: run the demo from the repository's root, or pass --policy FILE")
        }
        var run = DemoRun(
            agents: agents, speed: speed, scenario: scenario, databasePath: db, keepRunning: keepRunning, seed: seed, policyPath: policy
        )
        run.warmUp = warmUpSeconds ?? run.warmUp
        let outcome = try await run.run()
        if let unmet = outcome.unmet {
            throw CommandFailure.failed(
                "not the expected decision: \(unmet). The same --seed \(seed) replays this run exactly, at any --speed"
            )
        }
        Printer.line(scenario.shouldComplete
            ? "As expected: the healthy version reached every agent."
            : "As expected: Bellwether stopped the \(scenario.rawValue) version (\(outcome.rollout.state.description)) with the evidence above.")
    }
}
