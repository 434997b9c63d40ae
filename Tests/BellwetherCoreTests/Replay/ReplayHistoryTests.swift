import Foundation
import Testing
@testable import BellwetherCore

/// `analyze --step-start`: lines before the step are the agents' history on the stable version,
/// so a back-test compares each agent with itself as the controller does live.
@Suite struct ReplayHistoryTests {
    static let records = AnalysisEngineTests.records
    static let failures = AnalysisEngineTests.failures
    static let t0 = 1_000.0
    static let stepStart = t0 + 3_600

    /// An hour on the stable version, then ten minutes of the step, every agent reporting every
    /// 10 s: canary agents fail 3% of their records and baseline agents 1%, before and during the
    /// step alike — they see pickier data; the new version changes nothing.
    static func lines() -> [ReplayObservation] {
        var cumulative: [String: (records: Double, failures: Double)] = [:]
        var lines: [ReplayObservation] = []
        for tick in stride(from: 0.0, through: 3_600 + 600, by: 10) {
            for cohort in CohortRole.allCases {
                for index in 0..<4 {
                    let id = "\(cohort.rawValue)-\(index)"
                    let rate = cohort == .canary ? 0.03 : 0.01
                    var totals = cumulative[id] ?? (0, 0)
                    totals.records += 200
                    totals.failures += 200 * rate
                    cumulative[id] = totals
                    let time = t0 + tick + Double((cohort == .canary ? 0 : 4) + index) / 10
                    var line = ReplayObservation(time: time, agent: id, cohort: cohort, version: time < stepStart || cohort == .baseline ? "2.3.1" : "2.4.0")
                    line.counters = [records: totals.records, failures: totals.failures]
                    lines.append(line)
                }
            }
        }
        return lines
    }

    static func decision(stepStart: Double?) throws -> StepDecision? {
        var replay = ReplayAnalysis(policy: AnalysisEngineTests.policy(bake: 300), step: 0, stepStart: stepStart)
        for (number, line) in lines().enumerated() { _ = try replay.ingest(line, line: number + 1) }
        _ = replay.finish()
        return replay.decision
    }

    @Test func withoutHistoryAgentsThatSeePickierDataLookLikeARegression() throws {
        #expect(try Self.decision(stepStart: nil)?.decision == .rollback)
    }

    @Test func withTheHourBeforeTheStepAsHistoryEachAgentIsComparedWithItselfAndThePromotionHolds() throws {
        let decision = try #require(try Self.decision(stepStart: Self.stepStart))
        #expect(decision.decision == .promote, "\(decision.reason)")
        #expect(decision.time == Self.stepStart + 300, "the bake counts from the step's start, not from the first line")
    }
}
