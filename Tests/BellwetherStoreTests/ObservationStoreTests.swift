import BellwetherCore
import Testing
@testable import BellwetherStore

@Suite struct ObservationStoreTests {
    let store: BellwetherStore

    init() throws {
        store = try .inMemory()
    }

    private func observation(_ agent: String, _ time: Double, records: Double) -> AgentObservation {
        AgentObservation(
            agent: agent, time: time, version: "2.4.0",
            counters: ["agent.data.records_processed_total": records],
            spans: ["process_data_record": SpanCounts(total: 10, failed: 1)],
            histograms: ["latency": HistogramCounts(bounds: [0.1, 1], counts: [5, 4, 1], count: 10, sum: 3.5)]
        )
    }

    @Test func observationsComeBackWholeInTimeOrderForTheAgentsAsked() throws {
        // Given reports from two agents, recorded out of order
        try store.recordObservations([observation("b", 20, records: 7), observation("a", 10, records: 5), observation("a", 30, records: 9)])
        // When one agent's window is read
        let window = try store.observations(agents: ["a"], from: 0, through: 30)
        // Then its reports come back intact, oldest first
        #expect(window == [observation("a", 10, records: 5), observation("a", 30, records: 9)])
        #expect(try store.observations(from: 10, through: 20).map(\.agent) == ["b"], "the window excludes its start")
    }

    @Test func pruningDropsOnlyOldReports() throws {
        try store.recordObservations([observation("a", 10, records: 1), observation("a", 20, records: 2)])
        #expect(try store.pruneObservations(before: 15) == 1)
        #expect(try store.observations(from: 0, through: 100).map(\.time) == [20])
    }
}
