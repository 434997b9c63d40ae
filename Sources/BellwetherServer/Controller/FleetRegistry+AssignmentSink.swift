import BellwetherController
import BellwetherCore

extension FleetRegistry: AssignmentSink {
    /// The control loop's decisions reach agents through their heartbeats. The loop has stored
    /// them already (`setDesiredVersions`), so the registry only takes them in; "keep what you
    /// run" (no desired version) clears the agent's assignment.
    public func assign(_ assignments: [String: AgentAssignment]) async {
        take(assignments.mapValues { assignment in
            assignment.desiredVersion.map {
                Assignment(desiredVersion: $0, artifact: assignment.artifact, rollout: assignment.rolloutID, cohort: assignment.cohort)
            }
        })
    }
}
