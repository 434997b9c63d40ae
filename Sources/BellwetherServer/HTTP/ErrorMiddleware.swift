import Hummingbird
import Logging

/// Gives every error the API's one JSON shape, and turns anything unexpected into a bare 500 with
/// a log line: the client learns that something failed, the operator's log learns what.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let apiError = APIError(translating: error, request: request) {
                return try apiError.response(from: request, context: context)
            }
            context.logger.error(
                "unexpected error answering \(request.method) \(request.uri.path)",
                metadata: ["error": "\(String(reflecting: error))"]
            )
            return Response(status: .internalServerError)
        }
    }
}
