import BellwetherCore
import BellwetherScenarios
import Testing

/// The oracle at 30 s looks: a judge that looks every interval cannot act before the first
/// boundary at or after the moment the evidence exists, so its floor is the canary records
/// processed by that boundary, not the oracle's own count.
@Suite struct OracleAtLooksTests {
    /// Boundaries every 30 s from 100: an instant between two looks waits for the next one; an
    /// instant on a boundary is judged there (a sample on a boundary closes that interval).
    @Test func anInstantIsActedOnAtTheFirstBoundaryAtOrAfterIt() {
        let grid = IntervalGrid(start: 100, interval: 30)
        #expect(grid.firstBoundary(atOrAfter: 101) == 130)
        #expect(grid.firstBoundary(atOrAfter: 130) == 130)
        #expect(grid.firstBoundary(atOrAfter: 130.5) == 160)
    }

    /// On a 10× regression the oracle stops inside one report; the 30 s floor counts every canary
    /// record up to the next boundary: at least the oracle's records, less than one look more.
    @Test(arguments: [UInt64(21), 22, 23])
    func theFloorCountsTheCanaryRecordsUpToTheNextLook(seed: UInt64) throws {
        let scenario = FleetScenario(name: "looks", canaryAgents: 4, baselineAgents: 4, durationSeconds: 900, effect: .multiply(factor: 10))
        let stream = FleetSimulation(scenario: scenario).stream(seed: seed)
        var random = SplitMix64(seed: seed)
        let outcome = WaldOracle().run(stream.canaryReports, random: &random)
        #expect(outcome.alarmed)
        let time = try #require(outcome.time)
        let records = try #require(outcome.records)
        // The stopping record lies in the report that closed at `time`.
        #expect(stream.canaryRecords(through: time.nextDown) < records)
        #expect(records <= stream.canaryRecords(through: time))

        let grid = IntervalGrid(start: try #require(stream.observations.first).time, interval: 30)
        let boundary = grid.firstBoundary(atOrAfter: time)
        let floor = stream.canaryRecords(atFirstLookFrom: time, on: grid)
        #expect(floor == stream.canaryRecords(through: boundary))
        #expect(boundary - time < 30)
        #expect(floor >= records)
        #expect(floor <= stream.canaryRecords(through: time + 30))
    }
}
