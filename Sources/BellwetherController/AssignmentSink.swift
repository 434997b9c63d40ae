import BellwetherCore

/// Where the controller's decisions about agents go once they are stored: the heartbeat registry
/// answers agents from it, OpAMP pushes it, an exec driver runs a deploy script on it.
///
/// The store's `desiredVersion` is the durable truth; a sink is told only what changed, in one
/// call per controller pass, and is told every assignment again after a controller restart so an
/// in-memory registry can be rebuilt from it.
public protocol AssignmentSink: Sendable {
    /// The new assignment of each agent whose assignment changed, by agent id.
    func assign(_ assignments: [String: AgentAssignment]) async
}
