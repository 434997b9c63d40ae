import BellwetherCore

/// Decides whether a span failed, by the conditions of a policy's `spans` check (`failedWhen`).
/// A span fails when any one condition holds. The default is a policy's: status ERROR or a
/// recorded exception.
public struct SpanClassifier: Sendable, Hashable {
    public var conditions: [SpanFailureCondition]

    public init(conditions: [SpanFailureCondition] = SpanFailureCondition.policyDefault) {
        self.conditions = conditions
    }

    public func failed(_ span: OTLPSpan) -> Bool {
        conditions.contains { condition in
            switch condition {
            case .statusError:
                span.status.code == .error
            case .exception:
                span.events.contains { $0.name == "exception" }
            case .attribute(let key, let expected):
                span.attributes.contains { $0.key == key && $0.value.scalar.map { Self.matches($0, expected) } == true }
            }
        }
    }

    /// Equal values, with numbers compared as numbers (`3` matches `3.0`) and a policy's `true`
    /// matching the text "true" some SDKs send for booleans.
    static func matches(_ actual: AttributeValue, _ expected: AttributeValue) -> Bool {
        switch (actual, expected) {
        case (.int(let a), .double(let e)): Double(a) == e
        case (.double(let a), .int(let e)): a == Double(e)
        case (.string(let a), .bool), (.string(let a), .int), (.string(let a), .double): a == expected.description
        default: actual == expected
        }
    }
}
