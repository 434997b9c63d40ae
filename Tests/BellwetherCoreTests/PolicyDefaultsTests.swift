import Testing
@testable import BellwetherCore

@Suite struct PolicyDefaultsTests {
    let policy: Policy

    init() throws {
        policy = try PolicyDecoder.decode(yaml: minimalPolicy, file: "p.yaml")
    }

    @Test func analysisLooksEveryThirtySecondsAtAlphaOnePercentAndHaltsWithoutData() {
        #expect(policy.analysis.intervalSeconds == 30)
        #expect(policy.analysis.alpha == 0.01)
        #expect(policy.analysis.onNoData == .halt)
        #expect(policy.analysis.minAgentsPerCohort == 2)
    }

    @Test func checksGuardAgainstHigherValuesAndRollBack() {
        let check = policy.analysis.checks[0]
        #expect(check.kind == .ratio(numerator: "a", denominator: "b"))
        #expect(check.worseWhen == .higher)
        #expect(check.onFail == .rollback)
        #expect(check.tolerance == Tolerance())
        #expect(check.filter.isEmpty)
        #expect(check.designFactor == nil)
        #expect(check.effectiveDesignFactor == 2)
        #expect(check.onInconclusive == nil && policy.analysis.onInconclusive == nil, "halt, the engine's default")
        #expect(!check.isDryRun)
    }

    @Test func agentsGetTenMinutesToConvergeAndNinetyPercentMust() {
        #expect(policy.convergence == ConvergenceSpec(timeoutSeconds: 600, minFraction: 0.9, onFail: .halt))
    }

    @Test func everyAgentIsSelectedAndNobodyIsNotified() {
        #expect(policy.selector.labels.isEmpty)
        #expect(policy.stratifyBy == nil)
        #expect(policy.notify.isEmpty)
    }

    @Test func theLastStepNeedsNoBake() {
        #expect(policy.steps.map(\.bakeSeconds) == [900, nil])
    }

    @Test func spansFailOnErrorStatusOrExceptionUnlessToldOtherwise() throws {
        let yaml = minimalPolicy.replacingOccurrences(
            of: "ratio: {numerator: a, denominator: b}", with: "spans: {name: process_data_record}")
        let check = try PolicyDecoder.decode(yaml: yaml, file: "p.yaml").analysis.checks[0]
        #expect(check.kind == .spans(name: "process_data_record", failedWhen: [.statusError, .exception]))
    }

    @Test func webhooksPostJSONUnlessToldOtherwise() throws {
        let yaml = minimalPolicy + "notify:\n  - webhook: {url: https://hooks.example.invalid/x}\n"
        let notify = try PolicyDecoder.decode(yaml: yaml, file: "p.yaml").notify
        #expect(notify == [.webhook(url: "https://hooks.example.invalid/x", secret: nil, format: .json)])
    }
}
