import Foundation
import BellwetherCore

/// Writes observations as replay-format JSON Lines (docs: `bellwether analyze`'s input), so a
/// simulated stream can be replayed by the command-line tool or parsed back in a benchmark.
/// Only what the simulation produces is written: time, agent, cohort, version and counters.
public enum ReplayLineWriter {
    public static func text(_ observations: [ReplayObservation]) -> String {
        var text = ""
        text.reserveCapacity(observations.count * 160)
        for observation in observations {
            text += line(observation)
            text += "\n"
        }
        return text
    }

    public static func line(_ observation: ReplayObservation) -> String {
        var line = "{\"time\":\(number(observation.time)),\"agent\":\(quoted(observation.agent)),\"cohort\":\"\(observation.cohort.rawValue)\""
        if let version = observation.version { line += ",\"version\":\(quoted(version))" }
        let counters = observation.counters.sorted { $0.key < $1.key }
            .map { "\(quoted($0.key)):\(number($0.value))" }
            .joined(separator: ",")
        line += ",\"counters\":{\(counters)}}"
        return line
    }

    /// Integers without a fraction; anything else in Swift's shortest round-trip form.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Agent ids and metric names are plain ASCII here; quotes and backslashes are escaped anyway.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
