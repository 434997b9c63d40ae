import BellwetherCore
import BellwetherStore
import Foundation

/// A seeded fleet that behaves like real agents towards the store: it heartbeats, exports
/// cumulative counters (records processed, enrichment failures) at the version it runs, and
/// installs the version it is assigned, restarting (and so resetting its counters) to do it.
struct TestFleet {
    struct Member {
        var id: String
        var labels: [String: String]
        var version: String
        var records: Double = 0
        var failures: Double = 0
    }

    static let records = "agent.data.records_processed_total"
    static let failures = "agent.data.enrichment_failures_total"

    private(set) var members: [Member]
    /// Failure ratio of each version; versions not listed fail at `baseFailureRatio`.
    var failureRatio: [String: Double] = [:]
    var baseFailureRatio = 0.01
    /// How many times its version's ratio an agent fails, on every version (the data it sees); 1 when absent.
    var agentFactor: [String: Double] = [:]
    /// Records each agent processes per report.
    var recordsPerReport = 300
    /// Whether agents install what they are assigned (false: a version that cannot install).
    var installsAssignments = true
    /// Whether agents export telemetry at all (false: a broken pipeline).
    var exportsTelemetry = true
    /// Agents that die for good (no heartbeat, no telemetry) after `reportsBeforeCrash` reports on
    /// `crashingVersion`: a version that kills some of the agents it reaches.
    var crashingAgents: Set<String> = []
    var crashingVersion: String?
    var reportsBeforeCrash = 3
    private var reportsOnCrashingVersion: [String: Int] = [:]
    private var random: SplitMix64

    /// `perRegion` agents in each of `regions`, all on `version`, all selected by `role: collector`.
    init(regions: [String] = ["eu", "us", "ap", "sa"], perRegion: Int = 10, version: String = "2.3.1", seed: UInt64 = 7) {
        members = regions.flatMap { region in
            (0..<perRegion).map { index in
                Member(id: "\(region)-agent-\(index)", labels: ["role": "collector", "region": region], version: version)
            }
        }
        random = SplitMix64(seed: seed)
    }

    var ids: [String] { members.map(\.id) }

    func version(of id: String) -> String? {
        members.first { $0.id == id }?.version
    }

    /// One report period of the whole fleet at `time`: install what was assigned, heartbeat, export.
    mutating func live(at time: Date, assignments: [String: AgentAssignment], store: BellwetherStore) throws {
        for index in members.indices {
            guard installsAssignments,
                  let desired = assignments[members[index].id]?.desiredVersion,
                  desired != members[index].version else { continue }
            members[index].version = desired
            members[index].records = 0
            members[index].failures = 0
        }
        var alive: [Int] = []
        for index in members.indices {
            let member = members[index]
            if crashingAgents.contains(member.id), member.version == crashingVersion {
                let reports = reportsOnCrashingVersion[member.id, default: 0]
                guard reports < reportsBeforeCrash else { continue }
                reportsOnCrashingVersion[member.id] = reports + 1
            }
            alive.append(index)
        }
        try store.recordHeartbeats(
            alive.map { AgentHeartbeat(id: members[$0].id, version: members[$0].version, labels: members[$0].labels) },
            at: time
        )
        guard exportsTelemetry else { return }
        var observations: [AgentObservation] = []
        for index in alive {
            let ratio = (failureRatio[members[index].version] ?? baseFailureRatio) * (agentFactor[members[index].id] ?? 1)
            members[index].records += Double(recordsPerReport)
            members[index].failures += Double((0..<recordsPerReport).count { _ in Double.random(in: 0..<1, using: &random) < ratio })
            observations.append(AgentObservation(
                agent: members[index].id, time: time.timeIntervalSince1970, version: members[index].version,
                counters: [Self.records: members[index].records, Self.failures: members[index].failures]
            ))
        }
        try store.recordObservations(observations)
    }
}
