import BellwetherTelemetry
import Hummingbird
import NIOCore
import SwiftProtobuf

/// An OTLP answer: a protobuf message in the encoding the request used, as the OTLP/HTTP
/// specification requires (an exporter decodes the response with the decoder it encoded with).
struct OTLPResponse<Body: SwiftProtobuf.Message>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var message: Body
    var encoding: OTLPEncoding

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes: [UInt8] = switch encoding {
        case .protobuf: try message.serializedBytes()
        case .json: try message.jsonUTF8Bytes()
        }
        return Response(
            status: status,
            headers: [.contentType: encoding.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
