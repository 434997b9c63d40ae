import BellwetherOpAMP
import Hummingbird
import NIOCore
import SwiftProtobuf

/// Answers every refusal of `POST /v1/opamp` as a ServerToAgent with `error_response` set, under
/// the HTTP status that fits (OpAMP clients read the protobuf; people read the message): a
/// malformed message is BadRequest, not to be retried; an unready server is Unavailable with
/// `retry_info`, as are token refusals' 401/403 (Unknown: the agent's configuration is wrong).
struct OpAMPErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OpAMPRequestError {
            return Self.answer(HTTPResponse.Status(code: error.statusCode), .badRequest, error.description)
        } catch let error as APIError {
            let retryable = error.status == .serviceUnavailable || error.status == .tooManyRequests
            let type: OpAMPServerErrorResponseType = retryable ? .unavailable : .unknown
            var response = Self.answer(error.status, type, error.message)
            if retryable { response.headers[.retryAfter] = String(error.retryAfterSeconds ?? 1) }
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }

    static func answer(_ status: HTTPResponse.Status, _ type: OpAMPServerErrorResponseType, _ message: String) -> Response {
        var reply = OpAMPServerToAgent()
        reply.errorResponse.type = type
        reply.errorResponse.errorMessage = message
        if type == .unavailable { reply.errorResponse.retryInfo.retryAfterNanoseconds = 1_000_000_000 }
        return OpAMPResponse(status: status, message: reply).response
    }
}

/// A ServerToAgent as the body of an HTTP answer.
struct OpAMPResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var message: OpAMPServerToAgent

    var response: Response {
        let bytes: [UInt8] = (try? message.serializedBytes()) ?? []
        return Response(status: status, headers: [.contentType: "application/x-protobuf"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }
}
