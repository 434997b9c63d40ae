import Hummingbird

/// `GET /metrics`: the controller's own metrics in Prometheus' text exposition format, without
/// a token, as Prometheus scrapes (keep the listener on a network only operators reach, or
/// expose the API through a proxy that serves `/metrics` to Prometheus alone).
enum MetricsRoutes {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let routes = EndpointRoutes<Context>(access: .anyone, tokens: configuration.accessTokens, fleet: components.fleet)
        routes.on(.metrics) { _, _ in
            let text = try components.metrics.scrape(
                store: components.store, fleet: await components.fleet.snapshot(), now: components.now(), silentAfter: configuration.silentAfter
            )
            return Response(
                status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
        return routes.collection
    }
}
