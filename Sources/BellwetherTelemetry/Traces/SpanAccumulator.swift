import BellwetherCore

/// Turns OTLP spans into per-agent span counts (`total`, `failed`), the delta counts observations
/// carry, and keeps exemplars of the failing ones.
///
/// Every span is counted under its name as a policy's default conditions classify it (status
/// ERROR or a recorded exception), and again under each `TelemetryChecks.SpanRule` of its name:
/// the `failedWhen` conditions and `filter` of the active rollouts' `spans` checks, each under
/// its own key (`Check.spanKey`), so two checks on one span name never share a count. A span
/// that fails a rule is returned as evidence for that rule's checks. A span whose trace or span
/// id is not 16 or 8 bytes, or all zero, is invalid in OTLP and rejected.
public struct SpanAccumulator: Sendable {
    public var attribution: AgentAttribution
    public var classifier: SpanClassifier
    public var checks: TelemetryChecks
    /// Agents held, span names one agent may send in one request, and their length.
    public var limits = SeriesLimits()
    public private(set) var reservoir: ExemplarReservoir
    /// When each agent with exemplars last sent a span: who may be forgotten.
    private var lastSeen: [String: Double] = [:]

    /// A failing span and the checks it failed.
    public struct FailingSpan: Sendable, Hashable {
        public var exemplar: FailingSpanExemplar
        public var checks: [CheckReference]
    }

    public init(
        attribution: AgentAttribution = AgentAttribution(),
        classifier: SpanClassifier = SpanClassifier(),
        checks: TelemetryChecks = TelemetryChecks(),
        exemplarsPerSpanName: Int = 20
    ) {
        self.attribution = attribution
        self.classifier = classifier
        self.checks = checks
        reservoir = ExemplarReservoir(capacity: exemplarsPerSpanName)
    }

    /// The observations `request` makes, one per agent, stamped `time` (when it was received), and
    /// the spans that failed a check's rule. Resources of agents outside `scope` are rejected.
    public mutating func ingest(
        _ request: OTLPExportTraceServiceRequest, at time: Double, scope: AgentScope = .any
    ) -> (observations: [AgentObservation], summary: IngestSummary, failing: [FailingSpan]) {
        var summary = IngestSummary()
        var failing: [FailingSpan] = []
        var counts = AgentGroups<AgentSpans>()
        for resourceSpans in request.resourceSpans {
            guard let identity = attribution.identity(of: resourceSpans.resource) else {
                summary.unattributed += resourceSpans.scopeSpans.reduce(0) { $0 + $1.spans.count }
                continue
            }
            guard scope.admits(identity.agent) else {
                summary.reject(scope.refusal(of: identity.agent), count: resourceSpans.scopeSpans.reduce(0) { $0 + $1.spans.count })
                continue
            }
            if lastSeen[identity.agent] == nil, lastSeen.count >= limits.agents {
                summary.reject(
                    "the receiver holds its limit of \(limits.agents) agents; agent \(identity.agent) is refused until others fall silent",
                    count: resourceSpans.scopeSpans.reduce(0) { $0 + $1.spans.count }
                )
                continue
            }
            lastSeen[identity.agent] = time
            counts.update(identity.agent, initial: AgentSpans()) { agent in
                agent.version = identity.version ?? agent.version
                for scopeSpans in resourceSpans.scopeSpans {
                    for span in scopeSpans.spans {
                        count(span, identity: identity, into: &agent.spans, summary: &summary, failing: &failing)
                    }
                }
            }
        }
        let observations = counts.ordered.compactMap { agent, spans -> AgentObservation? in
            spans.spans.isEmpty ? nil : AgentObservation(agent: agent, time: time, version: spans.version, spans: spans.spans)
        }
        return (observations, summary, failing)
    }

    /// Forgets the in-memory exemplars of agents that sent nothing since `time`.
    public mutating func forget(silentSince time: Double) {
        let gone = Set(lastSeen.filter { $0.value < time }.keys)
        for agent in gone { lastSeen[agent] = nil }
        reservoir.remove(agents: gone)
    }

    private mutating func count(
        _ span: OTLPSpan, identity: AgentIdentity, into spans: inout [String: SpanCounts],
        summary: inout IngestSummary, failing: inout [FailingSpan]
    ) {
        guard span.traceID.count == 16, span.spanID.count == 8,
              span.traceID.contains(where: { $0 != 0 }), span.spanID.contains(where: { $0 != 0 })
        else {
            summary.reject("a span's trace_id must be 16 bytes and its span_id 8 bytes, not all zero")
            return
        }
        guard span.name.utf8.count <= limits.nameBytes else {
            summary.reject("a span name is longer than \(limits.nameBytes) bytes")
            return
        }
        guard spans[span.name] != nil || spans.count < limits.seriesPerAgent else {
            summary.reject("agent \(identity.agent) sent more than \(limits.seriesPerAgent) span names in one request")
            return
        }
        summary.accepted += 1
        let failed = classifier.failed(span)
        spans[span.name, default: SpanCounts(total: 0, failed: 0)].add(failed: failed)
        var failedChecks: [CheckReference] = []
        for rule in checks.spanRules[span.name] ?? [] {
            // Every rule of a name gets counts whenever the name does, zero when its filter
            // selects nothing: a check then reads "no such spans", never the name's counts.
            var counts = spans[rule.key] ?? SpanCounts(total: 0, failed: 0)
            defer { spans[rule.key] = counts }
            guard rule.filter.isEmpty || span.attributes.match(rule.filter) else { continue }
            let ruleFailed = rule.key == span.name ? failed : rule.classifier.failed(span)
            if rule.key != span.name { counts.add(failed: ruleFailed) }
            if ruleFailed { failedChecks += rule.checks }
        }
        guard failed || !failedChecks.isEmpty else { return }
        let exemplar = FailingSpanExemplar(span, identity: identity)
        reservoir.add(exemplar)
        if !failedChecks.isEmpty { failing.append(FailingSpan(exemplar: exemplar, checks: failedChecks)) }
    }

    private struct AgentSpans {
        var version: String?
        var spans: [String: SpanCounts] = [:]
    }
}

extension SpanCounts {
    mutating func add(failed: Bool) {
        total += 1
        if failed { self.failed += 1 }
    }
}
