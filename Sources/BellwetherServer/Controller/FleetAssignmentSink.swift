import BellwetherController
import BellwetherCore

/// The control loop's decisions reach agents through their heartbeats. The loop has stored them
/// already (`setDesiredVersions`), so the registry only takes them in; "keep what you run" (no
/// desired version) clears the agent's assignment. A separate value rather than a conformance of
/// `FleetRegistry`, whose own `assign` also writes to the database: one name, one meaning.
struct FleetAssignmentSink: AssignmentSink {
    let fleet: FleetRegistry

    func assign(_ assignments: [String: AgentAssignment]) async {
        await fleet.take(assignments.mapValues { $0.desiredVersion == nil ? nil : $0 })
    }
}
