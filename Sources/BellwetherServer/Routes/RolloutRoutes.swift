import BellwetherAPI
import BellwetherCore
import Hummingbird

/// Rollout control for operators: start, list, inspect, the manual actions, the audit log and
/// the health of the current step.
enum RolloutRoutes {
    /// `GET /api/v1/rollouts` answers the most recent rollouts, up to this many.
    static let listLimit = 200

    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let routes = EndpointRoutes<Context>(access: .operator, tokens: tokens, fleet: components.fleet, sessions: components.sessionCheck)
        let commands = RolloutCommands(configuration: configuration, components: components)
        let store = components.store
        let limit = configuration.limits.jsonBytes

        routes.on(.listRollouts) { _, _ in
            JSONResponse(try store.rollouts(limit: listLimit).map(RolloutView.init))
        }
        routes.on(.startRollout) { request, _ in
            let body = try await request.decodeJSON(StartRolloutRequest.self, limit: limit)
            return JSONResponse(RolloutView(try await commands.start(body)), status: .created)
        }
        routes.on(.getRollout) { request, context in
            JSONResponse(RolloutView(try store.rollout(id: try request.rolloutID(context))))
        }
        for endpoint in Endpoint.allCases {
            guard let action = endpoint.manualAction else { continue }
            routes.on(endpoint) { request, context in
                let body = try await request.decodeJSON(ManualActionRequest.self, limit: limit, whenEmpty: ManualActionRequest())
                let rollout = try await commands.apply(action, to: try request.rolloutID(context), reason: body.reason, atStep: body.step)
                return JSONResponse(RolloutView(rollout))
            }
        }
        routes.on(.rolloutEvents) { request, context in
            let id = try request.rolloutID(context)
            let stream = AuditEventStream(store: store, bell: components.bell, rolloutID: id)
            if request.headers[.accept]?.contains("text/event-stream") == true {
                return try stream.response(after: request.lastEventID)
            }
            return try JSONResponse(stream.events(after: nil)).response(from: request, context: context)
        }
        routes.on(.rolloutHealth) { request, context in
            JSONResponse(try await commands.health(of: try request.rolloutID(context)))
        }
        // Every boundary the control loop judged, in order: the evidence behind each step's fate.
        routes.on(.rolloutEvaluations) { request, context in
            let id = try request.rolloutID(context)
            _ = try store.rollout(id: id)
            return JSONResponse(try store.evaluations(rolloutID: id))
        }
        // The failing spans kept as evidence for the rollout's checks, per cohort, oldest first.
        routes.on(.rolloutExemplars) { request, context in
            let id = try request.rolloutID(context)
            _ = try store.rollout(id: id)
            return JSONResponse(try store.exemplars(rolloutID: id).map(ExemplarView.init))
        }
        return routes.collection
    }
}

extension Request {
    /// Sent by an SSE client that reconnects: the id of the last event it received.
    var lastEventID: Int64? {
        headers.first { $0.name.canonicalName == "last-event-id" }.flatMap { Int64($0.value) }
    }
}
