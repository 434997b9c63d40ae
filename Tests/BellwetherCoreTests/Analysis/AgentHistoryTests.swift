import Foundation
import Testing
@testable import BellwetherCore

@Suite struct AgentHistoryTests {
    /// Agents whose true failure rates are `rates`, each seen over `records` records.
    private func history(_ rates: [Double], records: Double, rng: inout SplitMix64) -> [String: EventCounts] {
        Dictionary(uniqueKeysWithValues: rates.enumerated().map { index, rate in
            ("agent-\(index)", EventCounts(events: rng.poisson(records * rate), exposure: records))
        })
    }

    @Test func agentsThatDoNotDifferAreLeftAlone() {
        var rng = SplitMix64(seed: 1)
        let identical = AgentHistory(totals: history(Array(repeating: 0.01, count: 40), records: 50_000, rng: &rng))
        // With no between-agent variance beyond chance, any multiplier left is within a few
        // percent of 1 (the moment estimate of σ² is near zero, so the prior dominates).
        for agent in (0..<40).map({ "agent-\($0)" }) {
            #expect(abs(identical.multiplier(for: agent) - 1) < 0.05)
        }
    }

    @Test func muchHistoryGivesEachAgentItsOwnRate() {
        var rng = SplitMix64(seed: 2)
        let rates = (0..<30).map { _ in 0.01 * exp(0.7 * rng.normal() - 0.245) }
        let fleet = AgentHistory(totals: history(rates, records: 1_000_000, rng: &rng))
        let mean = rates.reduce(0, +) / Double(rates.count)
        // 10,000 events an agent: its own relative rate to within 5%.
        for (index, rate) in rates.enumerated() {
            let multiplier = fleet.multiplier(for: "agent-\(index)")
            #expect(abs(multiplier / (rate / mean) - 1) < 0.05)
        }
        #expect(fleet.variation > 0.4)
    }

    /// One agent with about one failure expected and none seen, three with thousands of events.
    private static let quietAndBusy = [
        "quiet": EventCounts(events: 0, exposure: 100),
        "busy-a": EventCounts(events: 2_000, exposure: 100_000),
        "busy-b": EventCounts(events: 500, exposure: 100_000),
        "busy-c": EventCounts(events: 1_000, exposure: 100_000),
    ]

    @Test func littleHistoryIsPulledTowardsTheFleet() {
        let fleet = AgentHistory(totals: Self.quietAndBusy)
        // About one failure expected and none seen says little: the quiet agent stays within a
        // factor of two of the fleet's rate rather than being taken for an agent that never fails.
        #expect(fleet.multiplier(for: "quiet") > 0.5)
        #expect(fleet.multiplier(for: "busy-a") > 1.5)
        #expect(fleet.multiplier(for: "busy-b") < 0.6)
        #expect(fleet.multiplier(for: "never-seen") == 1)
    }

    @Test func whatHistoryLeavesUnexplainedShrinksWithTheAgentsOwnData() {
        let fleet = AgentHistory(totals: Self.quietAndBusy)
        let variance = fleet.variation * fleet.variation
        // An agent with thousands of events is known to within a few percent; one with none is
        // almost as uncertain as the fleet's spread; one never seen is exactly that uncertain.
        #expect(fleet.residualVariance(for: "busy-b") < 0.01 * variance)
        #expect(fleet.residualVariance(for: "quiet") > 0.9 * variance)
        #expect(fleet.residualVariance(for: "never-seen") == variance)
        // One canary agent that is all its cohort's exposure, against three even baseline agents.
        let spread = fleet.residualSpread(
            canary: ["quiet": EventCounts(events: 1, exposure: 10)],
            baseline: ["busy-a": EventCounts(events: 1, exposure: 10), "busy-b": EventCounts(events: 1, exposure: 10), "busy-c": EventCounts(events: 1, exposure: 10)]
        )
        let expected = fleet.residualVariance(for: "quiet")
            + ["busy-a", "busy-b", "busy-c"].reduce(0) { $0 + fleet.residualVariance(for: $1) / 9 }
        #expect(abs(spread - expected.squareRoot()) < 1e-12)
    }

    @Test func aFleetWhoseAgentsDoNotDifferLeavesNothingUnexplained() {
        var rng = SplitMix64(seed: 3)
        let identical = AgentHistory(totals: history(Array(repeating: 0.01, count: 40), records: 50_000, rng: &rng))
        let step = ["agent-0": EventCounts(events: 5, exposure: 500)]
        #expect(identical.adjusts ? identical.residualSpread(canary: step, baseline: step) < 0.05 : identical.residualSpread(canary: step, baseline: step) == 0)
    }

    @Test func anEngineGivenHistoryReportsRawValuesButComparesAgentsWithThemselves() {
        // Two canary agents and two baseline agents; the canary agents fail four times as often
        // as the baseline ones on the stable version already, and exactly as often in the step.
        let check = Check(name: "enrichment", kind: .ratio(numerator: "failures", denominator: "records"), tolerance: Tolerance(relative: 0.1))
        let policy = Policy(
            name: "history", selector: AgentSelector(), steps: [RolloutStep(cohort: "canary", percent: 10, bakeSeconds: 600)],
            analysis: AnalysisSpec(intervalSeconds: 30, checks: [check])
        )
        var engine = AnalysisEngine(policy: policy, step: 0, start: 0)
        let agents: [(String, CohortRole, Double)] = [("c1", .canary, 0.04), ("c2", .canary, 0.04), ("b1", .baseline, 0.01), ("b2", .baseline, 0.01)]
        for (agent, cohort, rate) in agents {
            engine.ingestHistory(AgentSample(agent: agent, cohort: cohort, time: 0, coveredSeconds: 3_600, counters: ["records": 100_000, "failures": 100_000 * rate]))
        }
        for tick in 1...20 {
            for (agent, cohort, rate) in agents {
                engine.ingest(AgentSample(agent: agent, cohort: cohort, time: Double(tick) * 30, coveredSeconds: 30, counters: ["records": 1_000, "failures": 1_000 * rate]))
            }
        }
        let verdict = engine.evaluate(20).verdicts[0]
        // The cohorts' values are what they reported; the comparison is each agent against itself.
        #expect(abs((verdict.canary.value ?? 0) - 0.04) < 1e-9)
        #expect(abs((verdict.baseline.value ?? 0) - 0.01) < 1e-9)
        #expect(verdict.verdict != .fail)
        #expect(abs((verdict.ratio ?? 0) - 1) < 0.05)
    }
}
