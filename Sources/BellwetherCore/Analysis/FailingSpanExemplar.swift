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

    /// The record the span processed (its `record.id` attribute), what an operator looks up first.
    public var recordID: String? { attributes["record.id"] }

    public static let attributeLimit = 32
    public static let valueLimit = 256

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

    /// `text` cut to `valueLimit` characters, so a hostile span cannot fill the controller.
    public static func bounded(_ text: String) -> String {
        text.count <= valueLimit ? text : String(text.prefix(valueLimit)) + "…"
    }
}
