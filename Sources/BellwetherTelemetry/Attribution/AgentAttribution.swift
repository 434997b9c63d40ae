/// How telemetry is attributed to agents: an agent is its resource's `service.instance.id`, the
/// id OpenTelemetry defines for one running instance and the one heartbeats and OpAMP use. Agents
/// that cannot set it can be identified by a fallback attribute such as `host.name` (one agent per
/// host). A resource with neither is unattributed: accepted, counted, and used for nothing.
public struct AgentAttribution: Sendable, Hashable {
    public static let instanceAttribute = "service.instance.id"
    public static let versionAttribute = "service.version"

    /// Read when `service.instance.id` is missing or empty.
    public var fallbackAttribute: String?

    public init(fallbackAttribute: String? = nil) {
        self.fallbackAttribute = fallbackAttribute
    }

    /// The agent and version of `resource`, nil when it names no agent.
    public func identity(of resource: OTLPResource) -> AgentIdentity? {
        var agent: String?
        var fallback: String?
        var version: String?
        for attribute in resource.attributes {
            switch attribute.key {
            case Self.instanceAttribute: agent = attribute.value.identifierText
            case Self.versionAttribute: version = attribute.value.identifierText
            case let key where key == fallbackAttribute: fallback = attribute.value.identifierText
            default: break
            }
        }
        guard let agent = agent ?? fallback else { return nil }
        return AgentIdentity(agent: agent, version: version)
    }
}

extension OTLPAnyValue {
    /// The value as an identifier: non-empty text or an integer; nil for anything else.
    var identifierText: String? {
        switch value {
        case .stringValue(let text): text.isEmpty ? nil : text
        case .intValue(let number): String(number)
        default: nil
        }
    }
}
