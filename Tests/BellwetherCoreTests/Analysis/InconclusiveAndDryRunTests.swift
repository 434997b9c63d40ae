import Testing
@testable import BellwetherCore

/// What a check that cannot decide does at the end of the bake (`onInconclusive`), and a check
/// that only reports (`dryRun`): on the exact streams of `AnalysisEngineTests`.
@Suite struct InconclusiveAndDryRunTests {
    typealias Streams = AnalysisEngineTests

    static let failures = Check(
        name: "failures", kind: .ratio(numerator: Streams.failures, denominator: Streams.records), tolerance: Tolerance(relative: 0.1)
    )
    /// A check nobody sends data for.
    static let latency = Check(name: "latency", kind: .histogram(metric: "agent.unsent_duration_seconds", quantile: 0.99))

    static func policy(_ checks: [Check], onInconclusive: InconclusiveAction? = nil) -> Policy {
        var policy = Streams.policy()
        policy.analysis.checks = checks
        policy.analysis.onInconclusive = onInconclusive
        return policy
    }

    static func with(_ check: Check, onInconclusive: InconclusiveAction? = nil, dryRun: Bool? = nil) -> Check {
        var check = check
        check.onInconclusive = onInconclusive
        check.dryRun = dryRun
        return check
    }

    /// Two records a report: five minutes cannot rule out a 2× regression, so "failures" ends
    /// the bake inconclusive.
    static func thin(_ policy: Policy) throws -> StepDecision {
        try #require(Streams.decision(Streams.run(policy: policy, seconds: 600, canaryRate: 0.01, perReport: 2)))
    }

    @Test func continuePromotesAndSaysWhichCheckItDidNotKnow() throws {
        let decision = try Self.thin(Self.policy([Self.with(Self.failures, onInconclusive: .continue)]))
        #expect(decision.decision == .promote)
        #expect(decision.check == "failures")
        #expect(decision.onInconclusive == .continue)
        #expect(decision.time == 1_000 + 300, "at the end of the bake, not before")
        #expect(decision.reason.contains("failures still inconclusive, promoted as onInconclusive: continue says"), "\(decision.reason)")
    }

    @Test func pauseHaltsForAnOperator() throws {
        let decision = try Self.thin(Self.policy([Self.with(Self.failures, onInconclusive: .pause)]))
        #expect(decision.decision == .halt)
        #expect(decision.check == "failures")
        #expect(decision.onInconclusive == .pause)
    }

    @Test func aChecksOwnActionOverridesThePolicys() throws {
        let decision = try Self.thin(Self.policy([Self.with(Self.failures, onInconclusive: .halt)], onInconclusive: .continue))
        #expect(decision.decision == .halt)
        #expect(decision.onInconclusive == .halt)
        let inherited = try Self.thin(Self.policy([Self.failures], onInconclusive: .continue))
        #expect(inherited.decision == .promote)
    }

    @Test func theStrictestOfSeveralInconclusiveChecksActs() throws {
        var second = Self.with(Self.failures, onInconclusive: .pause)
        second.name = "failures-again"
        let decision = try Self.thin(Self.policy([Self.with(Self.failures, onInconclusive: .continue), second]))
        #expect(decision.decision == .halt)
        #expect(decision.check == "failures-again")
        #expect(decision.onInconclusive == .pause)
    }

    /// Never promote on missing data: a check a cohort sent nothing for is `onNoData`, however
    /// lenient its `onInconclusive`.
    @Test func aCheckWithNoDataFromACohortIsMissingDataNotInconclusive() throws {
        var policy = Self.policy([Self.failures, Self.with(Self.latency, onInconclusive: .continue)])
        policy.analysis.onNoData = .rollback
        let decision = try #require(Streams.decision(Streams.run(policy: policy, seconds: 600, canaryRate: 0.01)))
        #expect(decision.decision == .rollback, "onNoData")
        #expect(decision.check == nil)
        #expect(decision.onInconclusive == nil)
        #expect(decision.reason.contains("no data for check latency from the canary cohort"), "\(decision.reason)")
    }

    /// Said at the first looks, not at the bake's end: whether a pass can come in the time left.
    @Test func anInconclusiveVerdictSaysWhetherThePassCanComeBeforeTheBakeEnds() throws {
        let policy = Self.policy([Self.with(Self.failures, onInconclusive: .continue)])
        let thin = try #require(Streams.verdicts(Streams.run(policy: policy, seconds: 30, canaryRate: 0.01, perReport: 2)).first)
        #expect(thin.verdict == .inconclusive)
        #expect(thin.detail.contains("a pass needs about"), "\(thin.detail)")
        #expect(thin.detail.contains("but the bake has 4m30s left: unless the data changes, it ends inconclusive (onInconclusive: continue)"), "\(thin.detail)")

        let ample = try #require(Streams.verdicts(Streams.run(policy: policy, seconds: 30, canaryRate: 0.01, perReport: 100)).first)
        #expect(ample.verdict == .inconclusive)
        #expect(ample.detail.hasSuffix("; the bake has 4m30s left"), "\(ample.detail)")
    }

    @Test func aFailingDryRunCheckIsReportedButNeverActedOn() throws {
        var guarded = Self.failures
        guarded.name = "failures-enforced"
        guarded.tolerance = Tolerance(relative: 10)
        let policy = Self.policy([Self.with(Self.failures, dryRun: true), guarded])
        let outputs = Streams.run(policy: policy, seconds: 600, canaryRate: 0.05)
        let dryRun = Streams.verdicts(outputs).filter { $0.check == "failures" }
        #expect(dryRun.contains { $0.verdict == .fail }, "judged like any check: 5× the baseline's failures")
        #expect(dryRun.allSatisfy { $0.dryRun == true })
        #expect(Streams.verdicts(outputs).filter { $0.check == "failures-enforced" }.allSatisfy { $0.dryRun == nil })
        let decision = try #require(Streams.decision(outputs))
        #expect(decision.decision == .promote, "the enforced check tolerates 11×: \(decision.reason)")
        #expect(decision.time == 1_000 + 300)
    }

    @Test func anInconclusiveDryRunCheckDoesNotHoldThePromotion() throws {
        let policy = Self.policy([Self.failures, Self.with(Self.latency, onInconclusive: .halt, dryRun: true)])
        let decision = try #require(Streams.decision(Streams.run(policy: policy, seconds: 600, canaryRate: 0.01)))
        #expect(decision.decision == .promote, "\(decision.reason)")
    }
}
