import Testing
@testable import BellwetherCore

/// What an inconclusive verdict tells the operator: which way the data lean, and what would let
/// the check decide.
@Suite struct RateComparisonTextTests {
    private let comparison = RateComparison(direction: .higher, tolerance: Tolerance(relative: 0.1), alpha: 0.01, minAgents: 2)

    private func judge(canary: [EventCounts], baseline: [EventCounts], historySpread: Double? = nil) -> RateComparison.Outcome {
        let pair = IntervalPair(canary: canary.reduce(EventCounts(), +), baseline: baseline.reduce(EventCounts(), +))
        return comparison.judge(
            test: SequentialRateRatioTest(intervals: [pair]), canaryAgents: canary, baselineAgents: baseline,
            historySpread: historySpread, elapsed: 60
        )
    }

    @Test func aCanaryAlreadyBeyondTheToleranceSaysSoRatherThanWhatBlocksAPass() {
        let outcome = judge(
            canary: Array(repeating: EventCounts(events: 3, exposure: 1_000), count: 5),
            baseline: Array(repeating: EventCounts(events: 2, exposure: 1_000), count: 5)
        )
        #expect(outcome.verdict == .inconclusive)
        #expect(outcome.reason == "worse than the 1.1× tolerated so far, not yet beyond doubt")
        #expect(outcome.needed == nil)
    }

    /// Three agents a side whose rates differ thirty-fold: no traffic will rule out a 2.2×
    /// regression, and the verdict names what would.
    private let canary = [EventCounts(events: 100, exposure: 10_000), EventCounts(events: 10, exposure: 10_000), EventCounts(events: 300, exposure: 10_000)]
    private let baseline = [EventCounts(events: 150, exposure: 10_000), EventCounts(events: 20, exposure: 10_000), EventCounts(events: 250, exposure: 10_000)]

    @Test func withoutHistoryTheBlockerNamesHistoryAsTheRemedy() throws {
        let outcome = judge(canary: canary, baseline: baseline)
        #expect(outcome.verdict == .inconclusive)
        #expect(outcome.reason == "not enough evidence yet")
        let blocker = try #require(outcome.needed?.blocker)
        #expect(blocker.hasPrefix("agents differ too much for a pass to come at any traffic"))
        #expect(blocker.contains("each agent's history on the stable version"))
    }

    @Test func withHistoryTheBlockerAsksForMoreCanaryAgents() throws {
        let outcome = judge(canary: canary, baseline: baseline, historySpread: 0.01)
        let blocker = try #require(outcome.needed?.blocker)
        #expect(blocker.hasSuffix("more canary agents would"))
        #expect(!blocker.contains("history"))
    }
}
