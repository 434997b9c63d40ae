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
        public var exemplarsPerSpanName = 20
        public var bodyLimit = OTLPPayloadDecoder.defaultLimit
        /// Agents silent this long are forgotten (their running totals and exemplars in memory).
        public var forgetAgentsAfterSeconds: Double = 3600
        /// What may be in flight at once before requests are refused with 429.
        public var admission = OTLPAdmission.Budget()
        /// Agents, series per agent and name lengths the metric totals may hold.
        public var limits = SeriesLimits()

        public init() {}
    }

    /// What one request amounted to: the observations to store and the exporter's answer.
    public struct Receipt<Response: Sendable>: Sendable {
        public var observations: [AgentObservation]
        /// Spans that failed a check of an active rollout, with the checks they failed.
        public var failing: [SpanAccumulator.FailingSpan] = []
        public var summary: IngestSummary
        public var response: Response
    }

    public let settings: Settings
    /// Shared by every listener, so the budget holds for the whole controller.
    public let admission: OTLPAdmission
    private let decoder: OTLPPayloadDecoder
    private let metrics: Mutex<MetricAccumulator>
    private let spans: Mutex<SpanAccumulator>
    private let pending = Mutex(PendingTelemetry())

    public init(settings: Settings = Settings()) {
        self.settings = settings
        decoder = OTLPPayloadDecoder(limit: settings.bodyLimit)
        admission = OTLPAdmission(budget: settings.admission)
        metrics = Mutex(MetricAccumulator(attribution: settings.attribution, limits: settings.limits))
        var spanAccumulator = SpanAccumulator(attribution: settings.attribution, exemplarsPerSpanName: settings.exemplarsPerSpanName)
        spanAccumulator.limits = settings.limits
        spans = Mutex(spanAccumulator)
    }

    /// The checks whose data the receiver separates (filters, `failedWhen` conditions) from now
    /// on: those of the active rollouts. Cheap when nothing changed.
    public func use(_ checks: TelemetryChecks) {
        metrics.withLock { if $0.checks != checks { $0.checks = checks } }
        spans.withLock { if $0.checks != checks { $0.checks = checks } }
    }

    public func receiveMetrics(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding, at time: Double, scope: AgentScope = .any
    ) throws(OTLPRequestError) -> Receipt<OTLPExportMetricsServiceResponse> {
        let request = try decoder.metrics(body, encoding: encoding, coding: coding)
        let (observations, summary) = metrics.withLock { $0.ingest(request, at: time, scope: scope) }
        return receipt(observations, summary, unit: "data points") { response, rejected, message in
            response.partialSuccess.rejectedDataPoints = rejected
            response.partialSuccess.errorMessage = message
        }
    }

    public func receiveTraces(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding, at time: Double, scope: AgentScope = .any
    ) throws(OTLPRequestError) -> Receipt<OTLPExportTraceServiceResponse> {
        let request = try decoder.traces(body, encoding: encoding, coding: coding)
        let (observations, summary, failing) = spans.withLock { $0.ingest(request, at: time, scope: scope) }
        var receipt: Receipt<OTLPExportTraceServiceResponse> = receipt(observations, summary, unit: "spans") { response, rejected, message in
            response.partialSuccess.rejectedSpans = rejected
            response.partialSuccess.errorMessage = message
        }
        receipt.failing = failing
        return receipt
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

    /// Keeps what requests made until the next `takePending()`, aggregated per agent.
    public func hold(_ observations: [AgentObservation], exemplars: [RolloutExemplar]) {
        guard !observations.isEmpty || !exemplars.isEmpty else { return }
        pending.withLock { $0.add(observations, exemplars: exemplars) }
    }

    /// Everything held since the last call, to be stored; the receiver holds nothing after.
    public func takePending() -> PendingTelemetry {
        pending.withLock { pending in
            defer { pending = PendingTelemetry() }
            return pending
        }
    }

    /// Puts back what could not be stored, before anything held since, so a failed write loses
    /// nothing and later totals still win.
    public func restorePending(_ failed: PendingTelemetry) {
        pending.withLock { pending in
            var restored = failed
            restored.add(pending.aggregates, exemplars: pending.exemplars)
            pending = restored
        }
    }

    /// Forgets agents that sent nothing for `settings.forgetAgentsAfterSeconds` before `now`, so
    /// memory follows the agents that report, not every agent that ever did.
    public func forgetDepartedAgents(now: Double) {
        let cutoff = now - settings.forgetAgentsAfterSeconds
        metrics.withLock { _ = $0.forget(silentSince: cutoff) }
        spans.withLock { $0.forget(silentSince: cutoff) }
    }

    /// Agents whose running totals, and agents whose exemplars, are held in memory.
    public var agentsHeld: (metrics: Int, exemplars: Int) {
        (metrics.withLock { $0.agentCount }, spans.withLock { $0.reservoir.agentCount })
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
