import ArgumentParser
import BellwetherAPI
import Foundation

/// `bellwether rollout report ID`: the whole story of a rollout, from its audit log and health.
struct RolloutReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The story of a rollout: timeline, current state, check verdicts.",
        discussion: "Markdown for people and tickets; JSON (the rollout, its events and its health) for tools."
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
        let client = try options.client()
        let health: RolloutHealthView = try await client.get("api/v1/rollouts/\(id)/health")
        let events: [AuditEventView] = try await client.get("api/v1/rollouts/\(id)/events")
        let report = RolloutReport(rollout: health.rollout, events: events, health: health)
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
            let why = event.reason.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| \(Printer.time(event.at)) | \(event.kind) | \(move) | \(event.actor) | \(why) |")
        }
        lines += ["", "## Checks", ""]
        if health.checks.isEmpty {
            lines.append("No check verdicts reported for the current step.")
        } else {
            lines += ["| check | verdict | canary | baseline | evidence |", "| --- | --- | --- | --- | --- |"]
            for check in health.checks {
                let canary = check.canary.value.map { String(format: "%.4g", $0) } ?? "—"
                let baseline = check.baseline.value.map { String(format: "%.4g", $0) } ?? "—"
                lines.append("| \(check.check) | \(check.verdict.rawValue) | \(canary) | \(baseline) | \(check.detail) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
