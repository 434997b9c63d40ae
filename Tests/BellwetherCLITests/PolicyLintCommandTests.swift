import BellwetherTestSupport
import Foundation
import Testing

/// `bellwether policy lint` as an operator runs it: the real binary, its exit status, both streams.
@Suite struct PolicyLintCommandTests {
    static let policies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    @Test func theExamplePoliciesAreValid() throws {
        let files = ["enrichment-canary", "conservative", "hotfix"].map { Self.policies.appendingPathComponent("\($0).yaml").path }
        let result = try bellwether.run(["policy", "lint"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("enrichment-canary.yaml: ok (4 steps, 4 checks)"))
        #expect(result.stdout.contains("hotfix.yaml: ok (2 steps, 1 check)"))
    }

    @Test func aMalformedPolicyExitsTwoAndPointsAtTheLine() throws {
        let file = try temporaryPolicy("name: p\nsteps:\n  - {cohort: all, percent: ten}\nanalysis: {checks: []}\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try bellwether.run(["policy", "lint", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):3:28: error: steps[0].percent: must be a number, found 'ten'"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file):4:20: error: analysis.checks:"), "\(result.stderr)")
    }

    @Test func anUnreadableFileExitsTwoAndSaysSo() throws {
        let result = try bellwether.run(["policy", "lint", "/nonexistent/policy.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/policy.yaml: error: no such file"))
    }

    @Test func jsonOutputGivesEveryFileItsVerdict() throws {
        let bad = try temporaryPolicy("name: p\nstepz: []\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let good = Self.policies.appendingPathComponent("hotfix.yaml").path
        let result = try bellwether.run(["policy", "lint", "--output", "json", good, bad])
        #expect(result.status == 2)
        let reports = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.map { $0["file"] as? String } == [good, bad])
        #expect(reports.map { $0["valid"] as? Bool } == [true, false])
        let diagnostics = try #require(reports[1]["diagnostics"] as? [[String: Any]])
        let misspelt = try #require(diagnostics.first { $0["field"] as? String == "stepz" })
        #expect(misspelt["line"] as? Int == 2)
        #expect(misspelt["column"] as? Int == 1)
        #expect((misspelt["message"] as? String)?.contains("did you mean 'steps'?") == true)
    }

    private func temporaryPolicy(_ yaml: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
