import BellwetherCore
import BellwetherStore
import Foundation

/// One rollout's agents at one instant: who is selected, who is in the canary and the baseline of
/// a step, whose data counts, and what each agent should run.
///
/// Selected agents are the known agents the policy's selector matches. Those that are silent
/// (no heartbeat for `silentAfter`) take no part in cohorts or counts, and their assignment is left
/// as it is, so an agent that drops out for a while comes back to what it was told — except an
/// agent told to run the target version: a canary agent that goes silent stays in the canary, as
/// the version's casualty rather than a vacancy for a fresh agent to fill, and counts against
/// convergence (`canaryLoss`) until it reports the target version again.
struct CohortPlan: Sendable {
    let rollout: Rollout
    /// Every selected agent, silent or not, by id.
    let selected: [String: KnownAgent]
    /// Selected agents that reported recently.
    let reporting: [String: KnownAgent]
    /// The canary and baseline of `step`, drawn from the reporting agents and the silent ones
    /// told to run the target version.
    let split: CohortSplit
    let step: Int?

    init(rollout: Rollout, fleet: [KnownAgent], now: Date, silentAfter: TimeInterval) {
        self.rollout = rollout
        let selected = fleet.filter { rollout.policy.selector.matches($0.agent.labels) }
        self.selected = Dictionary(uniqueKeysWithValues: selected.map { ($0.id, $0) })
        let reporting = selected.filter { !$0.isSilent(at: now, after: silentAfter) }
        self.reporting = Dictionary(uniqueKeysWithValues: reporting.map { ($0.id, $0) })
        step = rollout.state.step
        guard let step else {
            split = CohortSplit()
            return
        }
        let silentOnTarget = rollout.dryRun ? [] : selected.filter { $0.desiredVersion == rollout.targetVersion && $0.isSilent(at: now, after: silentAfter) }
        let assigner = CohortAssigner(rolloutID: rollout.id, stratifyBy: rollout.policy.stratifyBy)
        split = assigner.split(
            agents: (reporting + silentOnTarget).map { CohortMember(id: $0.id, labels: $0.agent.labels) },
            percent: rollout.policy.steps[step].percent
        )
    }

    /// Canary agents that report the target version (in a dry run, where nobody is asked to
    /// change, every canary agent).
    var convergedCanary: Int {
        guard !rollout.dryRun else { return split.canary.count }
        return split.canary.count { reporting[$0]?.agent.version == rollout.targetVersion }
    }

    /// Whether enough of the canary reports the target version: at least `convergence.minFraction`
    /// of it, and at least one agent (an empty canary has nothing to judge).
    var hasConverged: Bool {
        let assigned = split.canary.count
        return assigned > 0 && Double(convergedCanary) >= rollout.policy.convergence.minFraction * Double(assigned) - 1e-9
    }

    /// How much more of the canary than of the rest of the fleet went silent during the step that
    /// began at `stepStart`: nil while the canary is still converged (at least
    /// `convergence.minFraction` of it reports the target version), else the canary's share of
    /// silent agents and the share of the other selected agents that reported during the step and
    /// have fallen silent since. A stall that silences everyone (a network partition, a paused
    /// simulator) silences both alike; a version that crashes its agents silences the canary.
    func canaryLoss(stepStart: Date, now: Date, silentAfter: TimeInterval) -> (canary: Double, others: Double)? {
        guard !rollout.dryRun, !hasConverged, !split.canary.isEmpty else { return nil }
        let lost = split.canary.count { reporting[$0] == nil }
        let others = selected.values.filter { !split.canary.contains($0.id) && $0.agent.lastSeen >= stepStart }
        let othersLost = others.count { $0.isSilent(at: now, after: silentAfter) }
        return (Double(lost) / Double(split.canary.count), others.isEmpty ? 0 : Double(othersLost) / Double(others.count))
    }

    /// Which side of the comparison each canary and baseline agent is on.
    var roles: [String: CohortRole] {
        var roles: [String: CohortRole] = [:]
        for id in split.baseline { roles[id] = .baseline }
        for id in split.canary { roles[id] = .canary }
        return roles
    }

    /// Data counts only from the version its side is about: canary data from the target version,
    /// baseline data from the stable one. In a dry run both sides run whatever they run (an A/A
    /// comparison), and with no known stable version any baseline version counts.
    func qualifies(_ observation: AgentObservation, as role: CohortRole) -> Bool {
        switch role {
        case .canary: rollout.dryRun || observation.version == rollout.targetVersion
        case .baseline: rollout.stableVersion.map { observation.version == $0 } ?? true
        }
    }

    /// Selected agents that still report the target version while rolling back (silent ones excepted).
    var stillOnTarget: Int {
        reporting.values.count { $0.agent.version == rollout.targetVersion }
    }

    /// What each agent the rollout owns should run now. A dry run assigns nothing.
    ///
    /// At a step, the reporting canary runs the target version and every other reporting selected
    /// agent the stable one (`nil`, "keep what you run", when the stable version is unknown).
    /// Rolling back, every selected agent, silent or not, is sent back to the stable version.
    var assignments: [String: AgentAssignment] {
        guard !rollout.dryRun else { return [:] }
        switch rollout.state {
        case .progressing(let step), .halted(let step):
            var assignments: [String: AgentAssignment] = [:]
            for id in reporting.keys {
                if split.canary.contains(id) {
                    assignments[id] = target(cohort: rollout.policy.steps[step].cohort)
                } else {
                    assignments[id] = stable(cohort: split.baseline.contains(id) ? AgentAssignment.baselineCohort : nil)
                }
            }
            return assignments
        case .rollingBack:
            return selected.mapValues { _ in stable(cohort: nil) }
        case .pending, .completed, .rolledBack, .aborted:
            return [:]
        }
    }

    /// What the agents of a finished rollout are told as it lets them go: a completed rollout's
    /// agents keep the target version (with its artifact, for any still installing it), a
    /// rolled-back one's the stable version, and an aborted one's whatever they run, as the audit
    /// log's "agents stay on the version they run" says.
    var releases: [String: AgentAssignment] {
        selected.mapValues { known in
            switch rollout.state {
            case .aborted:
                return AgentAssignment(desiredVersion: nil)
            default:
                let desired = known.desiredVersion
                return AgentAssignment(desiredVersion: desired, artifact: desired == rollout.targetVersion ? rollout.artifact : nil)
            }
        }
    }

    private func target(cohort: String) -> AgentAssignment {
        AgentAssignment(desiredVersion: rollout.targetVersion, artifact: rollout.artifact, rolloutID: rollout.id, cohort: cohort)
    }

    private func stable(cohort: String?) -> AgentAssignment {
        AgentAssignment(desiredVersion: rollout.stableVersion, rolloutID: rollout.id, cohort: cohort)
    }
}
