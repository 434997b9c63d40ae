import BellwetherAPI
import BellwetherCore
import BellwetherFleetSim

/// Whether the controller decided as a scenario deserves: a healthy version reaches every agent;
/// a faulty one is stopped before it reaches everyone, halted or rolled back (as the failing
/// check's `onFail` says) by a check of the kind that watches what it breaks — or, for a version
/// that kills its agents, by the canary it lost. The demo's exit status.
struct DemoExpectation {
    let scenario: FleetScenario
    let policy: Policy

    /// The rollout is over as far as the demo is concerned: finished, or halted for a human.
    static func isSettled(_ phase: RolloutPhase) -> Bool {
        switch phase {
        case .completed, .rolledBack, .aborted, .halted: true
        case .pending, .progressing, .rollingBack: false
        }
    }

    /// The kinds of check (`ratio`, `spans`, `histogram`, `rate`) that should catch the version.
    var catchingKinds: Set<String> {
        switch scenario {
        case .healthy, .agentCrash: []
        case .silentKiller: ["ratio", "spans"]
        case .latency: ["histogram"]
        case .throughput, .crashLoop: ["rate"]
        }
    }

    /// Whether a halt on missing or insufficient evidence (`onNoData`, or a check of the catching
    /// kind still inconclusive at the bake's end) also counts: per-agent throughput differs
    /// tenfold between agents, so a rate check on 20 canaries may still be inconclusive when the
    /// bake ends, and the policy then halts rather than promote.
    var acceptsNoData: Bool {
        scenario == .throughput || scenario == .crashLoop
    }

    /// Nil when met; otherwise what went differently.
    func unmet(rollout: RolloutView, events: [AuditEventView]) -> String? {
        let phase = rollout.state.phase
        if scenario.shouldComplete {
            return phase == .completed ? nil : "the healthy version should have completed, but the rollout is \(rollout.state.description): \(rollout.reason)"
        }
        guard phase == .rolledBack || phase == .halted else {
            return "the \(scenario.rawValue) version should have been halted or rolled back, but the rollout is \(rollout.state.description)"
        }
        guard let stop = events.last(where: { $0.from?.phase == .progressing && $0.to.phase != .progressing }) else {
            return "the rollout never left its steps"
        }
        if let step = stop.from?.step, step >= rollout.steps.count {
            return "the version reached the last step before it was stopped"
        }
        switch stop.detail {
        case .checkFailed(let check, _, _)?:
            let kind = policy.analysis.checks.first { $0.name == check }?.kind.keyword ?? "?"
            if !catchingKinds.contains(kind) {
                return "check \(check) (\(kind)) stopped the version, but a \(catchingKinds.sorted().joined(separator: " or ")) check should have"
            }
            return nil
        case .noData? where acceptsNoData:
            return nil
        case .checkInconclusive(let check, _, _)? where acceptsNoData:
            let kind = policy.analysis.checks.first { $0.name == check }?.kind.keyword ?? "?"
            return catchingKinds.contains(kind) ? nil : "check \(check) (\(kind)) was left inconclusive, but a \(catchingKinds.sorted().joined(separator: " or ")) check should have stopped the version"
        case .canaryLost? where scenario == .agentCrash:
            return nil
        default:
            return "the rollout was stopped, but not by a failed check: \(stop.reason)"
        }
    }
}
