/// Runs the decision engine over a recorded stream of observations, exactly as the live
/// controller would have run it at each analysis-interval boundary, and reports every verdict and
/// the final decision. `bellwether analyze` is this plus file reading and JSON printing.
public struct ReplayAnalysis: Sendable {
    /// What the replay reports, in order: each evaluation's verdicts, then one decision.
    public enum Output: Sendable, Hashable {
        case verdict(CheckVerdict)
        case decision(StepDecision)
    }

    private let policy: Policy
    private let step: Int
    private let stepStart: Double?
    private var engine: AnalysisEngine?
    private var normalizer = CumulativeNormalizer()
    private var evaluated = 0
    private var lastTime: Double?
    public private(set) var decision: StepDecision?
    /// Before `stepStart`: each agent's increases on the stable version within the policy's
    /// history window, as the controller reads them from its store (`StepAnalysis.history`).
    private var historyNormalizer = CumulativeNormalizer(firstValue: .reference)
    private var history: [String: AgentSample] = [:]

    /// - Parameters:
    ///   - step: 0-based index of the policy step whose bake time applies.
    ///   - stepStart: when the step began (seconds since the Unix epoch). Lines before it are the
    ///     agents' history on the stable version — each agent is then compared with itself, as
    ///     live — and set where their counters stand when the step begins; the analysis and its
    ///     intervals start there. Nil: the step begins with the first line, with no history.
    public init(policy: Policy, step: Int, stepStart: Double? = nil) {
        self.policy = policy
        self.step = step
        self.stepStart = stepStart
    }

    /// Feeds one observation (line number `line`, for errors) and returns whatever evaluations
    /// its time completes. After a decision, further observations are only checked for order.
    public mutating func ingest(_ observation: ReplayObservation, line: Int) throws(ReplayFormatError) -> [Output] {
        if let lastTime, observation.time < lastTime {
            throw ReplayFormatError(line: line, message: "time \(observation.time) is earlier than the previous line's \(lastTime): lines must be in time order")
        }
        lastTime = observation.time
        guard decision == nil else { return [] }
        if let stepStart, observation.time < stepStart {
            recordHistory(observation, before: stepStart)
            return []
        }
        if engine == nil { startEngine(at: stepStart ?? observation.time) }
        // Every boundary strictly before this observation has all its data now.
        let outputs = evaluate(through: observation.time, inclusive: false)
        guard decision == nil else { return outputs }
        let sample = normalizer.sample(
            agent: observation.agent, cohort: observation.cohort, time: observation.time,
            counters: observation.counters, spans: observation.spans, histograms: observation.histograms
        )
        // Mutate in place: a copy would duplicate every check's series on each line.
        engine?.ingest(sample)
        return outputs
    }

    /// A line before the step: it sets where the agent's counters stand when the step begins, and
    /// within the history window adds to the agent's history.
    private mutating func recordHistory(_ observation: ReplayObservation, before start: Double) {
        _ = normalizer.sample(
            agent: observation.agent, cohort: observation.cohort, time: observation.time,
            counters: observation.counters, spans: observation.spans, histograms: observation.histograms
        )
        guard observation.time >= start - policy.analysis.historyWindow else { return }
        let sample = historyNormalizer.sample(
            agent: observation.agent, cohort: observation.cohort, time: observation.time,
            counters: observation.counters, spans: observation.spans, histograms: [:]
        )
        // An agent's first line in the window only sets where its counters stand.
        guard sample.coveredSeconds != nil else { return }
        history[sample.agent] = history[sample.agent].map { $0.adding(sample) } ?? sample
    }

    /// The engine, given the whole history before its first look, as the controller gives it.
    private mutating func startEngine(at start: Double) {
        var started = AnalysisEngine(policy: policy, step: step, start: start)
        for agent in history.keys.sorted() {
            if let sample = history[agent] { started.ingestHistory(sample) }
        }
        engine = started
    }

    /// Ends the stream: evaluates the boundaries the last observation reached and, if nothing
    /// decided the step, reports it inconclusive.
    public mutating func finish() -> [Output] {
        guard decision == nil else { return [] }
        guard let lastTime else {
            let decided = StepDecision(action: policy.analysis.onNoData, time: 0, check: nil, reason: "no data from either cohort: the observations are empty")
            decision = decided
            return [.decision(decided)]
        }
        var outputs = evaluate(through: lastTime, inclusive: true)
        if decision == nil {
            let decided = StepDecision(
                decision: .inconclusive, time: lastTime, check: nil,
                reason: "the observations ended before the bake time did, with no check failing"
            )
            decision = decided
            outputs.append(.decision(decided))
        }
        return outputs
    }

    private mutating func evaluate(through time: Double, inclusive: Bool) -> [Output] {
        var outputs: [Output] = []
        while decision == nil, let boundary = engine?.boundary(evaluated + 1) {
            guard inclusive ? boundary <= time : boundary < time else { break }
            evaluated += 1
            guard let evaluation = engine?.evaluate(evaluated) else { break }
            outputs += evaluation.verdicts.map(Output.verdict)
            if let decided = evaluation.decision {
                decision = decided
                outputs.append(.decision(decided))
            }
        }
        return outputs
    }
}
