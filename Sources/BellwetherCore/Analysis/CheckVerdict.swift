/// The judge's answer for one check at one evaluation.
public enum Verdict: String, Sendable, Hashable, Codable {
    /// A regression of the check's design size is ruled out.
    case pass
    /// The canary is worse than the baseline beyond the tolerance.
    case fail
    /// Not enough evidence either way yet; never a reason to promote.
    case inconclusive
}

/// One cohort's side of a check: its value, the denominator it rests on, and how many agents.
public struct CohortSummary: Sendable, Hashable, Codable {
    /// The check's value for the cohort (a ratio, a quantile, a per-agent rate); nil without data.
    public var value: Double?
    /// Records, spans, histogram observations or agent-seconds the value rests on.
    public var n: Double
    public var agents: Int

    public init(value: Double?, n: Double, agents: Int) {
        self.value = value
        self.n = n
        self.agents = agents
    }
}

/// What is still needed before a check can reach a verdict on a regression of its design size.
public struct EvidenceNeeded: Sendable, Hashable, Codable {
    /// More canary exposure (records, spans, observations or agent-seconds), at the current mix.
    public var canaryExposure: Double?
    /// Seconds at the canary's current pace; nil when it cannot be estimated.
    public var seconds: Double?
    /// Why no amount of data will do, when that is the case (e.g. too few agents).
    public var blocker: String?

    public init(canaryExposure: Double? = nil, seconds: Double? = nil, blocker: String? = nil) {
        self.canaryExposure = canaryExposure
        self.seconds = seconds
        self.blocker = blocker
    }
}

/// A check's verdict with the evidence behind it, as `bellwether analyze` prints it and the
/// controller records it.
public struct CheckVerdict: Sendable, Hashable, Codable {
    public var time: Double
    public var check: String
    public var verdict: Verdict
    public var canary: CohortSummary
    public var baseline: CohortSummary
    /// One sentence of evidence an operator can act on.
    public var detail: String
    /// Estimated canary/baseline ratio of the tested rate (failure ratio, exceedance, throughput).
    public var ratio: Double?
    /// Bounds on that ratio, valid uniformly over time and with the between-agent spread integrated out.
    public var ratioLower: Double?
    public var ratioUpper: Double?
    /// The same bounds on the difference canary − baseline, in the check's unit (for ratio,
    /// spans and rate checks: the baseline's value times the ratio bound less one).
    public var differenceLower: Double?
    public var differenceUpper: Double?
    /// The largest ratio the tolerance accepts (smallest, for `worseWhen: lower`).
    public var toleratedRatio: Double?
    /// The ratio a regression must reach to count as "of design size" for a pass.
    public var designRatio: Double?
    /// E-value against "within tolerance" now; a fail needs at least 1/alpha.
    public var eValue: Double?
    /// Always-valid p-value: 1 / the largest e-value seen so far, capped at 1.
    public var pValue: Double?
    /// Standard deviation of the log canary/baseline factor allowed for which agents landed in
    /// which cohort (0 = the agents look alike), integrated out of the test.
    public var agentSpread: Double?
    /// Estimated between-agent coefficient of variation of the rate.
    public var agentVariation: Double?
    public var needed: EvidenceNeeded?
    /// The check is a dry run (`dryRun: true`): judged like the others, acted on never.
    public var dryRun: Bool?

    /// The check's name as every view shows it: marked when it is a dry run, so nobody reads its
    /// failure as the reason for a decision.
    public var label: String { dryRun == true ? "\(check) (dry run)" : check }

    public init(time: Double, check: String, verdict: Verdict, canary: CohortSummary, baseline: CohortSummary, detail: String) {
        self.time = time
        self.check = check
        self.verdict = verdict
        self.canary = canary
        self.baseline = baseline
        self.detail = detail
    }
}
