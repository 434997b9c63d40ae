/// The two payload encodings OTLP/HTTP defines. The response is written in the request's
/// encoding, so the exporter can read it with the decoder it already has.
public enum OTLPEncoding: Sendable, Hashable {
    /// `application/x-protobuf`: the binary protobuf encoding, what exporters send by default.
    case protobuf
    /// `application/json`: the protobuf JSON mapping with OTLP's exceptions (hex ids).
    case json

    /// The encoding a `Content-Type` header names, parameters such as `charset` ignored; nil for
    /// anything else, which the receiver answers with 415.
    public init?(contentType: String?) {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        switch mediaType.trimmingCharacters(in: .whitespaces).lowercased() {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }

    /// The `Content-Type` of a response in this encoding.
    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }
}
