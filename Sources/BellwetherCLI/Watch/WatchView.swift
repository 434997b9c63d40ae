import BellwetherAPI
import BellwetherCore
import Foundation

/// The watch screen as lines of text, a pure function of a `WatchState`: ANSI colour for a
/// terminal, or the same words with no escape codes when the output is piped.
struct WatchView {
    var colour: Bool

    func lines(_ state: WatchState) -> [String] {
        let health = state.health
        let rollout = health.rollout
        var lines = [
            "\(bold("rollout")) \(rollout.id) (policy \(rollout.policy)), \(rollout.stableVersion ?? "?") → \(rollout.targetVersion)\(rollout.dryRun ? ", dry run" : "")",
            "\(bold("state  ")) \(paint(rollout.state.description, phaseColour(rollout.state.phase))): \(rollout.reason)",
        ]
        if let step = rollout.state.step, rollout.steps.indices.contains(step - 1) {
            let spec = rollout.steps[step - 1]
            var text = "\(bold("step   ")) \(step) of \(rollout.steps.count): cohort \(spec.cohort) (\(Self.number(spec.percent))%)"
            if let bake = state.bake, bake.step == step, let total = bake.total, let left = bake.left {
                text += ", baked \(Self.duration(bake.baked)) of \(Self.duration(total)), \(Self.duration(left)) left"
            } else if let total = spec.bakeSeconds {
                text += ", bake \(Self.duration(total)), not judged yet"
            }
            lines.append(text)
        }
        if health.cohorts.isEmpty {
            lines.append("\(bold("cohorts")) none: the rollout is not at a step")
        }
        for (index, cohort) in health.cohorts.enumerated() {
            let expected = cohort.role == .canary ? rollout.targetVersion : rollout.stableVersion ?? "stable"
            let silent = cohort.silent > 0 ? paint("\(cohort.silent) silent", .red) : "0 silent"
            lines.append((index == 0 ? bold("cohorts") : "       ")
                + " \(cohort.role.rawValue) (\(cohort.name)): \(cohort.agents) assigned, \(cohort.onExpectedVersion) converged on \(expected), \(silent)")
        }
        if health.checks.isEmpty {
            lines.append("\(bold("checks ")) none judged yet")
        }
        for (index, check) in health.checks.enumerated() {
            lines.append((index == 0 ? bold("checks ") : "       ") + " \(check.label): \(paint(check.verdict.rawValue, verdictColour(check.verdict)))")
            lines.append("          canary \(Self.number(check.canary.value)) (n \(Self.number(check.canary.n)), \(check.canary.agents) agents)"
                + "  baseline \(Self.number(check.baseline.value)) (n \(Self.number(check.baseline.n)), \(check.baseline.agents) agents)")
            var bounds = "          ratio \(Self.number(check.ratio)) [\(Self.number(check.ratioLower)), \(Self.number(check.ratioUpper))]"
            if let tolerated = check.toleratedRatio { bounds += ", tolerated \(Self.number(tolerated))" }
            if let e = check.eValue { bounds += ", e-value \(Self.number(e))" }
            lines.append(bounds)
            if check.verdict == .inconclusive, let needed = check.needed {
                lines.append("          still needed: \(Self.needed(needed))")
            }
            lines.append("          \(check.detail)")
        }
        if let decision = state.decision {
            let check = decision.check.map { " (\($0))" } ?? ""
            lines.append("\(bold("decision")) \(paint(decision.decision.rawValue, decisionColour(decision.decision)))\(check): \(decision.reason)")
        }
        if !state.events.isEmpty {
            lines.append(bold("recent events"))
            for event in state.events {
                lines.append("  \(Printer.time(event.at))  \(event.kind) → \(event.to.description) (\(event.actor)): \(event.reason)")
            }
        }
        if state.isFinished {
            lines.append(finalLine(rollout.state.phase))
        }
        return lines
    }

    private func finalLine(_ phase: RolloutPhase) -> String {
        switch phase {
        case .completed: paint("rollout completed", .green)
        case .halted: paint("rollout halted: it waits for a human to resume, promote, roll back or abort it", .red)
        default: paint("rollout \(phase.rawValue)", .red)
        }
    }

    static func needed(_ needed: EvidenceNeeded) -> String {
        if let blocker = needed.blocker { return blocker }
        var text = needed.canaryExposure.map { "\(number($0)) more canary exposure" } ?? "more canary data"
        if let seconds = needed.seconds { text += " (about \(Self.duration(seconds)) at the current pace)" }
        return text
    }

    /// `2m 30s`: whole seconds, the way a person reads a countdown.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let whole = Int(max(0, seconds).rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return whole % 60 == 0 ? "\(whole / 60)m" : "\(whole / 60)m \(whole % 60)s" }
        return "\(whole / 3600)h \(whole % 3600 / 60)m"
    }

    /// Four significant digits, no exponent below 1e-3 surprises: enough to compare by eye.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value != 0, abs(value) < 0.001 { return String(format: "%.2e", value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }

    enum Colour: String {
        case red = "31", green = "32", yellow = "33", blue = "34"
    }

    private func paint(_ text: String, _ colour: Colour?) -> String {
        guard self.colour, let colour else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String {
        colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    private func phaseColour(_ phase: RolloutPhase) -> Colour? {
        switch phase {
        case .completed: .green
        case .progressing: .blue
        case .halted: .yellow
        case .rollingBack, .rolledBack, .aborted: .red
        case .pending: nil
        }
    }

    private func verdictColour(_ verdict: Verdict) -> Colour {
        switch verdict {
        case .pass: .green
        case .fail: .red
        case .inconclusive: .yellow
        }
    }

    private func decisionColour(_ decision: StepDecision.Kind) -> Colour {
        switch decision {
        case .promote: .green
        case .rollback, .halt: .red
        case .inconclusive: .yellow
        }
    }
}
