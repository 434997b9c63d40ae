import BellwetherCore
import Foundation

/// An agent as the controller knows it: what it last reported, and what it has been told to run.
public struct KnownAgent: Sendable, Hashable, Codable, Identifiable {
    public var agent: Agent
    /// The version the controller wants the agent on; `nil` means "stay on what you run".
    public var desiredVersion: String?

    public var id: String { agent.id }

    public init(agent: Agent, desiredVersion: String? = nil) {
        self.agent = agent
        self.desiredVersion = desiredVersion
    }

    /// Silence is judged at read time against the caller's clock and threshold, so it is never
    /// stale and never needs a write to keep current.
    public func isSilent(at now: Date, after threshold: TimeInterval) -> Bool {
        now.timeIntervalSince(agent.lastSeen) > threshold
    }
}
