/// The telemetry a policy's checks read: the counters, histograms and span names, and when a span
/// counts as failed. A source that stores everything (the embedded one) can ignore it; a source
/// that must ask for each metric by name (Prometheus) reads exactly these and nothing more.
public struct MetricNeeds: Sendable, Hashable {
    /// Cumulative counters, by the name the policy gives them.
    public var counters: Set<String>
    /// Explicit-bucket histograms.
    public var histograms: Set<String>
    /// Span names, each with the policy's conditions for a failed span (empty: the default).
    public var spans: [String: [SpanFailureCondition]]

    public init(counters: Set<String> = [], histograms: Set<String> = [], spans: [String: [SpanFailureCondition]] = [:]) {
        self.counters = counters
        self.histograms = histograms
        self.spans = spans
    }

    /// What the checks of `analysis` read.
    public init(_ analysis: AnalysisSpec) {
        self.init()
        for check in analysis.checks {
            switch check.kind {
            case .ratio(let numerator, let denominator):
                counters.insert(numerator)
                counters.insert(denominator)
            case .rate(let metric):
                counters.insert(metric)
            case .histogram(let metric, _):
                histograms.insert(metric)
            case .spans(let name, let failedWhen):
                let known = spans[name] ?? []
                spans[name] = known + failedWhen.filter { !known.contains($0) }
            }
        }
    }

    public var isEmpty: Bool { counters.isEmpty && histograms.isEmpty && spans.isEmpty }
}
