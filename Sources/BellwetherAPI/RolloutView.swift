import BellwetherCore
import Foundation

/// A rollout as `GET /api/v1/rollouts[/{id}]` returns it: what moves to which version, by which
/// policy's steps, and where it is now and why.
public struct RolloutView: Sendable, Hashable, Codable {
    public struct Step: Sendable, Hashable, Codable {
        public var cohort: String
        public var percent: Double
        public var bakeSeconds: Double?
    }

    public var id: String
    public var policy: String
    public var targetVersion: String
    public var stableVersion: String?
    public var artifact: Artifact?
    public var dryRun: Bool
    public var state: StateView
    /// Why the rollout is in its state, as the last audit event says.
    public var reason: String
    /// Not completed, rolled back or aborted: the rollout still owns its agents.
    public var active: Bool
    public var steps: [Step]
    public var createdAt: Date
    public var updatedAt: Date

    public init(_ rollout: Rollout) {
        id = rollout.id
        policy = rollout.policy.name
        targetVersion = rollout.targetVersion
        stableVersion = rollout.stableVersion
        artifact = rollout.artifact
        dryRun = rollout.dryRun
        state = StateView(rollout.state)
        reason = rollout.stateReason
        active = rollout.state.isActive
        steps = rollout.policy.steps.map { Step(cohort: $0.cohort, percent: $0.percent, bakeSeconds: $0.bakeSeconds) }
        createdAt = rollout.createdAt
        updatedAt = rollout.updatedAt
    }
}
