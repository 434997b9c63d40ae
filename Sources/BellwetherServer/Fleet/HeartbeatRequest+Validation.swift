import BellwetherAPI
import BellwetherCore

extension HeartbeatRequest {
    /// Bounds that keep one agent from bloating the registry every agent's heartbeat shares.
    static let maxIDLength = 256
    static let maxVersionLength = 128
    static let maxLabels = 64
    static let maxLabelLength = 256

    /// The heartbeat, or a 400 saying which field is out of bounds.
    func validated() throws(APIError) -> AgentHeartbeat {
        func invalid(_ message: String) -> APIError { .badRequest(message, code: "invalid-heartbeat") }
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw invalid("\"id\" is empty: send the agent's stable id (OpenTelemetry service.instance.id)")
        }
        guard id.count <= Self.maxIDLength else { throw invalid("\"id\" is longer than \(Self.maxIDLength) characters") }
        guard !version.isEmpty else { throw invalid("\"version\" is empty: send the version the agent runs") }
        guard version.count <= Self.maxVersionLength else { throw invalid("\"version\" is longer than \(Self.maxVersionLength) characters") }
        let labels = labels ?? [:]
        guard labels.count <= Self.maxLabels else { throw invalid("\(labels.count) labels; at most \(Self.maxLabels) are kept") }
        for (key, value) in labels where key.isEmpty || key.count > Self.maxLabelLength || value.count > Self.maxLabelLength {
            throw invalid("label \"\(key.prefix(40))\": keys must be non-empty and keys and values at most \(Self.maxLabelLength) characters")
        }
        return heartbeat
    }
}
