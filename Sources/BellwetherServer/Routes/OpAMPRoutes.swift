import BellwetherAPI
import BellwetherCore
import BellwetherOpAMP
import Hummingbird

/// OpAMP over plain HTTP: `POST /v1/opamp`, one AgentToServer in, one ServerToAgent out, with the
/// agent token when one is configured (OpAMP clients send it as a header). The session table says
/// what to answer; the agent joins the fleet registry like a heartbeat agent, so rollouts select,
/// assign and judge it like any other, and its assignment goes back in the reply.
enum OpAMPRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let decoder = OpAMPMessageDecoder(limit: configuration.opamp.bodyLimit)
        let routes = EndpointRoutes<Context>(
            access: .agent, tokens: tokens, fleet: components.fleet, errors: OpAMPErrorMiddleware(),
            budget: IntakeBudgetMiddleware(admission: components.intake, limit: decoder.limit)
        )
        routes.on(.opamp) { request, _ in
            let body = try await request.bytes(upTo: decoder.limit, refusing: OpAMPRequestError.tooLarge(limit: decoder.limit))
            let message = try decoder.decode(body, contentType: request.headers[.contentType], contentEncoding: request.headers[.contentEncoding])
            let sessions = components.opamp
            let now = components.now()
            let scope = TokenAuthMiddleware<Context>.agentScope(request, tokens: tokens)
            let reception = await sessions.receive(message, at: now, scope: scope)
            guard !reception.refused else {
                throw APIError.full("OpAMP sessions", limit: configuration.opamp.maxSessions, setting: "opamp.maxSessions")
            }
            if let stranger = reception.outOfScope { throw APIError.outOfScope(scope, agent: stranger) }
            var assignment: AgentAssignment?
            if let heartbeat = reception.heartbeat {
                // The same bounds as a JSON heartbeat: one agent cannot bloat the shared registry.
                let request = HeartbeatRequest(id: heartbeat.id, version: heartbeat.version, labels: heartbeat.labels, healthy: heartbeat.healthy)
                let checked: AgentHeartbeat
                do throws(APIError) {
                    checked = try request.validated()
                } catch {
                    throw OpAMPRequestError.malformedMessage("its agent description cannot join the fleet: \(error.message)")
                }
                do throws(FleetFull) {
                    assignment = try await components.fleet.heartbeat(checked, at: now).assignment
                } catch {
                    throw APIError.fleetFull(error)
                }
            }
            return OpAMPResponse(message: await sessions.answer(reception, assignment: assignment))
        }
        return routes.collection
    }
}
