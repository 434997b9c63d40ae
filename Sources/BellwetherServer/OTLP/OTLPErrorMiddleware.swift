import BellwetherTelemetry
import Hummingbird

/// Answers every refusal of an OTLP endpoint as the OTLP/HTTP specification says: the status
/// code, and a `google.rpc.Status` body in the request's encoding (protobuf unless it sent JSON),
/// whether the refusal came from the payload, the size limit, the token check or readiness.
/// A 503 or 429 carries `Retry-After`, which exporters honour; other 4xx are permanent and never retried.
struct OTLPErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OTLPRequestError {
            var response = try Self.answer(HTTPResponse.Status(code: error.statusCode), error.description, request, context)
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as APIError {
            var response = try Self.answer(error.status, error.message, request, context)
            if error.status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }

    private static func answer(_ status: HTTPResponse.Status, _ message: String, _ request: Request, _ context: Context) throws -> Response {
        var body = RPCStatus()
        body.code = grpcCode(status)
        body.message = message
        let encoding = OTLPEncoding(contentType: request.headers[.contentType]) ?? .protobuf
        return try OTLPResponse(status: status, message: body, encoding: encoding).response(from: request, context: context)
    }

    /// The gRPC code matching an HTTP status, as OTLP/gRPC would have answered.
    private static func grpcCode(_ status: HTTPResponse.Status) -> Int32 {
        switch status.code {
        case 401: 16  // UNAUTHENTICATED
        case 403: 7  // PERMISSION_DENIED
        case 413, 429: 8  // RESOURCE_EXHAUSTED
        case 503: 14  // UNAVAILABLE
        case 400..<500: 3  // INVALID_ARGUMENT
        default: 13  // INTERNAL
        }
    }
}
