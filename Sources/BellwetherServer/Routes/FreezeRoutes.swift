import BellwetherAPI
import BellwetherCore
import Hummingbird

/// `GET /api/v1/freeze` and `POST /api/v1/freeze`: the fleet freeze that holds every rollout's
/// promotions (halts and rollbacks still proceed). The freeze is stamped with the controller's
/// clock, the one its audit log uses.
enum FreezeRoutes {
    /// A freeze's reason is shown wherever a promotion is held; it is a sentence, not a document.
    static let reasonLimit = 500

    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let routes = EndpointRoutes<Context>(access: .operator, tokens: configuration.accessTokens, fleet: components.fleet, sessions: components.sessionCheck)
        let store = components.store
        let limit = configuration.limits.jsonBytes
        routes.on(.getFreeze) { _, _ in
            JSONResponse(FreezeView(try store.freeze()))
        }
        routes.on(.setFreeze) { request, _ in
            let body = try await request.decodeJSON(FreezeRequest.self, limit: limit)
            guard body.frozen else {
                return JSONResponse(FreezeView(try store.setFreeze(nil)))
            }
            let reason = (body.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                throw APIError.badRequest("a freeze needs a reason, shown wherever it holds a promotion: {\"frozen\": true, \"reason\": \"quarter-end close\"}", code: "freeze-reason-missing")
            }
            guard reason.utf8.count <= reasonLimit else {
                throw APIError.badRequest("a freeze's reason is at most \(reasonLimit) bytes", code: "freeze-reason-too-long")
            }
            let freeze = FleetFreeze(reason: reason, actor: RolloutCommands.actor, since: components.now())
            return JSONResponse(FreezeView(try store.setFreeze(freeze)))
        }
        return routes.collection
    }
}
