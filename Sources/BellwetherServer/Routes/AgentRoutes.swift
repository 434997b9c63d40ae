import BellwetherAPI
import BellwetherCore
import Foundation
import Hummingbird

/// What agents call: the heartbeat that answers with their desired version, and the embedded
/// telemetry intake (JSON Lines; the OTLP receiver will join it).
enum AgentRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let limits = configuration.limits
        let routes = EndpointRoutes<Context>(
            access: .agent, tokens: tokens, fleet: components.fleet,
            budget: IntakeBudgetMiddleware(admission: components.intake, limit: limits.jsonBytes)
        )
        routes.on(.heartbeat) { request, _ in
            let heartbeat = try await request.decodeJSON(HeartbeatRequest.self, limit: limits.jsonBytes).validated()
            let scope = TokenAuthMiddleware<Context>.agentScope(request, tokens: tokens)
            guard scope.admits(heartbeat.id) else { throw APIError.outOfScope(scope, agent: heartbeat.id) }
            let member: FleetMember
            do throws(FleetFull) {
                member = try await components.fleet.heartbeat(heartbeat, at: components.now())
            } catch {
                throw APIError.fleetFull(error)
            }
            components.metrics.heartbeatReceived()
            let assignment = member.assignment
            return JSONResponse(HeartbeatReply(
                desiredVersion: assignment?.desiredVersion ?? heartbeat.version,
                artifact: assignment?.artifact, rollout: assignment?.rolloutID, cohort: assignment?.cohort,
                heartbeatSeconds: configuration.heartbeatSeconds
            ))
        }
        let intake = EndpointRoutes<Context>(
            access: .agent, tokens: tokens, fleet: components.fleet, alsoAdmitsOperator: true,
            budget: IntakeBudgetMiddleware(admission: components.intake, limit: limits.observationBytes)
        )
        intake.on(.observations) { request, _ in
            let body = try await request.body(upTo: limits.observationBytes)
            let now = components.now().timeIntervalSince1970
            var observations: [AgentObservation]
            do {
                observations = try body.withUnsafeReadableBytes { raw throws(ReplayFormatError) in
                    try ReplayFile.agentObservations(in: raw.bindMemory(to: UInt8.self), defaultTime: now)
                }
            } catch let error as ReplayFormatError {
                throw APIError.badRequest("nothing was stored: \(error)", code: "malformed-observation")
            }
            let scope = TokenAuthMiddleware<Context>.agentScope(request, tokens: tokens)
            if let stranger = observations.first(where: { !scope.admits($0.agent) }) {
                throw APIError.outOfScope(scope, agent: stranger.agent, nothingStored: true)
            }
            if !TokenAuthMiddleware<Context>.isOperator(request, tokens: tokens) {
                for index in observations.indices { observations[index].time = now }
            }
            try components.store.recordObservations(observations)
            return JSONResponse(["accepted": observations.count], status: .accepted)
        }
        let collection = RouteCollection(context: Context.self)
        collection.addRoutes(routes.collection)
        collection.addRoutes(intake.collection)
        return collection
    }
}
