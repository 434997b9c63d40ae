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
/// why the operator acted, for the audit log, and at which step they saw the rollout.
public struct ManualActionRequest: Sendable, Hashable, Codable {
    public var reason: String?
    /// The step (1-based, as `StateView` counts) the operator acted on. When the rollout is no
    /// longer there, the action is refused with 409 and nothing changes: a double click, a
    /// retried request or a race with the controller's own promotion can never promote twice.
    public var step: Int?

    public init(reason: String? = nil, step: Int? = nil) {
        self.reason = reason
        self.step = step
    }
}
