/// A rollout policy: which agents move, in which steps, and which checks guard each step.
///
/// This is the typed form of the YAML format in `policies/` (see `policies/policy.schema.json`).
/// It is produced by `PolicyDecoder`, which validates everything an operator can get wrong, so
/// the rest of the product can rely on its invariants: steps non-empty with increasing percents
/// ending at 100, every duration positive, `alpha` in (0, 0.5), unique check names.
public struct Policy: Sendable, Hashable, Codable {
    public var name: String
    public var selector: AgentSelector
    public var steps: [RolloutStep]
    /// Optional label whose values are each represented in proportion in every cohort.
    public var stratifyBy: String?
    public var analysis: AnalysisSpec
    /// How long agents may take to report the target version after being assigned it.
    public var convergence: ConvergenceSpec
    public var notify: [NotifyTarget]
    /// Where the checks read telemetry; nil for the controller's own source.
    public var metrics: MetricSourceSpec?

    public init(
        name: String,
        selector: AgentSelector = AgentSelector(),
        steps: [RolloutStep],
        stratifyBy: String? = nil,
        analysis: AnalysisSpec,
        convergence: ConvergenceSpec = ConvergenceSpec(),
        notify: [NotifyTarget] = [],
        metrics: MetricSourceSpec? = nil
    ) {
        self.metrics = metrics
        self.name = name
        self.selector = selector
        self.steps = steps
        self.stratifyBy = stratifyBy
        self.analysis = analysis
        self.convergence = convergence
        self.notify = notify
    }
}

/// The agents a rollout applies to: every label listed must match exactly.
public struct AgentSelector: Sendable, Hashable, Codable {
    public var labels: [String: String]

    public init(labels: [String: String] = [:]) {
        self.labels = labels
    }

    public func matches(_ agentLabels: [String: String]) -> Bool {
        labels.allSatisfy { agentLabels[$0.key] == $0.value }
    }

    /// Whether some agent could match both selectors. Two label selectors are disjoint only when
    /// they require different values for the same label, so this errs on the side of "overlaps":
    /// it is what keeps two active rollouts from fighting over one agent.
    public func mayOverlap(_ other: AgentSelector) -> Bool {
        !labels.contains { key, value in other.labels[key].map { $0 != value } ?? false }
    }
}

/// One step of a rollout: the share of selected agents on the target version and how long it bakes.
public struct RolloutStep: Sendable, Hashable, Codable {
    public var cohort: String
    /// Share of the selected agents, in percent, in (0, 100].
    public var percent: Double
    /// Seconds the step is watched before promotion; `nil` on the final step means
    /// "complete once the agents converge".
    public var bakeSeconds: Double?

    public init(cohort: String, percent: Double, bakeSeconds: Double? = nil) {
        self.cohort = cohort
        self.percent = percent
        self.bakeSeconds = bakeSeconds
    }
}

public struct ConvergenceSpec: Sendable, Hashable, Codable {
    /// Seconds after assignment within which agents must report the target version.
    public var timeoutSeconds: Double
    /// Share of the assigned agents (0...1) that must have converged by then.
    public var minFraction: Double
    /// What happens when they have not.
    public var onFail: FailureAction

    public init(timeoutSeconds: Double = 600, minFraction: Double = 0.9, onFail: FailureAction = .halt) {
        self.timeoutSeconds = timeoutSeconds
        self.minFraction = minFraction
        self.onFail = onFail
    }
}

/// What a failing check, missing data or failed convergence does to the rollout.
public enum FailureAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Freeze the rollout where it is and wait for a human.
    case halt
    /// Return the canary cohort to the stable version.
    case rollback
}

/// What a check still inconclusive at the end of its step's bake does: neither passed nor failed,
/// so the data could not tell a healthy canary from a regression of the check's design size.
public enum InconclusiveAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Freeze the rollout and alert (critical): not knowing is treated as a problem.
    case halt
    /// Freeze the rollout for an operator's decision, alerting as a warning: promote accepts the
    /// step as it is, resume bakes it again on fresh data, rollback undoes it.
    case pause
    /// Promote as if the check had passed, recording that it had not. For checks whose signal is
    /// often too thin to decide and whose failure alone is worth acting on; a check with no data
    /// at all from a cohort is missing data (`onNoData`) and never continues.
    case `continue`

    /// How strict the action is: when several checks end inconclusive, the strictest acts.
    var strictness: Int {
        switch self {
        case .halt: 2
        case .pause: 1
        case .continue: 0
        }
    }
}

public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    case higher
    case lower
}
