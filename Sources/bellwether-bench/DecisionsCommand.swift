import ArgumentParser
import BellwetherCore
import BellwetherScenarios
import Foundation

/// `bellwether-bench decisions`: decision quality of the engine against the Wald oracle and two
/// reference judges over every named scenario, then the replay speed. Prints the seed and every
/// parameter so a run can be reproduced exactly (docs/decision-benchmark.md).
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "False alarms, detection and records-to-alarm per scenario, and replay speed."
    )

    @Option(help: "Seed of every stream; the same seed reproduces the same figures.")
    var seed: UInt64 = 1

    @Option(help: "Streams per scenario (default 400, or 100 with --quick).")
    var streams: Int?

    @Flag(help: "100 streams per scenario and fewer replay repetitions.")
    var quick = false

    @Option(help: "Only the scenarios whose name contains this text.")
    var only: String?

    func validate() throws {
        if let streams, streams < 1 { throw ValidationError("--streams must be at least 1") }
    }

    func run() async throws {
        let count = streams ?? (quick ? 100 : 400)
        let scenarios = ScenarioCatalog.all.filter { only.map($0.name.contains) ?? true }
        print(DecisionReport.header(seed: seed, streams: count))
        print(DecisionReport.scenarioTable(scenarios))
        for (index, scenario) in ScenarioCatalog.all.enumerated() where scenarios.contains(scenario) {
            let trials = await Self.trials(scenario, index: index, seed: seed, count: count)
            print(DecisionReport.resultTable(scenario, trials: trials))
        }
        print(try ReplaySpeed.report(seed: seed, repetitions: quick ? 3 : 7))
    }

    /// Runs a scenario's streams on every core; each stream's seed depends only on the run's
    /// seed, the scenario's place in the catalogue and the stream's number, so results do not
    /// depend on scheduling.
    static func trials(_ scenario: FleetScenario, index: Int, seed: UInt64, count: Int) async -> [StreamTrial] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: [(Int, StreamTrial)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    stride(from: worker, to: count, by: workers).map { stream in
                        (stream, StreamTrial(scenario: scenario, seed: streamSeed(seed, scenario: index, stream: stream)))
                    }
                }
            }
            var results: [(Int, StreamTrial)] = []
            for await batch in group { results += batch }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func streamSeed(_ seed: UInt64, scenario: Int, stream: Int) -> UInt64 {
        SplitMix64.mix(SplitMix64.mix(seed) &+ UInt64(scenario) << 32 &+ UInt64(stream))
    }
}
