import BellwetherCore
import Hummingbird

/// `POST /api/v1/clock/advance` `{"seconds": 30}`: moves a manual controller clock and answers
/// once the control loop's pass at the new instant has finished. Only a server started on a
/// manual clock (`serve --manual-clock`, for tests and demos of the real process) offers it.
enum ClockRoutes {
    struct AdvanceRequest: Decodable {
        var seconds: Double
    }

    struct AdvanceResponse: Encodable {
        /// Controller time after the pass, seconds since the Unix epoch.
        var time: Double
        /// Where every recent rollout stands after the pass.
        var rollouts: [String: String]
    }

    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let routes = EndpointRoutes<Context>(access: .operator, tokens: tokens, fleet: components.fleet)
        routes.on(.advanceClock) { request, _ in
            guard let clock = components.clock else {
                throw APIError.notFound("this controller runs on the system clock; only `serve --manual-clock` lets time be moved", code: "no-manual-clock")
            }
            let body = try await request.decodeJSON(AdvanceRequest.self, limit: configuration.limits.jsonBytes)
            guard body.seconds.isFinite, body.seconds > 0, body.seconds <= 86_400 else {
                throw APIError.badRequest("seconds must be more than 0 and at most 86400, found \(body.seconds)")
            }
            let report = try await clock.advance(body.seconds)
            return JSONResponse(AdvanceResponse(
                time: report.time.timeIntervalSince1970,
                rollouts: report.states.mapValues(\.description)
            ))
        }
        return routes.collection
    }
}
