/// The data-point attributes that tell one series of an agent's metric from another, sorted by
/// key so the order a client writes them in does not split a series.
///
/// Hashed by key and scalar value directly: the generated protobuf hash walks every field
/// through a visitor, which cost more than the rest of a data point's accumulation. Equality is
/// the protobuf messages' own, so series are told apart exactly as before.
struct SeriesAttributes: Hashable, Sendable {
    let attributes: [OTLPKeyValue]

    init(_ attributes: [OTLPKeyValue]) {
        // Sorting is stable, so attributes already in key order (as SDKs write them) are kept
        // as they came, without a copy.
        let sorted = zip(attributes, attributes.dropFirst()).allSatisfy { $0.key <= $1.key }
        self.attributes = sorted ? attributes : attributes.sorted { $0.key < $1.key }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(attributes.count)
        for attribute in attributes {
            hasher.combine(attribute.key)
            switch attribute.value.value {
            case .stringValue(let text): hasher.combine(text)
            case .boolValue(let flag): hasher.combine(flag)
            case .intValue(let number): hasher.combine(number)
            case .doubleValue(let number): hasher.combine(number)
            case nil: hasher.combine(0 as UInt8)
            default: hasher.combine(attribute.value)
            }
        }
    }

    static func == (lhs: SeriesAttributes, rhs: SeriesAttributes) -> Bool {
        lhs.attributes == rhs.attributes
    }
}
