import BellwetherTelemetry
import Hummingbird
import NIOCore
import SwiftProtobuf

/// The embedded OTLP/HTTP receiver: `POST /v1/metrics` and `POST /v1/traces`, protobuf or JSON,
/// compressed or not, with the agent token when one is configured (exporters send it with
/// `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>`). What agents report is held by
/// the receiver as per-agent aggregates and stored every flush interval (`OTLPReceiver.flush`),
/// read by the control loop through `EmbeddedMetricSource`.
enum OTLPRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let routes = EndpointRoutes<Context>(access: .agent, tokens: tokens, fleet: components.fleet, errors: OTLPErrorMiddleware())
        let receiver = components.otlp
        let checks = ActiveRolloutChecks(store: components.store)
        routes.on(.otlpMetrics) { request, _ in
            let scope = TokenAuthMiddleware<Context>.agentScope(request, tokens: tokens)
            return try await receive(request, components, checks, signal: "metrics") {
                try receiver.receiveMetrics($0, encoding: $1, coding: $2, at: $3, scope: scope)
            }
        }
        routes.on(.otlpTraces) { request, _ in
            let scope = TokenAuthMiddleware<Context>.agentScope(request, tokens: tokens)
            return try await receive(request, components, checks, signal: "traces") {
                try receiver.receiveTraces($0, encoding: $1, coding: $2, at: $3, scope: scope)
            }
        }
        return routes.collection
    }

    /// One export: formats checked, admitted under the in-flight budget (429 past it), body read
    /// and inflated under the limit and charged at both sizes, decoded and accumulated by
    /// `accept` under the active rollouts' checks, observations and the exemplars it attributes
    /// held for the next flush, answered in the request's encoding.
    private static func receive<Answer: SwiftProtobuf.Message>(
        _ request: Request, _ components: ServerComponents, _ checks: ActiveRolloutChecks, signal: String,
        _ accept: (_ body: [UInt8], OTLPEncoding, ContentCoding, _ time: Double) throws -> OTLPReceiver.Receipt<Answer>
    ) async throws -> OTLPResponse<Answer> {
        let (encoding, coding) = try formats(of: request)
        let admission = components.otlp.admission
        let limit = components.otlp.settings.bodyLimit
        var ticket = try admission.admit(bytes: min(request.headers[.contentLength].flatMap { Int($0) } ?? 0, limit))
        defer { admission.release(ticket) }
        let body = try await request.bytes(upTo: limit, refusing: OTLPRequestError.tooLarge(limit: limit))
        try admission.grow(&ticket, to: body.count)
        // A compressed body is charged what it inflates to as well: 64 bodies of 1 MiB of gzip
        // can hold 4 GiB, and the budget exists to bound memory, not bytes on the wire.
        let inflated = try Inflater.decode(body, coding: coding, limit: limit)
        if coding != .identity { try admission.grow(&ticket, to: body.count + inflated.count) }
        components.otlp.use(try checks.current())
        let time = components.now().timeIntervalSince1970
        let receipt = try accept(inflated, encoding, .identity, time)
        components.metrics.otlpReceived(signal: signal, receipt.summary)
        let exemplars = await ExemplarAttribution.exemplars(receipt.failing, receivedAt: time, fleet: components.fleet)
        components.otlp.hold(receipt.observations, exemplars: exemplars)
        return OTLPResponse(message: receipt.response, encoding: encoding)
    }

    /// Checked before the body is read, so an unsupported request costs nothing.
    private static func formats(of request: Request) throws(OTLPRequestError) -> (OTLPEncoding, ContentCoding) {
        guard let encoding = OTLPEncoding(contentType: request.headers[.contentType]) else {
            throw .unsupportedContentType(request.headers[.contentType])
        }
        let header = request.headers[.contentEncoding]
        guard let coding = ContentCoding(header: header) else { throw .unsupportedContentEncoding(header ?? "") }
        return (encoding, coding)
    }
}
