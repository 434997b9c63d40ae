import Hummingbird

/// `GET /api/v1/rollouts/{id}/deployments`: every attempt of the exec deploy driver's command for
/// the rollout's agents, with outcome and output, in the order they finished (empty when no
/// deploy command is configured).
enum DeployRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let routes = EndpointRoutes<Context>(access: .operator, tokens: tokens, fleet: components.fleet)
        let store = components.store
        routes.on(.rolloutDeployments) { request, context in
            let id = try request.rolloutID(context)
            _ = try store.rollout(id: id)
            return JSONResponse(try store.deployRuns(rolloutID: id))
        }
        return routes.collection
    }
}
