import ArgumentParser
import BellwetherAPI
import BellwetherCore
import Foundation

/// `bellwether rollout report ID`: the whole story of a rollout, from its audit log, its health
/// and the control loop's recorded evaluations.
struct RolloutReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The story of a rollout: timeline, current state, check verdicts, exemplar failing spans.",
        discussion: "Markdown for people and tickets; JSON (the rollout, its events, its health, each step's last verdicts and the exemplars) for tools."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    @Argument(help: "The rollout id.")
    var id: String

    @Option(help: "markdown or json.")
    var format: Format = .markdown

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let report = try await options.withClient { try await RolloutReport.fetch(id, from: $0) }
        switch format {
        case .markdown: Printer.line(report.markdown)
        case .json: try Printer.json(report)
        }
    }
}

/// Everything the report tells, in the shape `--format json` prints.
struct RolloutReport: Encodable {
    var rollout: RolloutView
    var events: [AuditEventView]
    var health: RolloutHealthView
    /// Per step analysed, the last boundary judged: the verdicts (and decision) that sealed it.
    var steps: [RolloutEvaluation]
    /// Failing spans kept as evidence for the `spans` checks, by cohort and check, oldest first.
    var exemplars: [ExemplarView]

    /// Reads everything the report tells from the controller (also used by `bellwether demo`).
    static func fetch(_ id: String, from client: BellwetherClient) async throws -> RolloutReport {
        let health: RolloutHealthView = try await client.get("api/v1/rollouts/\(id)/health")
        let events: [AuditEventView] = try await client.get("api/v1/rollouts/\(id)/events")
        let evaluations: [RolloutEvaluation] = try await client.get("api/v1/rollouts/\(id)/evaluations")
        let exemplars: [ExemplarView] = try await client.get("api/v1/rollouts/\(id)/exemplars")
        return RolloutReport(rollout: health.rollout, events: events, health: health, steps: lastEvaluations(evaluations), exemplars: exemplars)
    }

    static func lastEvaluations(_ evaluations: [RolloutEvaluation]) -> [RolloutEvaluation] {
        var last: [Int: RolloutEvaluation] = [:]
        for evaluation in evaluations { last[evaluation.step] = evaluation }
        return last.keys.sorted().compactMap { last[$0] }
    }

    var markdown: String {
        var lines = [
            "# Rollout \(rollout.id)",
            "",
            "- policy: \(rollout.policy)",
            "- versions: \(rollout.versions)",
            "- state: **\(rollout.state.description)**: \(rollout.reason)",
            "- started: \(Printer.time(rollout.createdAt)); last change: \(Printer.time(rollout.updatedAt))",
            "",
            "## Steps",
            "",
        ]
        lines += rollout.stepLines.map { "- \($0)" }
        lines += ["", "## Timeline", "", "| time | event | from → to | by | why |", "| --- | --- | --- | --- | --- |"]
        for event in events {
            let move = "\(event.from?.description ?? "—") → \(event.to.description)"
            lines.append("| \(Printer.time(event.at)) | \(event.kind) | \(move) | \(event.actor) | \(Self.cell(event.reason)) |")
        }
        for evaluation in steps {
            lines += ["", "## Step \(evaluation.step + 1): verdicts at \(Printer.time(Date(timeIntervalSince1970: evaluation.time)))", ""]
            if let problem = evaluation.problem { lines += ["Telemetry could not be read: \(problem)", ""] }
            if let decision = evaluation.decision {
                lines += ["Decision: **\(decision.decision.rawValue)** (\(decision.check ?? "no check")): \(decision.reason)", ""]
            }
            lines += Self.verdictTable(evaluation.verdicts)
        }
        lines += ["", "## Checks now", ""]
        if health.checks.isEmpty {
            lines.append("No check verdicts reported for the current step.")
        } else {
            lines += Self.verdictTable(health.checks)
        }
        lines += ["", "## Exemplar failing spans", ""]
        if exemplars.isEmpty {
            lines.append("No failing spans kept: none reached a `spans` check of this rollout from its cohorts.")
        } else {
            lines += Self.exemplarTable(exemplars)
        }
        return lines.joined(separator: "\n")
    }

    /// The canary's first: they are the evidence against the new version; the baseline's show what
    /// failing looks like on the old one. A span with no exception is explained by its attributes
    /// (a silent failure such as `data.incomplete=true`).
    static func exemplarTable(_ exemplars: [ExemplarView]) -> [String] {
        let ordered = exemplars.filter { $0.role == .canary } + exemplars.filter { $0.role != .canary }
        return ["| cohort | check | agent | version | span | record.id | exception or attributes | trace id | span id |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
            + ordered.map { exemplar in
                let exception = [exemplar.exceptionType, exemplar.exceptionMessage ?? exemplar.statusMessage].compactMap { $0 }.joined(separator: ": ")
                let attributes = exemplar.attributes.filter { $0.key != "record.id" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                let cells = [
                    exemplar.cohort, exemplar.check, exemplar.agent, exemplar.version ?? "—", exemplar.name, exemplar.recordID ?? "—",
                    exception.isEmpty ? (attributes.isEmpty ? "—" : attributes) : exception, "`\(exemplar.traceID)`", "`\(exemplar.spanID)`",
                ]
                return "| " + cells.map(cell).joined(separator: " | ") + " |"
            }
    }

    static func verdictTable(_ verdicts: [CheckVerdict]) -> [String] {
        ["| check | verdict | canary | baseline | evidence |", "| --- | --- | --- | --- | --- |"] + verdicts.map { check in
            let canary = check.canary.value.map { String(format: "%.4g", $0) } ?? "—"
            let baseline = check.baseline.value.map { String(format: "%.4g", $0) } ?? "—"
            return "| \(check.label) | \(check.verdict.rawValue) | \(canary) | \(baseline) | \(cell(check.detail)) |"
        }
    }

    /// Text safe inside a Markdown table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
