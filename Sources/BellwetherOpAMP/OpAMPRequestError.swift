/// Why an AgentToServer message was refused. Each is answered with HTTP 400 (415 for a format
/// the server does not read, 413 past the size limit) and a ServerToAgent whose `error_response`
/// says what to fix; none is worth retrying unchanged.
public enum OpAMPRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedContentType(String?)
    case unsupportedContentEncoding(String)
    case tooLarge(limit: Int)
    case malformedCompression(String)
    case malformedMessage(String)
    case invalidInstanceUID(byteCount: Int)

    public var statusCode: Int {
        switch self {
        case .unsupportedContentType, .unsupportedContentEncoding: 415
        case .tooLarge: 413
        case .malformedCompression, .malformedMessage, .invalidInstanceUID: 400
        }
    }

    public var description: String {
        switch self {
        case .unsupportedContentType(let type):
            "unsupported Content-Type \(type.map { "'\($0)'" } ?? "(none)"): OpAMP over HTTP sends application/x-protobuf"
        case .unsupportedContentEncoding(let coding):
            "unsupported Content-Encoding '\(coding)': send gzip, deflate or no compression"
        case .tooLarge(let limit):
            "the AgentToServer message is larger than \(limit) bytes once decompressed"
        case .malformedCompression(let reason):
            "the compressed body could not be inflated: \(reason)"
        case .malformedMessage(let reason):
            "the body is not an OpAMP AgentToServer message: \(reason)"
        case .invalidInstanceUID(let count):
            "instance_uid is \(count) bytes long; OpAMP requires 16 (a UUID, v7 recommended)"
        }
    }
}
