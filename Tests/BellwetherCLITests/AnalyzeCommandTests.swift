import BellwetherTestSupport
import Foundation
import Testing

/// `bellwether analyze` as the replay interface specifies it: JSON Lines in, verdict lines and one
/// decision out, exit 2 with the line number on malformed input.
@Suite struct AnalyzeCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policy = root.appendingPathComponent("policies/enrichment-canary.yaml").path
    static let example = root.appendingPathComponent("docs/replay-example.jsonl").path

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    private func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private func temporary(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("observations-\(UUID()).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theExampleCanaryWithFiveTimesTheFailuresIsRolledBack() throws {
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", Self.example])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try lines(result.stdout)
        let decision = try #require(output.last)
        #expect(decision["decision"] as? String == "rollback")
        #expect(decision["check"] as? String == "enrichment-failure-ratio")
        #expect(decision["time"] as? Double == 1764000060.942)
        let verdicts = output.dropLast()
        #expect(verdicts.count % 4 == 0, "one line per check per evaluation")
        for verdict in verdicts {
            #expect(["pass", "fail", "inconclusive"].contains(verdict["verdict"] as? String))
            let canary = try #require(verdict["canary"] as? [String: Any])
            #expect(canary["n"] is Double && canary["agents"] as? Int == 3)
            #expect(verdict["detail"] is String && verdict["time"] is Double)
            if let lower = verdict["ratioLower"] as? Double, let upper = verdict["ratioUpper"] as? Double {
                #expect(lower <= upper)
            }
        }
        // Bounds on the difference bracket the observed difference of the failing check.
        let failing = try #require(verdicts.first { $0["verdict"] as? String == "fail" })
        let canaryValue = try #require((failing["canary"] as? [String: Any])?["value"] as? Double)
        let baselineValue = try #require((failing["baseline"] as? [String: Any])?["value"] as? Double)
        let differenceLower = try #require(failing["differenceLower"] as? Double)
        #expect(differenceLower > 0 && differenceLower < canaryValue - baselineValue)
        // Evaluations fall on interval boundaries after the first line's time.
        let times = Set(verdicts.compactMap { $0["time"] as? Double })
        #expect(times == [1764000030.942, 1764000060.942])
    }

    @Test func unknownKeysAreIgnored() throws {
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "\"version\":", with: "\"host\":{\"rack\":[1,true,null]},\"version\":")
        let file = try temporary(text)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try lines(result.stdout).last?["decision"] as? String == "rollback")
    }

    @Test(arguments: [
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":1}}\n{\"time\":2,\"agent\":\"a\"", "line 2"),
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":1}}\n\n{\"time\":2,\"agent\":\"a\",\"cohort\":\"canary\"}", "line 3: a line needs at least one of"),
        ("{\"time\":\"soon\",\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":1}}", "line 1, column 9: time must be a number"),
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"control\",\"counters\":{\"x\":1}}", "cohort must be \"canary\" or \"baseline\""),
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":-4}}", "cumulative counters are never negative"),
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"canary\",\"spans\":{\"s\":{\"total\":2,\"failed\":3}}}", "spans.s.failed (3) exceeds total (2)"),
        ("{\"time\":1,\"agent\":\"a\",\"cohort\":\"canary\",\"histograms\":{\"h\":{\"bounds\":[1,2],\"counts\":[1,2]}}}", "with 2 bounds it needs 3"),
        ("{\"time\":5,\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":1}}\n{\"time\":4,\"agent\":\"a\",\"cohort\":\"canary\",\"counters\":{\"x\":1}}", "line 2: time 4.0 is earlier"),
        ("not json", "line 1, column 1: expected an object"),
    ])
    func malformedLinesExitTwoNamingTheLine(text: String, message: String) throws {
        let file = try temporary(text)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", file])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "no verdicts from an invalid stream")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func anEmptyStreamIsNoData() throws {
        let file = try temporary("")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", file])
        #expect(result.status == 0)
        let decision = try #require(try lines(result.stdout).last)
        #expect(decision["decision"] as? String == "halt")
        #expect(decision["check"] is NSNull)
    }

    @Test func aStepBeyondThePolicyIsBadUsage() throws {
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", Self.example, "--step", "9"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--step 9 is beyond the policy's 4 steps"))
    }

    @Test func aMissingObservationsFileIsBadInput() throws {
        let result = try bellwether.run(["analyze", "--policy", Self.policy, "--observations", "/nonexistent.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent.jsonl: cannot be read"))
    }
}
