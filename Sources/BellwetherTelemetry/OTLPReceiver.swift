import BellwetherCore
import SwiftProtobuf
import Synchronization

/// The embedded OTLP/HTTP receiver without the HTTP: decodes export requests and turns them into
/// per-agent observations, keeping the running totals and exemplars every request adds to.
///
/// Shared by all requests: decoding, the costly part, runs outside the lock; only the
/// accumulation, which must see requests one at a time, runs inside it.
public final class OTLPReceiver: Sendable {
    public struct Settings: Sendable, Hashable {
        public var attribution = AgentAttribution()
        public var classifier = SpanClassifier()
        public var exemplarsPerSpanName = 20
        public var bodyLimit = OTLPPayloadDecoder.defaultLimit

        public init() {}
    }

    /// What one request amounted to: the observations to store and the exporter's answer.
    public struct Receipt<Response: Sendable>: Sendable {
        public var observations: [AgentObservation]
        public var summary: IngestSummary
        public var response: Response
    }

    public let settings: Settings
    private let decoder: OTLPPayloadDecoder
    private let metrics: Mutex<MetricAccumulator>
    private let spans: Mutex<SpanAccumulator>

    public init(settings: Settings = Settings()) {
        self.settings = settings
        decoder = OTLPPayloadDecoder(limit: settings.bodyLimit)
        metrics = Mutex(MetricAccumulator(attribution: settings.attribution))
        spans = Mutex(SpanAccumulator(
            attribution: settings.attribution, classifier: settings.classifier, exemplarsPerSpanName: settings.exemplarsPerSpanName
        ))
    }

    public func receiveMetrics(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding, at time: Double
    ) throws(OTLPRequestError) -> Receipt<OTLPExportMetricsServiceResponse> {
        let request = try decoder.metrics(body, encoding: encoding, coding: coding)
        let (observations, summary) = metrics.withLock { $0.ingest(request, at: time) }
        return receipt(observations, summary, unit: "data points") { response, rejected, message in
            response.partialSuccess.rejectedDataPoints = rejected
            response.partialSuccess.errorMessage = message
        }
    }

    public func receiveTraces(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding, at time: Double
    ) throws(OTLPRequestError) -> Receipt<OTLPExportTraceServiceResponse> {
        let request = try decoder.traces(body, encoding: encoding, coding: coding)
        let (observations, summary) = spans.withLock { $0.ingest(request, at: time) }
        return receipt(observations, summary, unit: "spans") { response, rejected, message in
            response.partialSuccess.rejectedSpans = rejected
            response.partialSuccess.errorMessage = message
        }
    }

    /// The answer: empty when everything was used, a partial success (rejections, or a warning
    /// about unattributed data with none rejected) otherwise.
    private func receipt<Response: Message>(
        _ observations: [AgentObservation], _ summary: IngestSummary, unit: String,
        partialSuccess: (inout Response, _ rejected: Int64, _ message: String) -> Void
    ) -> Receipt<Response> {
        var response = Response()
        let message = summary.message(unit: unit, attribution: settings.attribution)
        if summary.rejected > 0 || !message.isEmpty {
            partialSuccess(&response, Int64(summary.rejected), message)
        }
        return Receipt(observations: observations, summary: summary, response: response)
    }

    /// The failing spans kept for one span name, every agent's, oldest first within each agent.
    public func exemplars(spanName: String) -> [FailingSpanExemplar] {
        spans.withLock { $0.reservoir.exemplars(name: spanName) }
    }

    /// One agent's failing spans kept for one span name, oldest first.
    public func exemplars(agent: String, spanName: String) -> [FailingSpanExemplar] {
        spans.withLock { $0.reservoir.exemplars(agent: agent, name: spanName) }
    }
}
