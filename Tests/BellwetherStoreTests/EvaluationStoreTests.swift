import BellwetherCore
import Testing
@testable import BellwetherStore

/// The controller's judgement at each boundary is kept once, and read back whole.
@Suite struct EvaluationStoreTests {
    let store: BellwetherStore

    init() throws {
        store = try Fixtures.storeWithRollout()
    }

    private func evaluation(boundary: Int, windowStart: Double = 1_700_000_000, decision: StepDecision? = nil, problem: String? = nil) -> RolloutEvaluation {
        var verdict = CheckVerdict(
            time: windowStart + Double(boundary) * 30, check: "enrichment-failure-ratio", verdict: .inconclusive,
            canary: CohortSummary(value: 0.01, n: 900, agents: 4),
            baseline: CohortSummary(value: 0, n: 900, agents: 4),
            detail: "not enough data yet"
        )
        verdict.ratio = .infinity
        return RolloutEvaluation(
            rolloutID: "r1", step: 0, windowStart: windowStart, boundary: boundary, time: windowStart + Double(boundary) * 30,
            verdicts: problem == nil ? [verdict] : [], decision: decision, problem: problem
        )
    }

    @Test func evaluationsComeBackWholeInTheOrderTheyWereRecorded() throws {
        // Given two boundaries, one decided, one with an infinite ratio in its evidence
        let decided = evaluation(boundary: 2, decision: StepDecision(decision: .promote, time: 1_700_000_060, check: nil, reason: "baked"))
        try store.recordEvaluation(evaluation(boundary: 1))
        try store.recordEvaluation(decided)

        // Then both come back as written, the latest last
        #expect(try store.evaluations(rolloutID: "r1") == [evaluation(boundary: 1), decided])
        #expect(try store.latestEvaluation(rolloutID: "r1") == decided)
        #expect(try store.latestEvaluation(rolloutID: "other") == nil)
    }

    @Test func aBoundaryIsRecordedOnceAndTheFirstJudgementStands() throws {
        // Given a boundary recorded as unreadable
        #expect(try store.recordEvaluation(evaluation(boundary: 1, problem: "connection refused")))

        // When the same boundary of the same window is recorded again
        let again = try store.recordEvaluation(evaluation(boundary: 1))

        // Then nothing is written, and the first judgement stands
        #expect(!again)
        #expect(try store.evaluations(rolloutID: "r1").map(\.problem) == ["connection refused"])
        // But the same boundary of a new window (a resumed step) is a new evaluation
        #expect(try store.recordEvaluation(evaluation(boundary: 1, windowStart: 1_700_000_600)))
    }
}
