import BellwetherCore
import BellwetherStore
import Foundation

/// What every notification says, whatever its format: the body of the generic JSON webhook, and
/// what the Slack and Alertmanager formats are rendered from. Enough to act on at 3 a.m. without
/// opening anything else: which rollout, which version, where it is, why, and the evidence.
public struct RolloutNotice: Sendable, Hashable, Codable {
    /// Unique per audit event and target, the same on every retry: receivers deduplicate on it
    /// (delivery is at least once). Also sent as the `X-Bellwether-Delivery` header.
    public var deliveryID: String
    /// The audit event's kind: `check-failed`, `no-data`, `convergence-failed`, `step-baked`,
    /// `rollback-converged`, or the operator command (`pause`, `resume`, `promote`, `abort`, `rollback`).
    public var event: String
    public var rollout: String
    public var policy: String
    public var version: String
    public var stableVersion: String?
    /// The state the rollout entered (`halted`, `rolling-back`, `rolled-back`, `completed`, ...).
    public var state: String
    public var previousState: String?
    /// 1-based step the rollout is at (or was at, before it left the steps), and how many there are.
    public var step: Int?
    public var steps: Int
    /// `controller` for the control loop's own decisions; the operator's name for commands.
    public var actor: String
    public var reason: String
    public var at: Date
    public var dryRun: Bool
    /// The failing check's verdict (canary against baseline, bounds, tolerance), when a check decided.
    public var evidence: CheckVerdict?
    public var dashboardURL: String?

    public init(
        deliveryID: String, event: RolloutAuditEvent, rollout: Rollout, evidence: CheckVerdict?, dashboardURL: String?
    ) {
        self.deliveryID = deliveryID
        self.event = event.kind
        self.rollout = rollout.id
        policy = rollout.policy.name
        version = rollout.targetVersion
        stableVersion = rollout.stableVersion
        state = event.to.phase.rawValue
        previousState = event.from?.phase.rawValue
        step = (event.to.step ?? event.from?.step).map { $0 + 1 }
        steps = rollout.policy.steps.count
        actor = event.actor
        reason = event.reason
        at = event.at
        dryRun = rollout.dryRun
        self.evidence = evidence
        self.dashboardURL = dashboardURL
    }

    /// Whether an operator's command caused it, rather than the control loop.
    public var isManual: Bool {
        ManualAction(rawValue: event) != nil
    }

    /// One line for chat and alert summaries: "checkout-canary 2.4.0 halted at step 2/4: ...".
    public var headline: String {
        var line = "\(rollout) (\(policy)) \(version) "
        switch state {
        case "halted": line += "halted"
        case "rolling-back": line += "is rolling back"
        case "rolled-back": line += "rolled back"
        case "completed": line += "completed"
        case "aborted": line += "aborted"
        default: line += "is \(state)"
        }
        if let step, state == "halted" || state == "progressing" { line += " at step \(step)/\(steps)" }
        if isManual { line += " by \(actor) (\(event))" }
        return line
    }

    /// The evidence in one sentence: the check, both cohorts' values and the ratio's bounds.
    public var evidenceLine: String? {
        guard let evidence else { return nil }
        var line = "\(evidence.check): \(evidence.verdict.rawValue); canary \(Self.number(evidence.canary.value)) "
            + "(\(evidence.canary.agents) agents) vs baseline \(Self.number(evidence.baseline.value)) (\(evidence.baseline.agents) agents)"
        if let ratio = evidence.ratio {
            line += "; ratio \(Self.number(ratio))"
            if let lower = evidence.ratioLower, let upper = evidence.ratioUpper {
                line += " [\(Self.number(lower)), \(Self.number(upper))]"
            }
        }
        if let tolerated = evidence.toleratedRatio { line += ", tolerated \(Self.number(tolerated))" }
        return line
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        guard value.isFinite else { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }
}
