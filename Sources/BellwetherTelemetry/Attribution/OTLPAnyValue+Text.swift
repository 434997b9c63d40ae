import BellwetherCore

extension OTLPAnyValue {
    /// A scalar value as policies compare it; nil for arrays, maps, bytes and empty values.
    public var scalar: AttributeValue? {
        switch value {
        case .stringValue(let text): .string(text)
        case .boolValue(let flag): .bool(flag)
        case .intValue(let number): .int(number)
        case .doubleValue(let number): .double(number)
        default: nil
        }
    }

    /// The value as a person reads it in an exemplar: scalars as themselves, bytes in hex,
    /// arrays and maps in brackets.
    public var text: String {
        switch value {
        case .stringValue(let text): text
        case .boolValue(let flag): String(flag)
        case .intValue(let number): String(number)
        case .doubleValue(let number): String(number)
        case .bytesValue(let bytes): HexIdentifier.string(bytes)
        case .arrayValue(let array): "[" + array.values.map(\.text).joined(separator: ", ") + "]"
        case .kvlistValue(let list): "{" + list.values.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ") + "}"
        case nil: ""
        }
    }
}
