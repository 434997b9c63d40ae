import Foundation
import Testing
@testable import BellwetherCore

@Suite struct PolicyExamplesTests {
    @Test func thereAreTheFourDocumentedExamples() throws {
        #expect(try examplePolicyFiles().map(\.lastPathComponent) == ["conservative.yaml", "demo-canary.yaml", "enrichment-canary.yaml", "hotfix.yaml", "trial-checks.yaml"])
    }

    @Test(arguments: try examplePolicyFiles())
    func everyExampleDecodes(_ file: URL) throws {
        let yaml = try String(contentsOf: file, encoding: .utf8)
        let policy = try PolicyDecoder.decode(yaml: yaml, file: file.lastPathComponent)
        #expect(policy.name + ".yaml" == file.lastPathComponent)
        #expect(yaml.hasPrefix("#"), "each example starts with a comment saying what it is for")
    }

    @Test func enrichmentCanaryIsTheDesignExamplePlusAThroughputCheck() throws {
        let policy = try decodeExample("enrichment-canary")
        #expect(policy.selector.labels == ["role": "collector"])
        #expect(policy.steps == [
            RolloutStep(cohort: "canary", percent: 1, bakeSeconds: 900),
            RolloutStep(cohort: "early", percent: 10, bakeSeconds: 1800),
            RolloutStep(cohort: "half", percent: 50, bakeSeconds: 3600),
            RolloutStep(cohort: "all", percent: 100),
        ])
        #expect(policy.analysis.checks.map(\.kind.keyword) == ["ratio", "spans", "histogram", "rate"])
        #expect(policy.analysis.checks[1].kind == .spans(
            name: "process_data_record",
            failedWhen: [.statusError, .attribute(key: "data.incomplete", value: .bool(true))]))
        #expect(policy.analysis.checks[2].kind == .histogram(metric: "agent.data.processing_duration_seconds", quantile: 0.99))
        #expect(policy.analysis.checks[2].onFail == .halt)
        #expect(policy.notify == [.webhook(url: "https://hooks.example.invalid/bellwether", secret: nil, format: .json)])
    }

    /// `bellwether demo`'s policy: enrichment-canary's four checks, on steps whose first cohort is
    /// big enough (20 of 200 agents) for every check to reach a verdict within its bake. The one
    /// difference: the demo's sampled traces leave 20 canaries a few hundred failed spans a bake,
    /// so its trace check tolerates half a percentage point.
    @Test func demoCanaryHasEnrichmentCanarysChecksOnStepsAFleetOf200CanJudge() throws {
        let policy = try decodeExample("demo-canary")
        let design = try decodeExample("enrichment-canary")
        var checks = policy.analysis.checks
        let trace = try #require(checks.firstIndex { $0.name == "trace-failure-ratio" })
        #expect(checks[trace].tolerance == Tolerance(absolute: 0.005))
        checks[trace].tolerance = Tolerance()
        #expect(checks == design.analysis.checks)
        #expect(policy.steps.map(\.percent) == [10, 25, 50, 100])
        #expect(policy.steps.allSatisfy { $0.percent == 100 || $0.bakeSeconds == 600 })
        #expect(policy.stratifyBy == "region")
        #expect(policy.steps[0].percent * 200 / 100 >= 10)
    }

    @Test func conservativeStratifiesByRegionAndHaltsOnLatency() throws {
        let policy = try decodeExample("conservative")
        #expect(policy.stratifyBy == "region")
        #expect(policy.analysis.alpha == 0.005)
        #expect(policy.steps.count > 4)
        let latency = policy.analysis.checks.filter { $0.kind.keyword == "histogram" }
        #expect(!latency.isEmpty && latency.allSatisfy { $0.onFail == .halt })
    }

    @Test func hotfixGoesStraightFromTenToEveryoneAndRollsBackOnFailures() throws {
        let policy = try decodeExample("hotfix")
        #expect(policy.steps.map(\.percent) == [10, 100])
        #expect(policy.analysis.checks.map(\.onFail) == [.rollback])
        #expect(policy.analysis.checks[0].kind.keyword == "ratio")
    }

    @Test func trialChecksEnforcesFailuresLetsThroughputContinuePausesOnLatencyAndRunsP50Dry() throws {
        let checks = try decodeExample("trial-checks").analysis.checks
        #expect(checks.map(\.name) == ["enrichment-failure-ratio", "trace-failure-ratio", "records-throughput", "processing-latency-p99", "processing-latency-p50"])
        #expect(checks.map(\.onInconclusive) == [nil, nil, .continue, .pause, nil])
        #expect(checks.map(\.isDryRun) == [false, false, false, false, true])
    }

    private func decodeExample(_ name: String) throws -> Policy {
        let file = policiesDirectory.appendingPathComponent("\(name).yaml")
        return try PolicyDecoder.decode(yaml: String(contentsOf: file, encoding: .utf8), file: file.path)
    }
}
