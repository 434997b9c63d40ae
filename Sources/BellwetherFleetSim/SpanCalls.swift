/// How many `process_data_record` spans an agent has ended since its process started, by the
/// outcome the OpenTelemetry Collector's spanmetrics connector tells apart (status code, and the
/// `data.incomplete` dimension): the calls counter Prometheus sees behind a Collector. Only traced
/// spans count, as a connector downstream of the agents' sampler counts only what it receives.
public struct SpanCalls: Sendable, Hashable {
    /// Status unset, enriched.
    public var enriched: UInt64 = 0
    /// Status unset, `data.incomplete=true`: the silent killer's spans.
    public var incomplete: UInt64 = 0
    /// Status ERROR.
    public var failed: UInt64 = 0

    public init(enriched: UInt64 = 0, incomplete: UInt64 = 0, failed: UInt64 = 0) {
        self.enriched = enriched
        self.incomplete = incomplete
        self.failed = failed
    }

    public var total: UInt64 { enriched + incomplete + failed }

    mutating func count(_ outcome: SimulatedSpan.Outcome) {
        switch outcome {
        case .enriched: enriched += 1
        case .incomplete: incomplete += 1
        case .error: failed += 1
        }
    }
}
