import BellwetherCore
import BellwetherStore
import Foundation
import Metrics

extension RolloutController {
    /// Judges the step at its latest complete boundary k = ⌊(now − start) / interval⌋ and returns
    /// the event its decision raises.
    ///
    /// Every boundary from the first is recomputed from stored telemetry, in order, as a replay
    /// would (the anytime-valid test may fail at a boundary it no longer fails at later, so none
    /// may be skipped after downtime), and each is recorded once. A progressing step acts on the
    /// first decision; a halted one keeps being judged for the operator's sake but acts only on a
    /// rollback (a halted rollout is frozen for promotion, not for safety).
    ///
    /// When the metric source fails, the boundary is recorded with the error as its problem and
    /// nothing moves; failing at two boundaries in a row leaves the step blind for a whole
    /// interval, which is the policy's `onNoData`, as a silent cohort would be.
    func analysisEvent(_ plan: CohortPlan, step: Int, start: Double, now: Date) async throws -> RolloutEvent? {
        let rollout = plan.rollout
        let analysis = StepAnalysis(plan: plan, step: step, start: start)
        let last = Int(((now.timeIntervalSince1970 - start) / analysis.interval).rounded(.down))
        let boundary = JudgedBoundary(step: step, windowStart: start, boundary: last)
        guard last >= 1, judged[rollout.id].map({ $0.covers(boundary) }) != true else { return nil }

        let recorded = try store.evaluations(rolloutID: rollout.id)
            .filter { $0.step == step && $0.windowStart == start }
        let recordedBoundaries = Set(recorded.map(\.boundary))
        let halted = rollout.state.phase == .halted
        let acts = { (decision: StepDecision) in !halted || decision.decision == .rollback }
        let range = analysis.readWindow(through: last)
        let observations: [AgentObservation]
        do {
            observations = try await metrics.observations(agents: plan.split.canary.union(plan.split.baseline), from: range.from, through: range.through)
        } catch {
            guard !Task.isCancelled else { return nil }
            judged[rollout.id] = boundary
            return try sourceFailed(error, plan: plan, at: boundary, time: range.through, recorded: recorded)
        }

        let started = ContinuousClock.now
        let evaluations = analysis.evaluate(observations, through: last, stopAt: acts)
        let elapsed = (ContinuousClock.now - started).components
        Timer(label: "bellwether_analysis_duration_seconds", factory: telemetry)
            .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        for (offset, evaluation) in evaluations.enumerated() where !recordedBoundaries.contains(offset + 1) {
            try store.recordEvaluation(RolloutEvaluation(
                rolloutID: rollout.id, step: step, windowStart: start, boundary: offset + 1, time: evaluation.time,
                verdicts: evaluation.verdicts, decision: evaluation.decision
            ))
        }
        judged[rollout.id] = boundary
        guard let decision = evaluations.last?.decision, acts(decision) else { return nil }
        return RolloutEvent(decision, step: step)
    }

    private func sourceFailed(
        _ error: any Error, plan: CohortPlan, at boundary: JudgedBoundary, time: Double, recorded: [RolloutEvaluation]
    ) throws -> RolloutEvent? {
        let problem = "the metric source could not be read: \(error)"
        logger.warning("rollout \(plan.rollout.id): \(problem)", metadata: ["rollout": "\(plan.rollout.id)"])
        try store.recordEvaluation(RolloutEvaluation(
            rolloutID: plan.rollout.id, step: boundary.step, windowStart: boundary.windowStart, boundary: boundary.boundary,
            time: time, verdicts: [], problem: problem
        ))
        let failedBefore = recorded.contains { $0.boundary == boundary.boundary - 1 && $0.problem != nil }
        let failedNow = recorded.first { $0.boundary == boundary.boundary }.map { $0.problem != nil } ?? true
        guard failedBefore, failedNow else { return nil }
        return .noData(
            action: plan.rollout.policy.analysis.onNoData,
            detail: "the metric source failed at two boundaries in a row, a whole interval without data: \(error)"
        )
    }
}
