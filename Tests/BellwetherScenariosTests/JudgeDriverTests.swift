import BellwetherCore
import BellwetherScenarios
import Testing

/// The benchmark drives the engine directly for speed; these pin that it reaches the decisions
/// `bellwether analyze` reaches on the same stream.
@Suite struct JudgeDriverTests {
    @Test(arguments: [CanaryEffect.none, .multiply(factor: 10)])
    func theEngineJudgeDecidesAsTheReplayDoes(effect: CanaryEffect) throws {
        let scenario = FleetScenario(name: "replay", canaryAgents: 4, baselineAgents: 4, durationSeconds: 630, effect: effect)
        let stream = FleetSimulation(scenario: scenario).stream(seed: 11)
        let policy = BenchmarkPolicy.make(bake: 600)

        var replay = ReplayAnalysis(policy: policy, step: 0)
        for (line, observation) in stream.observations.enumerated() {
            _ = try replay.ingest(observation, line: line + 1)
        }
        _ = replay.finish()

        var judge = EngineJudge(policy: policy)
        _ = JudgeDriver.run(&judge, samples: stream.samples(), interval: 30, evaluations: 20)
        let replayed = try #require(replay.decision)
        let driven = try #require(judge.decision)
        #expect(driven.decision == replayed.decision)
        #expect(driven.time == replayed.time)
    }
}
