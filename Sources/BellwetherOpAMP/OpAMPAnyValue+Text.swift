extension OpAMPAnyValue {
    /// The value as a fleet label holds it: scalars as themselves, bytes in hex, arrays and maps
    /// in brackets.
    var text: String {
        switch value {
        case .stringValue(let text): text
        case .boolValue(let flag): String(flag)
        case .intValue(let number): String(number)
        case .doubleValue(let number): String(number)
        case .bytesValue(let bytes): bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        case .arrayValue(let array): "[" + array.values.map(\.text).joined(separator: ", ") + "]"
        case .kvlistValue(let list): "{" + list.values.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ") + "}"
        case nil: ""
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
