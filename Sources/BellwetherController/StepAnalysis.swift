import BellwetherCore

/// Judges one step's analysis window from stored observations, boundary by boundary, exactly as
/// `bellwether analyze` replays a recording: so the live decision and a back-test of the same
/// data agree, and a controller that restarts recomputes the same evaluations from the store.
///
/// Observations from the interval before `start` only set each agent's starting counters (agents
/// joined mid-life, so a first value is a reference, not an increase); data from an agent on the
/// wrong version for its side is dropped before normalisation, so an upgrade's counter reset
/// never counts as an increase of either version.
struct StepAnalysis: Sendable {
    let plan: CohortPlan
    let step: Int
    /// Seconds since the Unix epoch.
    let start: Double
    /// What each agent did on the stable version before the step (`AgentHistory`).
    var history: [AgentSample] = []

    var interval: Double { plan.rollout.policy.analysis.intervalSeconds }

    /// The window the agents' history comes from: the policy's `analysis.history` before the start.
    var historyWindow: (from: Double, through: Double) {
        (start - plan.rollout.policy.analysis.historyWindow, start)
    }

    /// The history in `observations`: increases of each agent on the stable version up to the
    /// start, normalised on their own (an upgrade's counter reset stays out of them).
    func history(from observations: [AgentObservation]) -> [AgentSample] {
        let roles = plan.roles
        let rollout = plan.rollout
        let stable = observations
            .filter { observation in
                observation.time <= start && roles[observation.agent] != nil
                    && (rollout.stableVersion.map { observation.version == $0 } ?? (observation.version != rollout.targetVersion))
            }
            .enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        var normalizer = CumulativeNormalizer(firstValue: .reference)
        var totals: [String: AgentSample] = [:]
        for observation in stable {
            let sample = normalizer.sample(
                agent: observation.agent, cohort: roles[observation.agent] ?? .baseline, time: observation.time,
                counters: observation.counters, spans: observation.spans, histograms: [:]
            )
            // An agent's first report only sets where its counters stand.
            guard sample.coveredSeconds != nil else { continue }
            totals[sample.agent] = totals[sample.agent].map { $0.adding(sample) } ?? sample
        }
        return totals.keys.sorted().compactMap { totals[$0] }
    }

    /// The window observations must come from to judge boundaries up to `boundary`.
    func readWindow(through boundary: Int) -> (from: Double, through: Double) {
        (start - interval, start + Double(boundary) * interval)
    }

    /// Evaluations of boundaries 1 through `last`, stopping early at the first decision `stops`
    /// accepts (the one the controller will act on).
    func evaluate(_ observations: [AgentObservation], through last: Int, stopAt stops: (StepDecision) -> Bool) -> [Evaluation] {
        guard last >= 1 else { return [] }
        let roles = plan.roles
        let counted = observations
            .filter { observation in roles[observation.agent].map { plan.qualifies(observation, as: $0) } ?? false }
            .enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        var engine = AnalysisEngine(policy: plan.rollout.policy, step: step, start: start)
        for sample in history { engine.ingestHistory(sample) }
        var normalizer = CumulativeNormalizer(firstValue: .reference)
        var evaluations: [Evaluation] = []
        var next = counted.startIndex
        for boundary in 1...last {
            let time = engine.boundary(boundary)
            while next < counted.endIndex, counted[next].time <= time {
                let observation = counted[next]
                next += 1
                let sample = normalizer.sample(
                    agent: observation.agent, cohort: roles[observation.agent] ?? .baseline, time: observation.time,
                    counters: observation.counters, spans: observation.spans, histograms: observation.histograms
                )
                if observation.time > start { engine.ingest(sample) }
            }
            let evaluation = engine.evaluate(boundary)
            evaluations.append(evaluation)
            if let decision = evaluation.decision, stops(decision) { break }
        }
        return evaluations
    }
}
