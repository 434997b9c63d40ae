import Foundation

/// A rollout as the controller knows it: what moves where, by which policy, and where it is now.
public struct Rollout: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var policy: Policy
    public var targetVersion: String
    public var artifact: Artifact?
    /// The version agents return to on rollback; the selected agents' common version at start.
    public var stableVersion: String?
    /// Analyse and report, but never change an agent's desired version.
    public var dryRun: Bool
    public var state: RolloutState
    public var stateReason: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        policy: Policy,
        targetVersion: String,
        artifact: Artifact? = nil,
        stableVersion: String? = nil,
        dryRun: Bool = false,
        state: RolloutState = .pending,
        stateReason: String = "created",
        createdAt: Date,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.policy = policy
        self.targetVersion = targetVersion
        self.artifact = artifact
        self.stableVersion = stableVersion
        self.dryRun = dryRun
        self.state = state
        self.stateReason = stateReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// What an agent downloads to run a version.
public struct Artifact: Sendable, Hashable, Codable {
    public var url: String
    /// Lower-case hex SHA-256 of the artifact.
    public var sha256: String

    public init(url: String, sha256: String) {
        self.url = url
        self.sha256 = sha256
    }
}
