import Yams

extension PolicyNodeReader {
    func notifyTargets(_ node: Node, _ path: FieldPath) -> [NotifyTarget]? {
        guard let items = list(node, path) else { return nil }
        let targets = items.enumerated().compactMap { notifyTarget($1, path.index($0)) }
        return targets.count == items.count ? targets : nil
    }

    private func notifyTarget(_ node: Node, _ path: FieldPath) -> NotifyTarget? {
        guard let fields = fields(node, path) else { return nil }
        guard fields.entries.count == 1, let entry = fields.entries.first else {
            report(node, path, "must be exactly one of `webhook: {url: ...}` or `alertmanager: {url: ...}`")
            return nil
        }
        guard let target = self.fields(entry.value, path.key(entry.key)) else { return nil }
        let url = value(target, "url", requiredLike: "url: https://hooks.example.com/bellwether", self.url)
        guard entry.key == "webhook" else {
            return url.map { .alertmanager(url: $0) }
        }
        let secret = value(target, "secret", text)
        let secretEnv = value(target, "secretEnv", text)
        if secret != nil, secretEnv != nil {
            report(entry.value, path.key(entry.key), "takes `secret` or `secretEnv`, not both; prefer `secretEnv: VARIABLE`, which keeps the secret out of the stored policy")
            return nil
        }
        let format: WebhookFormat? = value(target, "format", choice)
        return url.map { .webhook(url: $0, secret: secret, secretEnv: secretEnv, format: format ?? .json) }
    }

    /// Only http(s): notifications are posted, and any other scheme would fail at the worst moment.
    func url(_ node: Node, _ path: FieldPath) -> String? {
        guard let url = text(node, path) else { return nil }
        let lowered = url.lowercased()
        guard ["http://", "https://"].contains(where: { lowered.hasPrefix($0) && lowered.count > $0.count }) else {
            report(node, path, "must be an http:// or https:// URL, found '\(url)'")
            return nil
        }
        return url
    }
}
