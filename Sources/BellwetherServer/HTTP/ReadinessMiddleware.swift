import Hummingbird

/// Answers 503 until the fleet is loaded, so no request is served from a half-known fleet (a
/// rollout started then would pick its stable version from whoever happened to check in first).
struct ReadinessMiddleware<Context: RequestContext>: RouterMiddleware {
    let fleet: FleetRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard await fleet.isLoaded else { throw APIError.notReady }
        return try await next(request, context)
    }
}
