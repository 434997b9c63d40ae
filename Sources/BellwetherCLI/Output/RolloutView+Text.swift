import BellwetherAPI
import Foundation

extension RolloutView {
    /// `2.3.1 → 2.4.0`, or `? → 2.4.0` when no live agent was selected at the start.
    var versions: String { "\(stableVersion ?? "?") → \(targetVersion)\(dryRun ? " (dry run)" : "")" }

    /// `1: canary 10% bake 15m`, one per step.
    var stepLines: [String] {
        steps.enumerated().map { index, step in
            let percent = step.percent == step.percent.rounded() ? String(Int(step.percent)) : String(step.percent)
            let bake = step.bakeSeconds.map { " bake \(Self.duration($0))" } ?? ""
            let marker = state.step == index + 1 ? "  ← current" : ""
            return "\(index + 1): \(step.cohort) \(percent)%\(bake)\(marker)"
        }
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }

    static func table(_ rollouts: [RolloutView]) -> String {
        var table = TextTable("ID", "POLICY", "VERSIONS", "STATE", "UPDATED")
        for rollout in rollouts {
            table.add(rollout.id, rollout.policy, rollout.versions, rollout.state.description, Printer.time(rollout.updatedAt))
        }
        return table.rendered
    }
}
