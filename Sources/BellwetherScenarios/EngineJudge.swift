import BellwetherCore

/// Bellwether's own decision engine as a `SequentialJudge`: an alarm is a failed check (the
/// rollback the policy asks for); promotion and a halt for missing data end the watch without one.
///
/// Runs without the time-uniform bounds (`computesBounds: false`): they are evidence for people
/// and never change a decision, and simulations run several times faster without them.
public struct EngineJudge: SequentialJudge {
    public let policy: Policy
    private var engine: AnalysisEngine?
    /// The decision that ended the watch, for reports and tests.
    public private(set) var decision: StepDecision?

    public init(policy: Policy) {
        self.policy = policy
    }

    /// History waits here until the first sample fixes the step's start.
    private var history: [AgentSample] = []

    public mutating func ingestHistory(_ sample: AgentSample) {
        history.append(sample)
    }

    public mutating func ingest(_ sample: AgentSample, interval: Int) {
        if engine == nil {
            engine = AnalysisEngine(policy: policy, step: 0, start: sample.time, computesBounds: false)
            for past in history { engine?.ingestHistory(past) }
        }
        engine?.ingest(sample)
    }

    public mutating func evaluate(_ index: Int, time: Double) -> JudgeStep {
        guard let decided = engine?.evaluate(index).decision else { return .keepWatching }
        decision = decided
        // A decision naming a check is a failed check, unless the check was only inconclusive at
        // the bake's end; one without names missing data or the clock.
        if decided.check != nil, decided.onInconclusive == nil { return .alarm }
        return .stop("\(decided.decision.rawValue): \(decided.reason)")
    }
}
