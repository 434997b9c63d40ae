import BellwetherCore
import BellwetherTelemetry

/// Which rollout, cohort and check a failing span is evidence for, decided when it arrives from
/// what the control loop last told its agent (the registry's assignment: rollout and cohort).
///
/// At ingest rather than at read time, because the assignment is the truth at that instant: at
/// read time the cohorts of a past step would have to be recomputed from the fleet as it was then
/// (which agents reported, their labels), which the store does not keep. So a kept exemplar says
/// once and for all whose it was. As the analysis does (`CohortPlan.qualifies`), a span counts for
/// the canary only from the target version and for the baseline only from the stable one, so an
/// agent still upgrading never lends its old version's failures to the new one. Agents of no
/// rollout, and dry runs (which assign nothing), keep exemplars in memory only.
enum ExemplarAttribution {
    static func exemplars(
        _ failing: [SpanAccumulator.FailingSpan], receivedAt time: Double, fleet: FleetRegistry
    ) async -> [RolloutExemplar] {
        guard !failing.isEmpty else { return [] }
        var assignments: [String: AgentAssignment] = [:]
        for agent in Set(failing.map(\.exemplar.agent)) {
            assignments[agent] = await fleet.member(id: agent)?.assignment
        }
        return failing.flatMap { span -> [RolloutExemplar] in
            guard let assignment = assignments[span.exemplar.agent], let rollout = assignment.rolloutID,
                  let cohort = assignment.cohort,
                  assignment.desiredVersion.map({ $0 == span.exemplar.version }) ?? true
            else { return [] }
            return span.checks.filter { $0.rolloutID == rollout }.map {
                RolloutExemplar(rolloutID: rollout, cohort: cohort, check: $0.check, receivedAt: time, span: span.exemplar)
            }
        }
    }
}
