import BellwetherAPI
import BellwetherCore
import Foundation

/// Turns what the controller records (audit events, evaluations at each analysis boundary) into
/// the demo's running commentary, each item once. Pure formatting: the caller fetches and prints.
struct DemoNarrator {
    /// Controller time the commentary counts from.
    let origin: Date
    private var lastEventID: Int64 = 0
    private var seenBoundaries: Set<String> = []
    /// Per step and check, the verdict last told, so only changes are narrated.
    private var toldVerdicts: [String: Verdict] = [:]

    init(origin: Date) {
        self.origin = origin
    }

    func stamp(_ date: Date) -> String {
        let seconds = max(0, Int(date.timeIntervalSince(origin).rounded()))
        return String(format: "[%02d:%02d:%02d]", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    mutating func lines(events: [AuditEventView]) -> [String] {
        let fresh = events.filter { $0.id > lastEventID }.sorted { $0.id < $1.id }
        lastEventID = fresh.last?.id ?? lastEventID
        return fresh.map { event in
            "\(stamp(event.at)) \(Self.headline(event)): \(event.reason)"
        }
    }

    static func headline(_ event: AuditEventView) -> String {
        switch event.kind {
        case "created": "rollout created"
        case "agents-converged": "step \((event.to.step ?? event.from?.step).map(String.init) ?? "?") converged"
        case "step-baked": "step \(event.from?.step.map(String.init) ?? "?") baked, promoted → \(event.to.description)"
        case "check-failed": "CHECK FAILED → \(event.to.description)"
        case "check-inconclusive": "check inconclusive at the bake's end → \(event.to.description)"
        default: "\(event.kind) → \(event.to.description)"
        }
    }

    /// New boundaries: each check whose verdict changed (all of them at a step's first boundary),
    /// and the decision when one was taken there.
    mutating func lines(evaluations: [RolloutEvaluation]) -> [String] {
        var lines: [String] = []
        for evaluation in evaluations.sorted(by: { $0.time < $1.time }) {
            let key = "\(evaluation.step)/\(evaluation.windowStart)/\(evaluation.boundary)"
            guard seenBoundaries.insert(key).inserted else { continue }
            let at = stamp(Date(timeIntervalSince1970: evaluation.time))
            if let problem = evaluation.problem { lines.append("\(at)   telemetry could not be read: \(problem)") }
            for verdict in evaluation.verdicts {
                let checkKey = "\(evaluation.step)/\(verdict.check)"
                guard toldVerdicts[checkKey] != verdict.verdict || evaluation.decision != nil else { continue }
                toldVerdicts[checkKey] = verdict.verdict
                lines.append("\(at)   step \(evaluation.step + 1) " + Self.describe(verdict))
            }
            if let decision = evaluation.decision {
                lines.append("\(at)   decision: \(decision.decision.rawValue.uppercased()) (\(decision.check ?? "no check")): \(decision.reason)")
            }
        }
        return lines
    }

    static func describe(_ verdict: CheckVerdict) -> String {
        let canary = verdict.canary.value.map(number) ?? "—"
        let baseline = verdict.baseline.value.map(number) ?? "—"
        let mark = switch verdict.verdict {
        case .pass: "pass"
        case .fail: "FAIL"
        case .inconclusive: "inconclusive"
        }
        var line = "\(verdict.check): canary \(canary) (\(agents(verdict.canary.agents))) vs baseline \(baseline) (\(agents(verdict.baseline.agents))) → \(mark)"
        if verdict.verdict == .fail { line += ": " + verdict.detail }
        return line
    }

    static func agents(_ count: Int) -> String {
        count == 1 ? "1 agent" : "\(count) agents"
    }

    static func number(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    /// `2.3.1 ×190 · 2.4.0 ×10`, most common first.
    static func versions(_ counts: [String: Int]) -> String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: " · ")
    }
}
