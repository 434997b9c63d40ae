import Hummingbird

/// `/healthz` and `/readyz`, for orchestrators: alive while the process serves; ready once the
/// database is open and migrated and the fleet is loaded.
enum ProbeRoutes {
    static func routes<Context: RequestContext>(fleet: FleetRegistry, tokens: AccessTokens) -> RouteCollection<Context> {
        let routes = EndpointRoutes<Context>(access: .anyone, tokens: tokens, fleet: fleet)
        routes.on(.liveness) { _, _ in "ok\n" }
        routes.on(.readiness) { _, _ in
            guard await fleet.isLoaded else { throw APIError.notReady }
            return "ready\n"
        }
        return routes.collection
    }
}
