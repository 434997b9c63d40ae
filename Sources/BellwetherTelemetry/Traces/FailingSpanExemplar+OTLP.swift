import BellwetherCore

extension FailingSpanExemplar {
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
}
