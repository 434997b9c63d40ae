import BellwetherTelemetry
import Hummingbird
import NIOCore

/// The embedded OTLP/HTTP receiver: `POST /v1/metrics` and `POST /v1/traces`, protobuf or JSON,
/// compressed or not, with the agent token when one is configured (exporters send it with
/// `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>`). What agents report becomes
/// observations in the store, read by the control loop through `EmbeddedMetricSource`.
enum OTLPRoutes {
    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = AccessTokens(admin: configuration.adminToken, agent: configuration.agentToken)
        let routes = EndpointRoutes<Context>(access: .agent, tokens: tokens, fleet: components.fleet, errors: OTLPErrorMiddleware())
        let receiver = components.otlp
        routes.on(.otlpMetrics) { request, _ in
            let (encoding, coding) = try formats(of: request)
            let body = try await request.otlpBody(limit: receiver.settings.bodyLimit)
            let receipt = try receiver.receiveMetrics(body, encoding: encoding, coding: coding, at: components.now().timeIntervalSince1970)
            try components.store.recordObservations(receipt.observations)
            return OTLPResponse(message: receipt.response, encoding: encoding)
        }
        routes.on(.otlpTraces) { request, _ in
            let (encoding, coding) = try formats(of: request)
            let body = try await request.otlpBody(limit: receiver.settings.bodyLimit)
            let receipt = try receiver.receiveTraces(body, encoding: encoding, coding: coding, at: components.now().timeIntervalSince1970)
            try components.store.recordObservations(receipt.observations)
            return OTLPResponse(message: receipt.response, encoding: encoding)
        }
        return routes.collection
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

extension Request {
    /// The body, refused with 413 past `limit` before it is all buffered (a compressed body larger
    /// than the limit cannot inflate to less).
    fileprivate func otlpBody(limit: Int) async throws -> [UInt8] {
        do {
            return Array(try await body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw OTLPRequestError.tooLarge(limit: limit)
        }
    }
}
