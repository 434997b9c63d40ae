import BellwetherCore
import Foundation

/// The version a rollout returns agents to: the one most of its agents run when it starts.
enum StableVersion {
    /// The most common version among the agents `selector` selects that are not silent; ties go
    /// to the version that sorts first, so the answer never depends on dictionary order. Nil for a
    /// selector that selects no live agent.
    static func mostCommon(in fleet: [FleetMember], selector: AgentSelector, now: Date, silentAfter: Double) -> String? {
        var counts: [String: Int] = [:]
        for member in fleet where selector.matches(member.agent.labels) && !member.isSilent(at: now, after: silentAfter) {
            counts[member.agent.version, default: 0] += 1
        }
        return counts.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key
    }
}
