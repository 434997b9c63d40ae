import BellwetherCore
import BellwetherScenarios
import Foundation

/// Who one simulated collector is and the data it sees, independent of the version it runs:
/// agents differ in traffic, in the share of the special record kind and in their own failure
/// rate, the way real collectors on different sources do, so cohorts are never interchangeable.
public struct AgentProfile: Sendable, Hashable {
    public var id: String
    public var labels: [String: String]
    /// Mean records processed per second.
    public var recordsPerSecond: Double
    /// Share of records of the special kind (`refund`), which the silent killer cannot enrich.
    public var specialShare: Double
    /// Probability that enrichment fails for a record on any version (a lookup times out), logged
    /// as an error: the background noise every version has.
    public var failureRate: Double
    /// Median processing time of one record, in seconds.
    public var latencyMedian: Double

    public init(id: String, labels: [String: String], recordsPerSecond: Double, specialShare: Double, failureRate: Double, latencyMedian: Double) {
        self.id = id
        self.labels = labels
        self.recordsPerSecond = recordsPerSecond
        self.specialShare = specialShare
        self.failureRate = failureRate
        self.latencyMedian = latencyMedian
    }

    /// Regions and how many agents each has: uneven, as real fleets are.
    static let regions: [(name: String, weight: Double)] = [
        ("eu-west", 0.35), ("us-east", 0.30), ("eu-north", 0.15), ("us-west", 0.12), ("ap-south", 0.08),
    ]

    /// `count` agents drawn from `seed`: traffic log-normal around 8 records/s (σ 0.5, so the
    /// busiest agents see more than ten times what the quietest do), a special-kind share
    /// uniform in 2%–25%, a base failure rate around 2.5%, a median latency around 20 ms.
    public static func fleet(count: Int, seed: UInt64, idPrefix: String = "collector") -> [AgentProfile] {
        var random = SplitMix64(seed: seed)
        let width = max(4, String(count).count)
        return (0..<count).map { index in
            let number = String(index + 1)
            let id = idPrefix + "-" + String(repeating: "0", count: max(0, width - number.count)) + number
            return AgentProfile(
                id: id,
                labels: ["role": "collector", "region": region(at: random.openUnit())],
                recordsPerSecond: 8 * random.lognormalFactor(sigma: 0.5),
                specialShare: 0.02 + 0.23 * random.openUnit(),
                failureRate: 0.025 * random.lognormalFactor(sigma: 0.3),
                latencyMedian: 0.02 * random.lognormalFactor(sigma: 0.15)
            )
        }
    }

    private static func region(at unit: Double) -> String {
        var cumulative = 0.0
        for region in regions {
            cumulative += region.weight
            if unit < cumulative { return region.name }
        }
        return regions[regions.count - 1].name
    }
}
