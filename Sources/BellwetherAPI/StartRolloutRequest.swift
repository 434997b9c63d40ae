import BellwetherCore

/// The body of `POST /api/v1/rollouts`. The policy travels as its YAML text, so the server
/// validates exactly what the operator wrote and the audit log keeps it verbatim.
public struct StartRolloutRequest: Sendable, Hashable, Codable {
    public var policy: String
    public var version: String
    public var artifact: Artifact?
    public var dryRun: Bool?
    /// The file the policy came from, to label its diagnostics (`enrichment-canary.yaml:3:28: ...`);
    /// `policy` when absent.
    public var policyFile: String?

    public init(policy: String, version: String, artifact: Artifact? = nil, dryRun: Bool? = nil, policyFile: String? = nil) {
        self.policy = policy
        self.version = version
        self.artifact = artifact
        self.dryRun = dryRun
        self.policyFile = policyFile
    }
}

/// The optional body of `POST /api/v1/rollouts/{id}/{pause,resume,promote,abort,rollback}`:
/// why the operator acted, for the audit log.
public struct ManualActionRequest: Sendable, Hashable, Codable {
    public var reason: String?

    public init(reason: String? = nil) {
        self.reason = reason
    }
}
