import BellwetherCore

/// A sink for a controller whose agents read their desired version from the store alone
/// (a dry-run controller, tooling), or before the agent-facing side is wired.
public struct DiscardingAssignmentSink: AssignmentSink {
    public init() {}

    public func assign(_ assignments: [String: AgentAssignment]) async {}
}
