import Foundation
import Testing
@testable import BellwetherCore

/// The engine's decisions on small, exact streams: every agent reports every 10 s.
@Suite struct AnalysisEngineTests {
    static let records = "agent.data.records_processed_total"
    static let failures = "agent.data.enrichment_failures_total"

    static func policy(bake: Double = 300, onNoData: FailureAction = .halt, onFail: FailureAction = .rollback, designFactor: Double? = nil) -> Policy {
        Policy(
            name: "test",
            steps: [RolloutStep(cohort: "canary", percent: 10, bakeSeconds: bake), RolloutStep(cohort: "all", percent: 100)],
            analysis: AnalysisSpec(
                intervalSeconds: 30, alpha: 0.01,
                checks: [Check(name: "failures", kind: .ratio(numerator: failures, denominator: records), tolerance: Tolerance(relative: 0.1), onFail: onFail, designFactor: designFactor)],
                onNoData: onNoData
            )
        )
    }

    /// Runs a stream where agent i of each cohort processes `perReport` records per report with
    /// the cohort's failure rate, for `seconds`, through the replay driver.
    static func run(
        policy: Policy = policy(),
        seconds: Double,
        canaryRate: Double,
        baselineRate: Double = 0.01,
        agents: Int = 4,
        perReport: Double = 200,
        silence: (CohortRole, ClosedRange<Double>)? = nil
    ) -> [ReplayAnalysis.Output] {
        var replay = ReplayAnalysis(policy: policy, step: 0)
        var cumulative: [String: (records: Double, failures: Double)] = [:]
        var outputs: [ReplayAnalysis.Output] = []
        var line = 0
        for tick in stride(from: 0.0, through: seconds, by: 10) {
            for cohort in CohortRole.allCases {
                if let silence, silence.0 == cohort, silence.1.contains(tick) { continue }
                for index in 0..<agents {
                    let id = "\(cohort.rawValue)-\(index)"
                    let rate = cohort == .canary ? canaryRate : baselineRate
                    var totals = cumulative[id] ?? (0, 0)
                    totals.records += perReport
                    totals.failures += (perReport * rate).rounded()
                    cumulative[id] = totals
                    var observation = ReplayObservation(time: 1_000 + tick, agent: id, cohort: cohort)
                    observation.counters = [records: totals.records, failures: totals.failures]
                    line += 1
                    outputs += try! replay.ingest(observation, line: line)
                }
            }
        }
        return outputs + replay.finish()
    }

    static func decision(_ outputs: [ReplayAnalysis.Output]) -> StepDecision? {
        outputs.compactMap { if case .decision(let d) = $0 { d } else { nil } }.last
    }

    static func verdicts(_ outputs: [ReplayAnalysis.Output]) -> [CheckVerdict] {
        outputs.compactMap { if case .verdict(let v) = $0 { v } else { nil } }
    }

    @Test func aCanaryFailingFiveTimesAsOftenIsRolledBackByItsCheck() throws {
        let decision = try #require(Self.decision(Self.run(seconds: 600, canaryRate: 0.05)))
        #expect(decision.decision == .rollback)
        #expect(decision.check == "failures")
        #expect(decision.time < 1_000 + 120, "800 canary records an interval at 5% against 1% decide within a few intervals")
    }

    @Test func aHaltingCheckHalts() {
        #expect(Self.decision(Self.run(policy: Self.policy(onFail: .halt), seconds: 600, canaryRate: 0.05))?.decision == .halt)
    }

    @Test func aHealthyCanaryPromotesWhenTheBakeEnds() throws {
        let outputs = Self.run(seconds: 600, canaryRate: 0.01)
        let decision = try #require(Self.decision(outputs))
        #expect(decision.decision == .promote)
        #expect(decision.time == 1_000 + 300)
        #expect(Self.verdicts(outputs).last?.verdict == .pass)
    }

    /// The common case: nothing fails on either side, so there is no ratio to bound. The canary's
    /// own rate is confidently under the 0.1% floor after ~4,400 records, and it promotes when
    /// the bake ends instead of halting inconclusive.
    @Test func aFleetWhereNothingFailsPassesOnTheAbsoluteFloor() throws {
        let outputs = Self.run(seconds: 600, canaryRate: 0, baselineRate: 0)
        let decision = try #require(Self.decision(outputs))
        #expect(decision.decision == .promote)
        let last = try #require(Self.verdicts(outputs).last)
        #expect(last.verdict == .pass)
        #expect(last.detail.contains("rule out a rate above the 0.1% floor"), "\(last.detail)")
    }

    /// The floor only lets through what is under it: a canary failing 0.5% of records beside a
    /// baseline that fails none is never passed by it.
    @Test func aCanaryFailingAboveTheFloorBesideAFlawlessBaselineIsNotPromoted() throws {
        let outputs = Self.run(seconds: 600, canaryRate: 0.003, baselineRate: 0)
        let decision = try #require(Self.decision(outputs))
        #expect(decision.decision == .rollback)
        #expect(!Self.verdicts(outputs).contains { $0.verdict == .pass })
    }

    /// A policy's own absolute tolerance is the floor: at 1% the same canary passes.
    @Test func anAbsoluteToleranceIsTheFloor() throws {
        var policy = Self.policy()
        policy.analysis.checks[0].tolerance = Tolerance(relative: 0.1, absolute: 0.01)
        let outputs = Self.run(policy: policy, seconds: 600, canaryRate: 0.003, baselineRate: 0)
        #expect(Self.decision(outputs)?.decision == .promote)
    }

    /// A canary 25% worse than its baseline, beyond the 10% tolerance but short of proof: the
    /// default design size (2 × 1.1 = 2.2×) is ruled out, so it promotes; a check that must keep
    /// regressions of 1.2 × 1.1 = 1.32× from promoting cannot rule that out and halts instead.
    @Test func theDesignFactorSetsTheSmallestRegressionAPassRulesOut() throws {
        let lenient = Self.run(seconds: 300, canaryRate: 0.0125, perReport: 400)
        #expect(Self.decision(lenient)?.decision == .promote)
        #expect(Self.verdicts(lenient).last?.designRatio.map { abs($0 - 2.2) < 1e-9 } == true)

        let strict = Self.run(policy: Self.policy(designFactor: 1.2), seconds: 300, canaryRate: 0.0125, perReport: 400)
        let decision = try #require(Self.decision(strict))
        #expect(decision.decision == .halt)
        #expect(decision.reason.contains("inconclusive"))
        let last = try #require(Self.verdicts(strict).last)
        #expect(last.verdict == .inconclusive)
        #expect(last.designRatio.map { abs($0 - 1.32) < 1e-9 } == true)
        #expect((last.ratio ?? 0) > 1.2 && (last.ratio ?? 0) < 1.3)
    }

    @Test func theStreamEndingBeforeTheBakeIsInconclusive() {
        let decision = Self.decision(Self.run(seconds: 120, canaryRate: 0.01))
        #expect(decision?.decision == .inconclusive)
        #expect(decision?.check == nil)
    }

    @Test func aCohortFallingSilentForAWholeIntervalAppliesOnNoData() throws {
        let outputs = Self.run(policy: Self.policy(onNoData: .rollback), seconds: 600, canaryRate: 0.01, silence: (.canary, 60...100))
        let decision = try #require(Self.decision(outputs))
        #expect(decision.decision == .rollback)
        #expect(decision.check == nil)
        #expect(decision.reason.contains("no data from the canary cohort"))
    }

    @Test func aCohortThatNeverSendsIsNoDataAfterTwoIntervals() throws {
        let decision = try #require(Self.decision(Self.run(seconds: 600, canaryRate: 0.01, silence: (.baseline, 0...600))))
        #expect(decision.decision == .halt)
        #expect(decision.reason.contains("no data from the baseline cohort within two intervals"))
        #expect(decision.time == 1_000 + 60)
    }

    @Test func tooLittleDataAtTheEndOfTheBakeHaltsOnTheInconclusiveCheckNotAPromotion() throws {
        // 2 records a report: a 2× regression cannot be ruled out in five minutes.
        let decision = try #require(Self.decision(Self.run(seconds: 600, canaryRate: 0.01, perReport: 2)))
        #expect(decision.decision == .halt)
        #expect(decision.check == "failures")
        #expect(decision.onInconclusive == .halt, "the default")
        #expect(decision.reason.contains("ended with check failures inconclusive"), "\(decision.reason)")
    }

    @Test func oneAgentPerCohortIsInconclusiveNeverAPass() {
        let verdicts = Self.verdicts(Self.run(seconds: 200, canaryRate: 0.01, agents: 1))
        #expect(!verdicts.isEmpty)
        #expect(verdicts.allSatisfy { $0.verdict == .inconclusive })
        #expect(verdicts.first?.detail.contains("at least 2 are needed") == true)
    }

    @Test func inconclusiveVerdictsSayWhatIsStillNeeded() throws {
        let verdict = try #require(Self.verdicts(Self.run(seconds: 40, canaryRate: 0.01, perReport: 20)).first)
        #expect(verdict.verdict == .inconclusive)
        let needed = try #require(verdict.needed)
        #expect((needed.canaryExposure ?? 0) > 0)
        #expect((needed.seconds ?? 0) > 0)
    }

    @Test func counterResetsDoNotLookLikeRegressions() throws {
        var replay = ReplayAnalysis(policy: Self.policy(), step: 0)
        var outputs: [ReplayAnalysis.Output] = []
        var line = 0
        for tick in stride(from: 0.0, through: 600, by: 10) {
            for cohort in CohortRole.allCases {
                for index in 0..<4 {
                    // Canary agents restart every 100 s: their counters start again from zero.
                    let age = cohort == .canary ? tick.truncatingRemainder(dividingBy: 100) + 10 : tick + 10
                    var observation = ReplayObservation(time: 2_000 + tick, agent: "\(cohort)-\(index)", cohort: cohort)
                    observation.counters = [Self.records: age * 20, Self.failures: age * 0.2]
                    line += 1
                    outputs += try replay.ingest(observation, line: line)
                }
            }
        }
        outputs += replay.finish()
        #expect(Self.decision(outputs)?.decision == .promote)
    }
}
