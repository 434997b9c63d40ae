import BellwetherCore
import BellwetherScenarios
import Testing

@Suite struct FleetSimulationTests {
    static let fleet = FleetScenario(name: "test", canaryAgents: 4, baselineAgents: 4, durationSeconds: 600, trafficSigma: 1, failureSigma: 0.7)

    @Test func theSameSeedGivesTheSameStream() {
        let first = FleetSimulation(scenario: Self.fleet).stream(seed: 42)
        let second = FleetSimulation(scenario: Self.fleet).stream(seed: 42)
        #expect(first == second)
        #expect(first != FleetSimulation(scenario: Self.fleet).stream(seed: 43))
    }

    @Test func observationsAreInTimeOrderWithBothCounters() {
        let stream = FleetSimulation(scenario: Self.fleet).stream(seed: 1)
        #expect(zip(stream.observations, stream.observations.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(stream.observations.allSatisfy { $0.counters.keys.sorted() == [FleetMetrics.failures, FleetMetrics.records] })
        // Every agent reports every 10 s over 10 minutes, at its own phase.
        #expect(stream.observations.count == 8 * 60)
    }

    @Test func restartsResetCounters() {
        var scenario = Self.fleet
        scenario.restartsPerHour = 6
        let stream = FleetSimulation(scenario: scenario).stream(seed: 7)
        let resets = Self.decreases(in: stream, of: FleetMetrics.records)
        #expect(resets > 0)
        #expect(Self.decreases(in: FleetSimulation(scenario: Self.fleet).stream(seed: 7), of: FleetMetrics.records) == 0)
    }

    @Test func droppedOutAgentsStopReporting() {
        var scenario = Self.fleet
        scenario.dropoutShare = 1
        let stream = FleetSimulation(scenario: scenario).stream(seed: 3)
        for agent in stream.agents {
            let dropout = try! #require(agent.dropout)
            #expect(stream.observations.filter { $0.agent == agent.id }.allSatisfy { $0.time - scenario.start <= dropout })
        }
    }

    @Test func groundTruthMatchesTheCanarysCounters() {
        let stream = FleetSimulation(scenario: Self.fleet).stream(seed: 5)
        let canaryRecords = stream.observations.filter { $0.cohort == .canary }
            .reduce(into: [String: Double]()) { $0[$1.agent] = $1.counters[FleetMetrics.records] }
            .values.reduce(0, +)
        #expect(Double(stream.canaryRecords(through: .infinity)) == canaryRecords)
        #expect(stream.canaryReports.allSatisfy { $0.canaryProbability == $0.stableProbability })
    }

    @Test func aRegressionRaisesOnlyTheCanarysProbability() {
        var scenario = Self.fleet
        scenario.effect = .multiply(factor: 2)
        let stream = FleetSimulation(scenario: scenario).stream(seed: 5)
        for agent in stream.agents {
            let expected = agent.cohort == .canary ? agent.stableFailureProbability * 2 : agent.stableFailureProbability
            #expect(abs(agent.failureProbability - expected) < 1e-15)
        }
    }

    @Test func jsonLinesReplayToTheSameObservations() throws {
        let stream = FleetSimulation(scenario: Self.fleet).stream(seed: 9)
        var text = ReplayLineWriter.text(stream.observations)
        let parsed = try text.withUTF8 { try ReplayFile.observations(in: $0) }.map(\.observation)
        #expect(parsed == stream.observations)
    }

    /// How many times a counter went down from one report of an agent to its next.
    static func decreases(in stream: SimulatedStream, of counter: String) -> Int {
        var last: [String: Double] = [:]
        var count = 0
        for observation in stream.observations {
            let value = observation.counters[counter] ?? 0
            if let previous = last[observation.agent], value < previous { count += 1 }
            last[observation.agent] = value
        }
        return count
    }
}
