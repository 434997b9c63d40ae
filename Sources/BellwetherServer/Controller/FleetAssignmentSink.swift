import BellwetherController
import BellwetherCore

/// The control loop's decisions reach agents through their heartbeats. The loop has stored them
/// already (`setDesiredVersions`), so the registry only takes them in; "keep what you run" (no
/// desired version) clears the agent's assignment. A separate value rather than a conformance of
/// `FleetRegistry`, whose own `assign` also writes to the database: one name, one meaning.
/// With an exec deploy driver configured, the assignments are also handed to it (which returns
/// at once: the commands run on their own tasks).
struct FleetAssignmentSink: AssignmentSink {
    let fleet: FleetRegistry
    var deploy: ExecDeployDriver?

    func assign(_ assignments: [String: AgentAssignment]) async {
        await fleet.take(assignments.mapValues { $0.desiredVersion == nil ? nil : $0 })
        await deploy?.enqueue(assignments)
    }
}
