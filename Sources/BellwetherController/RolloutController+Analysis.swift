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
        var analysis = StepAnalysis(plan: plan, step: step, start: start)
        let last = Int(((now.timeIntervalSince1970 - start) / analysis.interval).rounded(.down))
        let boundary = JudgedBoundary(step: step, windowStart: start, boundary: last)
        guard last >= 1, judged[rollout.id].map({ $0.covers(boundary) }) != true else { return nil }

        let recorded = try store.evaluations(rolloutID: rollout.id)
            .filter { $0.step == step && $0.windowStart == start }
        let recordedByBoundary = Dictionary(recorded.map { ($0.boundary, $0) }, uniquingKeysWith: { $1 })
        let halted = rollout.state.phase == .halted
        let acts = { (decision: StepDecision) in !halted || decision.decision == .rollback }
        let range = analysis.readWindow(through: last)
        let observations: [AgentObservation]
        do {
            observations = try await metrics.source(for: rollout.policy).observations(
                agents: plan.split.canary.union(plan.split.baseline), from: range.from, through: range.through,
                needs: MetricNeeds(rollout.policy.analysis)
            )
        } catch {
            guard !Task.isCancelled else { return nil }
            judged[rollout.id] = boundary
            return try sourceFailed(error, plan: plan, at: boundary, time: range.through, recorded: recorded)
        }

        analysis.history = await history(for: analysis)
        let started = ContinuousClock.now
        let evaluations = analysis.evaluate(observations, through: last, stopAt: acts)
        let elapsed = (ContinuousClock.now - started).components
        Timer(label: "bellwether_analysis_duration_seconds", factory: telemetry)
            .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        for (offset, evaluation) in evaluations.enumerated() {
            let record = RolloutEvaluation(
                rolloutID: rollout.id, step: step, windowStart: start, boundary: offset + 1, time: evaluation.time,
                verdicts: evaluation.verdicts, decision: evaluation.decision
            )
            guard let earlier = recordedByBoundary[offset + 1] else {
                try store.recordEvaluation(record)
                continue
            }
            // Judged before data stamped exactly at the boundary arrived, and deciding now: the
            // evaluation on record must be the one the decision comes from.
            if let decision = evaluation.decision, earlier.decision != decision {
                try store.replaceEvaluation(record)
            }
        }
        judged[rollout.id] = boundary
        try recordDryRunFailures(evaluations, plan: plan, since: start, now: now)
        guard let decision = evaluations.last?.decision, acts(decision) else { return nil }
        return RolloutEvent(decision, step: step)
    }

    /// The first failure of each dry-run check in this step's analysis, recorded once (it changes
    /// no state): evidence for an operator deciding whether to enforce the check.
    private func recordDryRunFailures(_ evaluations: [Evaluation], plan: CohortPlan, since start: Double, now: Date) throws {
        let dryRuns = plan.rollout.policy.analysis.checks.filter(\.isDryRun).map(\.name)
        guard !dryRuns.isEmpty else { return }
        var failures: [(check: String, evidence: String)] = []
        for name in dryRuns {
            if let failed = evaluations.lazy.compactMap({ $0.verdicts.first { $0.check == name && $0.verdict == .fail } }).first {
                failures.append((name, failed.detail))
            }
        }
        guard !failures.isEmpty else { return }
        let told = Set(try store.events(rolloutID: plan.rollout.id).compactMap { event -> String? in
            guard event.at.timeIntervalSince1970 >= start, case .dryRunCheckFailed(let check, _) = event.event else { return nil }
            return check
        })
        var rollout = plan.rollout
        for failure in failures where !told.contains(failure.check) {
            guard let moved = record(.dryRunCheckFailed(check: failure.check, evidence: failure.evidence), on: rollout, at: now) else { return }
            rollout = moved
        }
    }

    /// The agents' history before the step, read once per step and kept: it lies in the past, so
    /// it cannot change (observations are stamped on arrival). When it cannot be read, the step is
    /// judged without it, each agent against the others only, which is valid but slower, and it
    /// is tried again at the next pass.
    private func history(for analysis: StepAnalysis) async -> [AgentSample] {
        let key = HistoryKey(rolloutID: analysis.plan.rollout.id, step: analysis.step, windowStart: analysis.start)
        if let kept = histories[key] { return kept }
        let window = analysis.historyWindow
        let agents = analysis.plan.split.canary.union(analysis.plan.split.baseline)
        do {
            let policy = analysis.plan.rollout.policy
            let observations = try await metrics.source(for: policy).observations(
                agents: agents, from: window.from, through: window.through, needs: MetricNeeds(policy.analysis)
            )
            let samples = analysis.history(from: observations)
            histories = histories.filter { $0.key.rolloutID != key.rolloutID }
            histories[key] = samples
            return samples
        } catch {
            logger.warning("rollout \(key.rolloutID): the agents' history before step \(analysis.step + 1) could not be read, judging without it: \(error)")
            return []
        }
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
