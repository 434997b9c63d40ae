/// How the canary is judged against the baseline while a step bakes.
public struct AnalysisSpec: Sendable, Hashable, Codable {
    /// Seconds between evaluations.
    public var intervalSeconds: Double
    /// Bound on the probability of a false halt or rollback per check over the whole step,
    /// however many evaluations it takes (the engine's tests are anytime-valid).
    public var alpha: Double
    public var checks: [Check]
    /// What happens when a cohort stops sending data, or the bake ends with a check that has no
    /// data from one of the cohorts.
    public var onNoData: FailureAction
    /// What a check that is still inconclusive when the bake ends does, unless it says otherwise;
    /// nil is `.halt`. Optional so policies stored before the key existed still decode.
    public var onInconclusive: InconclusiveAction?
    /// Fewest agents per cohort before any verdict other than `inconclusive`.
    public var minAgentsPerCohort: Int
    /// How far before a step the controller looks at each agent on the stable version, so every
    /// agent is compared with itself (`AgentHistory`); nil is the default, `defaultHistorySeconds`.
    /// Optional so policies stored before the key existed still decode.
    public var historySeconds: Double?

    /// An hour: long enough that a typical agent's own failure rate is known to a few tens of
    /// percent, short enough that its mix of data has not moved on.
    public static let defaultHistorySeconds = 3_600.0

    /// The history window in effect.
    public var historyWindow: Double { historySeconds ?? Self.defaultHistorySeconds }

    public init(
        intervalSeconds: Double = 30,
        alpha: Double = 0.01,
        checks: [Check],
        onNoData: FailureAction = .halt,
        minAgentsPerCohort: Int = 2,
        historySeconds: Double? = nil,
        onInconclusive: InconclusiveAction? = nil
    ) {
        self.intervalSeconds = intervalSeconds
        self.alpha = alpha
        self.checks = checks
        self.onNoData = onNoData
        self.onInconclusive = onInconclusive
        self.minAgentsPerCohort = minAgentsPerCohort
        self.historySeconds = historySeconds
    }
}

/// One guarded signal, compared canary against baseline.
public struct Check: Sendable, Hashable, Codable {
    public var name: String
    public var kind: CheckKind
    /// Which direction is a regression.
    public var worseWhen: Direction
    /// How much worse the canary may be before it counts as a regression.
    public var tolerance: Tolerance
    public var onFail: FailureAction
    /// Data-point (or span) attributes that must match for data to count, e.g. `record.type: invoice`.
    public var filter: [String: String]
    /// The regression a pass must rule out, as a multiple of the tolerated ratio (divided by it
    /// when lower is worse): the smallest regression the operator needs kept from promoting. A
    /// canary that much worse passes at most `passLevel` of the time; a smaller factor guards
    /// against smaller regressions and needs more data to pass. Nil is `defaultDesignFactor`;
    /// optional so policies stored before the key existed still decode.
    public var designFactor: Double?
    /// What this check does when it is still inconclusive at the end of the bake; nil is the
    /// analysis' `onInconclusive`.
    public var onInconclusive: InconclusiveAction?
    /// Evaluated and reported at every look, never acted on: a failing dry-run check neither
    /// rolls back nor holds a promotion. The way to trust a new check before enforcing it.
    /// Optional so policies stored before the key existed still decode.
    public var dryRun: Bool?

    /// Twice the tolerated ratio: under a 10% tolerance a canary at 2.2× the baseline's failure
    /// ratio promotes in at most 10% of steps, and a healthy one passes within an hour's bake on
    /// a typical fleet (docs/decision-benchmark.md measures the whole operating characteristic).
    public static let defaultDesignFactor = 2.0

    /// The failure rate below which a ratio or spans check passes whatever the baseline's (0.1%
    /// of records or spans), unless `tolerance.absolute` gives one: a canary that confidently
    /// fails less than that is acceptable, and with no failures on either side it is the only
    /// way to pass, since there is no ratio to bound.
    public static let defaultAbsoluteFloor = 0.001

    /// The design factor in effect.
    public var effectiveDesignFactor: Double { designFactor ?? Self.defaultDesignFactor }

    /// Whether the check only reports.
    public var isDryRun: Bool { dryRun ?? false }

    public init(
        name: String,
        kind: CheckKind,
        worseWhen: Direction = .higher,
        tolerance: Tolerance = Tolerance(),
        onFail: FailureAction = .rollback,
        filter: [String: String] = [:],
        designFactor: Double? = nil,
        onInconclusive: InconclusiveAction? = nil,
        dryRun: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.worseWhen = worseWhen
        self.tolerance = tolerance
        self.onFail = onFail
        self.filter = filter
        self.designFactor = designFactor
        self.onInconclusive = onInconclusive
        self.dryRun = dryRun
    }
}

public enum CheckKind: Sendable, Hashable, Codable {
    /// `numerator / denominator` of two cumulative counters, e.g. enrichment failures per record.
    case ratio(numerator: String, denominator: String)
    /// Failed spans of one name over all spans of that name.
    case spans(name: String, failedWhen: [SpanFailureCondition])
    /// A quantile (0, 1) of an explicit-bucket histogram, e.g. p99 latency.
    case histogram(metric: String, quantile: Double)
    /// Per-agent throughput of one counter (increase per second).
    case rate(metric: String)

    /// The YAML key naming this kind.
    public var keyword: String {
        switch self {
        case .ratio: "ratio"
        case .spans: "spans"
        case .histogram: "histogram"
        case .rate: "rate"
        }
    }
}

/// When a span counts as failed. The default (an empty list in the policy) is status ERROR or a
/// recorded exception.
public enum SpanFailureCondition: Sendable, Hashable, Codable {
    case statusError
    case exception
    case attribute(key: String, value: AttributeValue)
}

/// A scalar attribute value as it appears in telemetry and policies.
public enum AttributeValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)

    public var description: String {
        switch self {
        case .string(let s): s
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        }
    }
}

/// The margin by which the canary may be worse. With both given, the larger margin applies.
public struct Tolerance: Sendable, Hashable, Codable {
    /// Fraction of the baseline value, e.g. 0.10 for "10% worse is still fine".
    public var relative: Double?
    /// In the check's own unit, e.g. 0.001 for "0.1 percentage points" on a ratio.
    public var absolute: Double?

    public init(relative: Double? = nil, absolute: Double? = nil) {
        self.relative = relative
        self.absolute = absolute
    }

    /// The largest canary value still acceptable for a given baseline value.
    public func margin(forBaseline baseline: Double) -> Double {
        max(relative.map { abs(baseline) * $0 } ?? 0, absolute ?? 0)
    }
}

/// Where notifications go when a rollout halts, rolls back, completes or is acted on by hand.
/// A webhook's signing secret is best named by `secretEnv`, an environment variable of the
/// controller: a `secret` written in the policy is stored with the rollout and shown by the API.
public enum NotifyTarget: Sendable, Hashable, Codable {
    case webhook(url: String, secret: String?, secretEnv: String? = nil, format: WebhookFormat)
    case alertmanager(url: String)
}

public enum WebhookFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case json
    case slack
}
