import Foundation

/// One failing span kept as evidence: enough to find the trace in a tracing backend (trace and
/// span id in hex) and to see at a glance what went wrong (the record, the exception).
public struct FailingSpanExemplar: Sendable, Hashable, Codable {
    public var agent: String
    public var version: String?
    public var traceID: String
    public var spanID: String
    public var name: String
    /// When the span ended, in seconds since the Unix epoch (as the agent's clock said).
    public var time: Double
    public var statusMessage: String?
    public var exceptionType: String?
    public var exceptionMessage: String?
    /// The span's attributes as text (such as `record.id`), at most `attributeLimit` of them.
    public var attributes: [String: String]

    static let attributeLimit = 32
    static let valueLimit = 256

    public init(
        agent: String, version: String?, traceID: String, spanID: String, name: String, time: Double,
        statusMessage: String? = nil, exceptionType: String? = nil, exceptionMessage: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.agent = agent
        self.version = version
        self.traceID = traceID
        self.spanID = spanID
        self.name = name
        self.time = time
        self.statusMessage = statusMessage
        self.exceptionType = exceptionType
        self.exceptionMessage = exceptionMessage
        self.attributes = attributes
    }

    /// The exemplar of `span`, its text bounded so a hostile span cannot fill the controller.
    init(_ span: OTLPSpan, identity: AgentIdentity) {
        let exception = span.events.last { $0.name == "exception" }
        func attribute(_ key: String) -> String? {
            exception?.attributes.first { $0.key == key }.map { Self.bounded($0.value.text) }
        }
        self.init(
            agent: identity.agent,
            version: identity.version,
            traceID: HexIdentifier.string(span.traceID),
            spanID: HexIdentifier.string(span.spanID),
            name: Self.bounded(span.name),
            time: Double(span.endTimeUnixNano) / 1e9,
            statusMessage: span.status.message.isEmpty ? nil : Self.bounded(span.status.message),
            exceptionType: attribute("exception.type"),
            exceptionMessage: attribute("exception.message"),
            attributes: Dictionary(
                span.attributes.prefix(Self.attributeLimit).map { (Self.bounded($0.key), Self.bounded($0.value.text)) },
                uniquingKeysWith: { _, last in last }
            )
        )
    }

    private static func bounded(_ text: String) -> String {
        text.count <= valueLimit ? text : String(text.prefix(valueLimit)) + "…"
    }
}
