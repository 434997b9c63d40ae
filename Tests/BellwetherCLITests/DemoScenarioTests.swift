import BellwetherAPI
import BellwetherCore
import BellwetherFleetSim
import Foundation
import Synchronization
import Testing
@testable import BellwetherCLI

/// `bellwether demo` in-process, in lockstep as fast as the fleet is answered (the demo holds it
/// to `--speed`, which changes nothing else): the embedded controller, the fleet over loopback
/// HTTP, one clock for both, and nothing in the decision path shortened. Each scenario must end
/// as the controller should decide it, and a healthy version must never be halted or rolled back,
/// whatever the fleet's seed. To stay quick, 100 agents run the demo policy's checks and bakes on
/// two judged steps of 20% and 50% (20 canaries first, as the demo's 10% of 200), written by
/// `init` from policies/demo-canary.yaml and linted. Serialized: two fleets at once would only
/// slow each other down.
@Suite(.serialized) struct DemoScenarioTests {
    static let agents = 100
    let policy: String

    init() throws {
        let demoPolicy = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies/demo-canary.yaml")
        var yaml = try String(contentsOf: demoPolicy, encoding: .utf8)
        let steps = [
            "  - {cohort: canary, percent: 10, bake: 10m}\n", "  - {cohort: early,  percent: 25, bake: 10m}\n",
            "  - {cohort: half,   percent: 50, bake: 10m}\n",
        ]
        for step in steps {
            guard let range = yaml.range(of: step) else { throw DemoPolicyChanged(step: step) }
            yaml.removeSubrange(range)
        }
        yaml = yaml.replacingOccurrences(of: "steps:\n", with: "steps:\n  - {cohort: canary, percent: 20, bake: 10m}\n  - {cohort: half, percent: 50, bake: 10m}\n")
        policy = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: policy, atomically: true, encoding: .utf8)
        _ = try PolicyFileLoader.load(policy)
    }

    /// Runs the demo, keeping its narration; `speed` holds it to a pace, as the command does.
    func demo(
        _ scenario: FleetScenario, seed: UInt64 = 1, speed: Double? = nil,
        settled: @escaping @Sendable (RolloutView) -> Bool = { DemoExpectation.isSettled($0.state.phase) }
    ) async throws -> (outcome: DemoRun.Outcome, narration: [String]) {
        let lines = Mutex<[String]>([])
        var run = DemoRun(agents: Self.agents, speed: speed ?? 60, scenario: scenario, seed: seed, policyPath: policy)
        run.print = { line in lines.withLock { $0.append(line) } }
        run.settled = settled
        run.paced = speed != nil
        let outcome = try await run.run()
        return (outcome, lines.withLock { $0 })
    }

    @Test func theSilentKillerIsRolledBackWithTheEvidence() async throws {
        let (outcome, narration) = try await demo(.silentKiller)
        #expect(outcome.unmet == nil)
        #expect(outcome.rollout.state.phase == .rolledBack)
        #expect(narration.contains { $0.contains("decision: ROLLBACK") && $0.contains("failure-ratio") })
        #expect(narration.contains { $0.contains("CHECK FAILED → rolling-back") })
        #expect(narration.contains { $0.contains("Bellwether controller running at http://127.0.0.1:") })
        #expect(outcome.report.contains("| check-failed | progressing(step 1) → rolling-back |"))
        #expect(outcome.report.contains("| rollback-converged | rolling-back → rolled-back |"))
    }

    /// Lockstep is what makes these tests mean something: however the scheduler interleaves the
    /// agents and whatever the pace, the same seed gives the same cohorts, the same data at every
    /// pass, and so the same rollout, verdict for verdict.
    @Test func theSameSeedReplaysTheSameRolloutAtAnyPace() async throws {
        let first = try await demo(.silentKiller, seed: 4).narration.filter { $0.hasPrefix("[") }
        let second = try await demo(.silentKiller, seed: 4, speed: 600).narration.filter { $0.hasPrefix("[") }
        #expect(first.contains { $0.contains("decision: ROLLBACK") })
        #expect(first == second)
    }

    @Test(arguments: [FleetScenario.latency, .throughput, .crashLoop, .agentCrash])
    func aFaultyVersionIsStoppedAtTheFirstStep(_ scenario: FleetScenario) async throws {
        let (outcome, _) = try await demo(scenario)
        #expect(outcome.unmet == nil, "\(outcome.report)")
        #expect([.halted, .rolledBack].contains(outcome.rollout.state.phase))
        #expect(outcome.rollout.state.step ?? 1 == 1, "stopped before the second step")
    }

    @Test func aHealthyVersionReachesEveryAgent() async throws {
        let (outcome, narration) = try await demo(.healthy)
        #expect(outcome.unmet == nil, "\(outcome.report)")
        #expect(outcome.rollout.state.phase == .completed)
        #expect(narration.filter { $0.contains("decision: PROMOTE") }.count == 2, "each judged step promoted once")
    }

    /// The first step, 20 canaries against 20 baseline agents, is where a healthy version is most
    /// at risk of a false alarm; other fleets (seeds) must pass it too.
    @Test(arguments: [UInt64(2), 3])
    func aHealthyVersionPassesTheFirstStepWhateverTheFleet(seed: UInt64) async throws {
        let (outcome, narration) = try await demo(.healthy, seed: seed) { rollout in
            DemoExpectation.isSettled(rollout.state.phase) || (rollout.state.step ?? 0) >= 2
        }
        #expect(outcome.rollout.state.phase == .progressing && outcome.rollout.state.step == 2, "\(outcome.report)")
        #expect(!narration.contains { $0.contains("FAIL") })
    }
}

/// policies/demo-canary.yaml no longer has the steps the test replaces: update the test with it.
struct DemoPolicyChanged: Error {
    var step: String
}
