import BellwetherCore

/// Turns OTLP spans into per-agent span counts by name (`total`, `failed`), the delta counts
/// observations carry, and keeps exemplars of the failing ones.
///
/// Spans are counted by name only: one classification (`classifier`) serves every `spans` check,
/// so two checks on the same span name with different `failedWhen` lists need separate counts, a
/// later step. A span whose trace or span id is not 16 or 8 bytes, or all zero, is invalid in OTLP and rejected.
public struct SpanAccumulator: Sendable {
    public var attribution: AgentAttribution
    public var classifier: SpanClassifier
    public private(set) var reservoir: ExemplarReservoir

    public init(
        attribution: AgentAttribution = AgentAttribution(),
        classifier: SpanClassifier = SpanClassifier(),
        exemplarsPerSpanName: Int = 20
    ) {
        self.attribution = attribution
        self.classifier = classifier
        reservoir = ExemplarReservoir(capacity: exemplarsPerSpanName)
    }

    /// The observations `request` makes, one per agent, stamped `time` (when it was received).
    public mutating func ingest(_ request: OTLPExportTraceServiceRequest, at time: Double) -> (observations: [AgentObservation], summary: IngestSummary) {
        var summary = IngestSummary()
        var counts = AgentGroups<AgentSpans>()
        for resourceSpans in request.resourceSpans {
            guard let identity = attribution.identity(of: resourceSpans.resource) else {
                summary.unattributed += resourceSpans.scopeSpans.reduce(0) { $0 + $1.spans.count }
                continue
            }
            counts.update(identity.agent, initial: AgentSpans()) { agent in
                agent.version = identity.version ?? agent.version
                for scopeSpans in resourceSpans.scopeSpans {
                    for span in scopeSpans.spans {
                        count(span, identity: identity, into: &agent.spans, summary: &summary)
                    }
                }
            }
        }
        let observations = counts.ordered.compactMap { agent, spans -> AgentObservation? in
            spans.spans.isEmpty ? nil : AgentObservation(agent: agent, time: time, version: spans.version, spans: spans.spans)
        }
        return (observations, summary)
    }

    private mutating func count(_ span: OTLPSpan, identity: AgentIdentity, into spans: inout [String: SpanCounts], summary: inout IngestSummary) {
        guard span.traceID.count == 16, span.spanID.count == 8,
              span.traceID.contains(where: { $0 != 0 }), span.spanID.contains(where: { $0 != 0 })
        else {
            summary.reject("a span's trace_id must be 16 bytes and its span_id 8 bytes, not all zero")
            return
        }
        let failed = classifier.failed(span)
        spans[span.name, default: SpanCounts(total: 0, failed: 0)].total += 1
        if failed {
            spans[span.name, default: SpanCounts(total: 0, failed: 0)].failed += 1
            reservoir.add(FailingSpanExemplar(span, identity: identity))
        }
        summary.accepted += 1
    }

    private struct AgentSpans {
        var version: String?
        var spans: [String: SpanCounts] = [:]
    }
}
