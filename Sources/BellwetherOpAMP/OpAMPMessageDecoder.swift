import BellwetherTelemetry
import Foundation
import SwiftProtobuf

/// Turns an HTTP body into an AgentToServer: undoes its `Content-Encoding` under the size limit,
/// decodes the protobuf and checks what the specification requires of every message.
public struct OpAMPMessageDecoder: Sendable {
    public var limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public func decode(_ body: [UInt8], contentType: String?, contentEncoding: String?) throws(OpAMPRequestError) -> OpAMPAgentToServer {
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-protobuf" || type == "application/protobuf" else { throw .unsupportedContentType(contentType) }
        guard let coding = ContentCoding(header: contentEncoding) else { throw .unsupportedContentEncoding(contentEncoding ?? "") }
        let bytes: [UInt8]
        do {
            bytes = try Inflater.decode(body, coding: coding, limit: limit)
        } catch {
            switch error {
            case .tooLarge: throw .tooLarge(limit: limit)
            case .malformedCompression(let reason): throw .malformedCompression(reason)
            default: throw .malformedCompression(error.description)
            }
        }
        let message: OpAMPAgentToServer
        do {
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            message = try OpAMPAgentToServer(serializedBytes: bytes, options: options)
        } catch BinaryDecodingError.truncated {
            throw .malformedMessage("the protobuf message is truncated (a length runs past the end of the body)")
        } catch BinaryDecodingError.invalidUTF8 {
            throw .malformedMessage("a protobuf string is not valid UTF-8")
        } catch {
            throw .malformedMessage("malformed protobuf (a field's wire type or length is invalid)")
        }
        guard message.instanceUid.count == 16 else { throw .invalidInstanceUID(byteCount: message.instanceUid.count) }
        return message
    }
}
