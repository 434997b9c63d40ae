import BellwetherCore
import Testing

/// A line is parsed with bounded recursion: hostile nesting is a clear error at the column where
/// the limit is crossed, never a stack overflow that takes `serve` or `analyze` down.
@Suite struct ReplayLineBoundsTests {
    private func parse(_ text: String) throws(ReplayFormatError) -> ReplayObservation {
        try ReplayLineParser.parse(text, line: 3)
    }

    private func line(unknownValue: String) -> String {
        #"{"time": 1, "agent": "a", "cohort": "canary", "x": "# + unknownValue + #", "counters": {"r": 1}}"#
    }

    @Test func nestingUpToTheLimitIsSkippedLikeAnyUnknownValue() throws {
        let levels = ReplayLineParser.maximumDepth - 1
        let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        #expect(try parse(line(unknownValue: nested)).counters == ["r": 1])
    }

    @Test func oneLevelTooDeepIsAnErrorAtTheBracketThatCrossesTheLimit() {
        let levels = ReplayLineParser.maximumDepth
        let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        let text = line(unknownValue: nested)
        let column = text.utf8.count - text.drop { $0 != "[" }.utf8.count + levels + 1
        #expect(throws: ReplayFormatError(line: 3, column: column, message: "values nest deeper than \(ReplayLineParser.maximumDepth) levels")) {
            try parse(text)
        }
    }

    @Test func twoHundredThousandOpenBracketsAreRejectedNotACrash() {
        let text = line(unknownValue: String(repeating: "[", count: 200_000))
        #expect(throws: ReplayFormatError.self) { try parse(text) }
        let objects = line(unknownValue: String(repeating: #"{"k":"#, count: 200_000))
        #expect(throws: ReplayFormatError.self) { try parse(objects) }
    }

    /// Found by FuzzObservations: the error about more failed spans than spans converted the
    /// counts to `Int`, which traps past Int.max; counts now stop at 2^53, and the error formats them.
    @Test func aFailedCountPastIntMaxIsAnErrorNotATrap() throws {
        let body = #"{"agent": "a", "spans": {"s": {"total": 0, "failed": 18888888888888888888888888888888888888888888}}}"#
        let error = #expect(throws: ReplayFormatError.self) { try observations(body) }
        #expect(error?.message == "spans.s.failed must be a whole number from 0 to 2^53, found 1.8888888888888888e+43", "\(error?.message ?? "")")
        let largest = #"{"agent": "a", "spans": {"s": {"total": 0, "failed": 9007199254740992}}}"#
        let exceeds = #expect(throws: ReplayFormatError.self) { try observations(largest) }
        #expect(exceeds?.message == "spans.s.failed (9.00719925474099e+15) exceeds total (0)", "\(exceeds?.message ?? "")")
    }

    @Test(arguments: [
        (#"{"agent": "a", "counters": {"r": 1e300}}"#, "counters.r is 1e+300, past the largest count, 2^53"),
        (#"{"agent": "a", "spans": {"s": {"total": 1e300, "failed": 0}}}"#, "spans.s.total must be a whole number from 0 to 2^53, found 1e+300"),
        (#"{"time": 1e300, "agent": "a", "counters": {"r": 1}}"#, "time 1e+300 is not seconds since the Unix epoch within ±10^11 s"),
    ])
    func countsAndTimesPastTheirBoundsAreErrors(body: String, message: String) {
        let error = #expect(throws: ReplayFormatError.self) { try observations(body) }
        #expect(error?.message == message, "\(error?.message ?? "")")
    }

    /// A live body, parsed as `POST /api/v1/observations` parses it.
    private func observations(_ text: String) throws(ReplayFormatError) -> [AgentObservation] {
        var copy = text
        do {
            return try copy.withUTF8 { bytes throws(ReplayFormatError) in try ReplayFile.agentObservations(in: bytes, defaultTime: 0) }
        } catch let error as ReplayFormatError {
            throw error
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func aLiveBodyWithADeepLineIsRejectedAtThatLine() {
        let body = #"{"agent": "a", "counters": {"r": 1}}"# + "\n" + #"{"agent": "b", "y": "# + String(repeating: "[", count: 100_000) + "}"
        let error = #expect(throws: ReplayFormatError.self) { try observations(body) }
        #expect(error?.line == 2)
        #expect(error?.message == "values nest deeper than \(ReplayLineParser.maximumDepth) levels")
    }
}
