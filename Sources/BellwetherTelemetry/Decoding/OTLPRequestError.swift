/// Why an OTLP request was refused, each with the HTTP status the specification gives it. Only
/// `overloaded` is retryable (429 with `Retry-After`); for every other the same bytes would fail
/// the same way, so exporters must drop them, not resend.
public enum OTLPRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `Content-Type` other than protobuf or JSON: 415.
    case unsupportedContentType(String?)
    /// A `Content-Encoding` other than gzip or deflate: 415.
    case unsupportedContentEncoding(String)
    /// The body, once decompressed, is larger than the receiver takes: 413.
    case tooLarge(limit: Int)
    /// The compressed stream is corrupt or cut short: 400.
    case malformedCompression(String)
    /// The payload is not an export request in its encoding: 400.
    case malformedPayload(String)
    /// The receiver has as much in flight as it takes: 429 with `Retry-After`, which exporters
    /// honour, backing off and sending the same batch again.
    case overloaded(retryAfterSeconds: Int)

    /// The HTTP status code of the answer.
    public var statusCode: Int {
        switch self {
        case .unsupportedContentType, .unsupportedContentEncoding: 415
        case .tooLarge: 413
        case .malformedCompression, .malformedPayload: 400
        case .overloaded: 429
        }
    }

    /// Seconds the exporter should wait before retrying; nil when it must not retry.
    public var retryAfterSeconds: Int? {
        if case .overloaded(let seconds) = self { seconds } else { nil }
    }

    public var description: String {
        switch self {
        case .unsupportedContentType(let type):
            "unsupported Content-Type \(type.map { "'\($0)'" } ?? "(none)"): send application/x-protobuf or application/json"
        case .unsupportedContentEncoding(let coding):
            "unsupported Content-Encoding '\(coding)': send gzip, deflate or no compression"
        case .tooLarge(let limit):
            "the request body is larger than \(limit) bytes once decompressed; export smaller batches"
        case .malformedCompression(let reason):
            "the compressed body could not be inflated: \(reason)"
        case .malformedPayload(let reason):
            "the body is not a valid OTLP export request: \(reason)"
        case .overloaded(let seconds):
            "the receiver is busy with as much telemetry as it takes at once; retry in \(seconds)s"
        }
    }
}
