import BellwetherAPI
import BellwetherCore
import BellwetherPrometheus
import BellwetherStore
import Foundation

/// What operators do to rollouts, between the HTTP routes and the store: validation, the state
/// machine, the audit log, and waking whoever must react.
struct RolloutCommands: Sendable {
    /// Every operator action is recorded under this name in the audit log.
    static let actor = "admin"
    static let maxReasonLength = 1_000

    let configuration: ServerConfiguration
    let components: ServerComponents

    private var store: BellwetherStore { components.store }

    /// Records a new rollout and starts it at its first step.
    func start(_ request: StartRolloutRequest) async throws -> Rollout {
        let policy: Policy
        do {
            policy = try PolicyDecoder.decode(yaml: request.policy, file: request.policyFile ?? "policy")
        } catch {
            throw APIError(
                .badRequest, code: "invalid-policy",
                "the policy is invalid:\n" + error.diagnostics.map(\.description).joined(separator: "\n"),
                diagnostics: error.diagnostics
            )
        }
        if let spec = policy.metrics?.prometheus {
            // Checked now as well as at each evaluation: a rollout that could only halt is refused.
            do {
                _ = try PrometheusSettings(spec, over: configuration.prometheus) { ProcessInfo.processInfo.environment[$0] }
            } catch {
                throw APIError.badRequest(error.description, code: "unusable-metric-source")
            }
        }
        let version = request.version.trimmingCharacters(in: .whitespaces)
        guard !version.isEmpty, version.count <= HeartbeatRequest.maxVersionLength else {
            throw APIError.badRequest("\"version\" must name the target version, such as 2.4.0", code: "invalid-version")
        }
        let artifact = try request.artifact.map(Self.validated)
        let now = components.now()
        let stable = StableVersion.mostCommon(
            in: await components.fleet.snapshot(), selector: policy.selector, now: now, silentAfter: configuration.silentAfter
        )
        let rollout = Rollout(
            id: components.newRolloutID(policy), policy: policy, targetVersion: version, artifact: artifact,
            stableVersion: stable, dryRun: request.dryRun ?? false,
            stateReason: "created by \(Self.actor): \(stable ?? "no live agent") → \(version)", createdAt: now
        )
        try store.startRollout(rollout, policySource: request.policy, actor: Self.actor)
        let transition = try RolloutStateMachine(steps: policy.steps).apply(.start, to: rollout.state)
        let started = try store.recordTransition(rolloutID: rollout.id, transition, actor: Self.actor, at: components.now())
        await announce()
        return started
    }

    /// Applies an operator's command. A transition recorded concurrently by the control loop
    /// makes the store refuse ours as stale; the command is then judged again on the new state,
    /// and refused when `step` (1-based) says the operator acted on a step the rollout has left.
    func apply(_ action: ManualAction, to id: String, reason: String?, atStep step: Int? = nil) async throws -> Rollout {
        if let reason, reason.count > Self.maxReasonLength {
            throw APIError.badRequest("\"reason\" is longer than \(Self.maxReasonLength) characters", code: "invalid-reason")
        }
        if let step, step < 1 {
            throw APIError.badRequest("\"step\" counts from 1, found \(step)", code: "invalid-step")
        }
        let event = RolloutEvent.manual(action, actor: Self.actor, reason: reason)
        var attempts = 0
        while true {
            let rollout = try store.rollout(id: id)
            if let step, rollout.state.step.map({ $0 + 1 }) != step {
                throw APIError.conflict(
                    "\(action.rawValue) was for step \(step), but the rollout is now \(rollout.state): nothing changed; "
                        + "look at it again and act on what it is now",
                    code: "stale-step"
                )
            }
            let transition = try RolloutStateMachine(steps: rollout.policy.steps).apply(event, to: rollout.state)
            do {
                let updated = try store.recordTransition(rolloutID: id, transition, actor: Self.actor, at: components.now())
                await announce()
                return updated
            } catch StoreError.staleTransition where attempts < 3 {
                attempts += 1
            }
        }
    }

    /// Where the rollout is, its cohorts at the current step, and the control loop's verdicts.
    func health(of id: String) async throws -> RolloutHealthView {
        let rollout = try store.rollout(id: id)
        var cohorts: [RolloutHealthView.Cohort] = []
        if let step = rollout.state.step, rollout.policy.steps.indices.contains(step) {
            let selected = await components.fleet.snapshot().filter { rollout.policy.selector.matches($0.agent.labels) }
            let split = CohortAssigner(rolloutID: rollout.id, stratifyBy: rollout.policy.stratifyBy)
                .split(agents: selected.map(\.cohortMember), percent: rollout.policy.steps[step].percent)
            let now = components.now()
            func cohort(_ role: CohortRole, _ name: String, _ ids: Set<String>, expecting version: String?) -> RolloutHealthView.Cohort {
                let members = selected.filter { ids.contains($0.agent.id) }
                return RolloutHealthView.Cohort(
                    role: role, name: name, agents: members.count,
                    onExpectedVersion: members.filter { $0.agent.version == version }.count,
                    silent: members.filter { $0.isSilent(at: now, after: configuration.silentAfter) }.count
                )
            }
            cohorts = [
                cohort(.canary, rollout.policy.steps[step].cohort, split.canary, expecting: rollout.targetVersion),
                cohort(.baseline, "baseline", split.baseline, expecting: rollout.stableVersion),
            ]
        }
        let checks = await components.health.checks(for: rollout)
        let freeze = rollout.state.isActive ? try components.store.freeze().map { FreezeView($0) } : nil
        return RolloutHealthView(rollout: RolloutView(rollout), cohorts: cohorts, checks: checks, freeze: freeze)
    }

    /// Live event streams and the control loop react now rather than at their next tick.
    private func announce() async {
        components.bell.ring()
        await components.control.wake()
    }

    private static func validated(_ artifact: Artifact) throws(APIError) -> Artifact {
        let sha = artifact.sha256.lowercased()
        guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
            throw APIError.badRequest("\"artifact.sha256\" must be 64 hex digits (the SHA-256 of the artifact)", code: "invalid-artifact")
        }
        guard let url = URL(string: artifact.url), url.scheme != nil else {
            throw APIError.badRequest("\"artifact.url\" must be an absolute URL, such as https://downloads.example/agent-2.4.0.tar.gz", code: "invalid-artifact")
        }
        return Artifact(url: artifact.url, sha256: sha)
    }
}
