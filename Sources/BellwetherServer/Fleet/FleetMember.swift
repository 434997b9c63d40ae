import BellwetherCore
import Foundation

/// One agent as the registry holds it: what it last reported and what it has been assigned.
public struct FleetMember: Sendable, Hashable {
    public var agent: Agent
    public var assignment: AgentAssignment?

    public init(agent: Agent, assignment: AgentAssignment? = nil) {
        self.agent = agent
        self.assignment = assignment
    }

    /// Judged when asked, against the caller's clock, so it is never stale.
    public func isSilent(at now: Date, after threshold: Double) -> Bool {
        now.timeIntervalSince(agent.lastSeen) > threshold
    }

    var cohortMember: CohortMember { CohortMember(id: agent.id, labels: agent.labels) }
}
