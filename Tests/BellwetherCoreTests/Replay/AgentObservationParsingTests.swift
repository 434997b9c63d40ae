import BellwetherCore
import Testing

/// Live telemetry lines (`POST /api/v1/observations`) are replay lines whose cohort the
/// controller decides and whose time may be "now".
@Suite struct AgentObservationParsingTests {
    private func parse(_ text: String, now: Double = 1_000) throws(ReplayFormatError) -> [AgentObservation] {
        var copy = text
        do {
            return try copy.withUTF8 { bytes throws(ReplayFormatError) in try ReplayFile.agentObservations(in: bytes, defaultTime: now) }
        } catch let error as ReplayFormatError {
            throw error
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func timeDefaultsToNowAndCohortIsIgnoredWhateverItSays() throws {
        let observations = try parse(#"{"agent": "a1", "cohort": 42, "counters": {"records": 5}}"# + "\n" + #"{"time": 7, "agent": "a2", "counters": {"records": 1}}"#)
        #expect(observations.map(\.time) == [1_000, 7])
        #expect(observations.map(\.agent) == ["a1", "a2"])
    }

    @Test func theAgentAndSomeDataAreStillRequired() {
        #expect(throws: ReplayFormatError(line: 1, message: "missing \"agent\" (the agent's id)")) { try parse(#"{"counters": {"r": 1}}"#) }
        #expect(throws: ReplayFormatError(line: 2, message: "a line needs at least one of \"counters\", \"spans\" or \"histograms\"")) {
            try parse(#"{"agent": "a", "counters": {"r": 1}}"# + "\n" + #"{"agent": "a"}"#)
        }
    }
}
