/// What the analysis concludes about a step, and why: the last line of `bellwether analyze` and
/// the event the controller feeds its state machine.
public struct StepDecision: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case rollback
        case halt
        /// The bake time elapsed with every check passing.
        case promote
        /// The data ended before the bake time did, with no check failing.
        case inconclusive
    }

    public var decision: Kind
    public var time: Double
    /// The check that decided, or nil when missing data or the clock decided.
    public var check: String?
    public var reason: String
    /// Set when the decision comes from `check` still being inconclusive at the end of the bake:
    /// the action its policy gives (a halt or pause halts, a continue promotes).
    public var onInconclusive: InconclusiveAction?

    public init(decision: Kind, time: Double, check: String?, onInconclusive: InconclusiveAction? = nil, reason: String) {
        self.decision = decision
        self.time = time
        self.check = check
        self.onInconclusive = onInconclusive
        self.reason = reason
    }

    init(action: FailureAction, time: Double, check: String?, reason: String) {
        self.init(decision: action == .rollback ? .rollback : .halt, time: time, check: check, reason: reason)
    }

    /// Encodes `check` as an explicit null, as the replay format shows it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decision, forKey: .decision)
        try container.encode(time, forKey: .time)
        try container.encode(check, forKey: .check)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(onInconclusive, forKey: .onInconclusive)
    }
}

/// One evaluation: every check's verdict and, when the step is decided, the decision.
public struct Evaluation: Sendable, Hashable {
    public var time: Double
    public var verdicts: [CheckVerdict]
    public var decision: StepDecision?
}
