import BellwetherCore
import Foundation
import GRDB

/// One row of `rollout`: a `Rollout` plus what only the store needs (the policy's source text,
/// as the operator wrote it, and the revision counter).
struct RolloutRecord: StoreRecord, PersistableRecord {
    static let databaseTableName = "rollout"

    var id: String
    var name: String
    /// The decoded policy, as JSON; `policySource` keeps the YAML for the report and for humans.
    var policy: Policy
    var policySource: String
    var targetVersion: String
    var artifactURL: String?
    var artifactSHA256: String?
    var stableVersion: String?
    var dryRun: Bool
    var phase: RolloutPhase
    var step: Int?
    var stateReason: String
    var createdAt: Date
    var updatedAt: Date
    /// Transitions recorded so far; the audit event of each carries the revision it produced.
    var revision: Int

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let phase = Column(CodingKeys.phase)
        static let step = Column(CodingKeys.step)
        static let stateReason = Column(CodingKeys.stateReason)
        static let createdAt = Column(CodingKeys.createdAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let revision = Column(CodingKeys.revision)
    }

    /// The columns a transition changes; everything else is fixed when the rollout starts.
    static let stateColumns = [Columns.phase, Columns.step, Columns.stateReason, Columns.updatedAt, Columns.revision]

    init(_ rollout: Rollout, policySource: String) {
        id = rollout.id
        name = rollout.policy.name
        policy = rollout.policy
        self.policySource = policySource
        targetVersion = rollout.targetVersion
        artifactURL = rollout.artifact?.url
        artifactSHA256 = rollout.artifact?.sha256
        stableVersion = rollout.stableVersion
        dryRun = rollout.dryRun
        phase = rollout.state.phase
        step = rollout.state.step
        stateReason = rollout.stateReason
        createdAt = rollout.createdAt
        updatedAt = rollout.updatedAt
        revision = 0
    }

    func state() throws(StoreError) -> RolloutState {
        try RolloutState(phase: phase, step: step, table: Self.databaseTableName, id: id)
    }

    mutating func apply(_ transition: RolloutTransition, at time: Date) {
        phase = transition.to.phase
        step = transition.to.step
        stateReason = transition.reason
        updatedAt = time
        revision += 1
    }

    func rollout() throws(StoreError) -> Rollout {
        var artifact: Artifact?
        if let artifactURL, let artifactSHA256 {
            artifact = Artifact(url: artifactURL, sha256: artifactSHA256)
        }
        return Rollout(
            id: id,
            policy: policy,
            targetVersion: targetVersion,
            artifact: artifact,
            stableVersion: stableVersion,
            dryRun: dryRun,
            state: try state(),
            stateReason: stateReason,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }

    /// Rollouts that have not reached a terminal phase, and so still own their agents.
    static func active() -> QueryInterfaceRequest<Self> {
        let phases = RolloutPhase.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        return filter(phases.contains(Columns.phase)).order(Columns.createdAt, Columns.id)
    }
}
