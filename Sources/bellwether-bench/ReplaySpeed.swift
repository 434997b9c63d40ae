import BellwetherCore
import BellwetherScenarios
import Foundation

/// How fast `bellwether analyze` gets through a recorded stream: a one-hour, 40-agent A/A
/// stream as JSON Lines text in memory, parsed by `ReplayFile` and run through `ReplayAnalysis`
/// with the time-uniform bounds on, exactly the command's work minus file reading and printing.
enum ReplaySpeed {
    static func report(seed: UInt64, repetitions: Int) throws -> String {
        var lines = [
            "### Replay speed (ReplayFile.observations + ReplayAnalysis, median of \(repetitions) runs)",
            "",
            "| stream | lines | bytes | decision | median seconds | lines/s |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for reportSeconds in [10.0, 5.0] {
            let scenario = FleetScenario(name: "replay-\(Int(reportSeconds))s", canaryAgents: 20, baselineAgents: 20, reportSeconds: reportSeconds)
            let stream = FleetSimulation(scenario: scenario).stream(seed: seed)
            var text = ReplayLineWriter.text(stream.observations)
            var decision = ""
            var seconds: [Double] = []
            for _ in 0..<repetitions {
                let elapsed = try ContinuousClock().measure {
                    decision = try replay(&text)
                }
                seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            let median = seconds.sorted()[seconds.count / 2]
            let count = stream.observations.count
            lines.append("| 1 h, 20 v 20 agents, reports every \(Int(reportSeconds)) s | \(count) | \(text.utf8.count) | \(decision) | \(String(format: "%.3f", median)) | \(String(format: "%.0f", Double(count) / median)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses and replays `text` as `bellwether analyze` does, returning the decision.
    private static func replay(_ text: inout String) throws -> String {
        let observations = try text.withUTF8 { try ReplayFile.observations(in: $0) }
        var analysis = ReplayAnalysis(policy: BenchmarkPolicy.make(), step: 0)
        for (line, observation) in observations {
            _ = try analysis.ingest(observation, line: line)
            if analysis.decision != nil { break }
        }
        _ = analysis.finish()
        return analysis.decision?.decision.rawValue ?? "none"
    }
}
