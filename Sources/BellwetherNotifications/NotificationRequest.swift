import BellwetherCore
import BellwetherStore
import Foundation

/// One delivery rendered for the wire: where it goes, its headers (signature included) and body.
struct NotificationRequest: Sendable {
    var url: URL
    var headers: [String: String]
    var body: Data
    /// `webhook`, `slack` or `alertmanager`: the `target` dimension of the delivery metrics.
    var kind: String

    /// Why a delivery cannot even be attempted; retrying will not help, so it fails at once.
    struct Unsendable: Error, CustomStringConvertible {
        var description: String
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Renders `notice` for `target`. `history` is the rollout's audit log, which Alertmanager
    /// needs to resolve what earlier states raised; `now` stamps signatures and alerts.
    static func render(
        _ notice: RolloutNotice, target: NotifyTarget, event: RolloutAuditEvent, history: [RolloutAuditEvent],
        rollout: Rollout, settings: NotificationSettings, now: Date
    ) throws -> NotificationRequest {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        var headers = ["Content-Type": "application/json", "User-Agent": "bellwether", "X-Bellwether-Delivery": notice.deliveryID]
        switch target {
        case .alertmanager(let base):
            let alerts = AlertmanagerAlerts.alerts(for: notice, event: event, history: history, rollout: rollout, now: now)
            return NotificationRequest(
                url: try url(base, appending: "/api/v2/alerts"), headers: headers, body: try encoder.encode(alerts), kind: "alertmanager"
            )
        case .webhook(let address, let secret, let secretEnv, let format):
            let body = format == .slack ? try encoder.encode(SlackMessage(notice)) : try encoder.encode(notice)
            let key: String?
            if let secretEnv {
                guard let value = settings.environment[secretEnv], !value.isEmpty else {
                    throw Unsendable(description: "the policy signs with secretEnv \(secretEnv), which is not set in the controller's environment")
                }
                key = value
            } else {
                key = secret ?? settings.defaultSecret
            }
            if let key {
                headers[WebhookSignature.timestampHeader] = String(timestamp)
                headers[WebhookSignature.signatureHeader] = WebhookSignature(secret: key).sign(body: body, timestamp: timestamp)
            }
            return NotificationRequest(url: try url(address, appending: ""), headers: headers, body: body, kind: format == .slack ? "slack" : "webhook")
        }
    }

    private static func url(_ base: String, appending path: String) throws -> URL {
        var text = base
        while !path.isEmpty, text.hasSuffix("/") { text.removeLast() }
        if !text.hasSuffix(path) { text += path }
        guard let url = URL(string: text), url.host != nil else { throw Unsendable(description: "'\(text)' is not a URL") }
        return url
    }
}
