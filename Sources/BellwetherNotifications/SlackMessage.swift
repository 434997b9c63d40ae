import Foundation

/// The `format: slack` body: what Slack's incoming webhooks (and Mattermost's, Rocket.Chat's)
/// accept, `{"text": ..., "blocks": [...]}`. `text` is the notification's fallback (phones,
/// screen readers); the blocks carry the headline, the reason, the evidence and the link.
struct SlackMessage: Encodable {
    struct Text: Encodable {
        var type: String
        var text: String
    }

    struct Block: Encodable {
        var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Text]?
    }

    var text: String
    var blocks: [Block]

    init(_ notice: RolloutNotice) {
        let emoji = switch notice.state {
        case "halted", "rolling-back": ":rotating_light:"
        case "rolled-back", "aborted": ":warning:"
        case "completed": ":white_check_mark:"
        default: ":information_source:"
        }
        text = "\(emoji) \(notice.headline): \(notice.reason)"
        var blocks = [
            Block(type: "section", text: Text(type: "mrkdwn", text: "\(emoji) *\(Self.escaped(notice.headline))*\n\(Self.escaped(notice.reason))")),
            Block(type: "section", fields: [
                Text(type: "mrkdwn", text: "*Rollout*\n`\(Self.escaped(notice.rollout))`"),
                Text(type: "mrkdwn", text: "*Version*\n\(Self.escaped(notice.stableVersion ?? "?")) → \(Self.escaped(notice.version))"),
                Text(type: "mrkdwn", text: "*State*\n\(notice.state)" + (notice.step.map { " (step \($0)/\(notice.steps))" } ?? "")),
                Text(type: "mrkdwn", text: "*By*\n\(Self.escaped(notice.actor))"),
            ]),
        ]
        if let evidence = notice.evidenceLine {
            blocks.append(Block(type: "section", text: Text(type: "mrkdwn", text: "*Evidence*\n\(Self.escaped(evidence))")))
        }
        if let url = notice.dashboardURL {
            blocks.append(Block(type: "context", elements: [Text(type: "mrkdwn", text: "<\(url)|Open in the Bellwether dashboard>")]))
        }
        self.blocks = blocks
    }

    /// Slack's mrkdwn treats `&`, `<` and `>` as control characters.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
