import BellwetherAPI
import Hummingbird

/// `GET /api/v1/agents[?version=V&cohort=C]`: the fleet as the controller sees it.
enum FleetRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let routes = EndpointRoutes<Context>(access: .operator, tokens: tokens, fleet: components.fleet, sessions: components.sessionCheck)
        routes.on(.listAgents) { request, _ in
            let version = request.uri.queryParameters["version"].map(String.init)
            let cohort = request.uri.queryParameters["cohort"].map(String.init)
            let now = components.now()
            let agents = await components.fleet.snapshot()
                .filter { version == nil || $0.agent.version == version }
                .filter { cohort == nil || $0.assignment?.cohort == cohort }
                .map { member in
                    AgentView(
                        id: member.agent.id, version: member.agent.version, desiredVersion: member.assignment?.desiredVersion,
                        labels: member.agent.labels, healthy: member.agent.healthy,
                        silent: member.isSilent(at: now, after: configuration.silentAfter),
                        rollout: member.assignment?.rolloutID, cohort: member.assignment?.cohort,
                        firstSeen: member.agent.firstSeen, lastSeen: member.agent.lastSeen
                    )
                }
            return JSONResponse(agents)
        }
        return routes.collection
    }
}
