import Foundation
import Synchronization

/// What each kind of hostile or legitimate request was answered: statuses (0: the connection failed or was closed) and
/// latencies.
final class AttackTally: Sendable {
    private struct Entry {
        var statuses: [Int: Int] = [:]
        var latencies: [Double] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    func record(_ name: String, status: Int, latency: Duration, count: Int = 1) {
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) * 1e-18
        entries.withLock { entries in
            entries[name, default: Entry()].statuses[status, default: 0] += count
            if latency > .zero { entries[name, default: Entry()].latencies.append(seconds) }
        }
    }

    func report() -> String {
        entries.withLock { entries in
            entries.keys.sorted().map { name in
                let entry = entries[name]!
                let statuses = entry.statuses.keys.sorted().map { "\($0 == 0 ? "no answer" : String($0)) ×\(entry.statuses[$0]!)" }.joined(separator: ", ")
                let sorted = entry.latencies.sorted()
                let latency = sorted.isEmpty ? "" : String(
                    format: "; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    sorted[sorted.count / 2] * 1000, sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000, sorted.last! * 1000
                )
                return "- \(name): \(statuses)\(latency)"
            }.joined(separator: "\n")
        }
    }
}
