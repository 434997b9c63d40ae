/// The `Content-Encoding` of a request body. OTLP exporters compress with gzip when configured
/// to; the Python exporter can also send `deflate`.
public enum ContentCoding: Sendable, Hashable {
    case identity
    case gzip
    /// HTTP's `deflate`: a zlib stream (RFC 1950); a raw deflate stream, which some clients send
    /// under the same name, is accepted too.
    case deflate

    /// The coding a `Content-Encoding` header names; nil for one the receiver cannot undo.
    public init?(header: String?) {
        switch header?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity": self = .identity
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }
}
