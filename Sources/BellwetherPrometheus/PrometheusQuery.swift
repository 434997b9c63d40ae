import BellwetherCore

/// One PromQL range query and what its series feed. Every query reads raw cumulative series,
/// summed over labels other than agent and version (and `le`, span name, status where they
/// matter), never `rate()` or `increase()`: the controller takes increases itself with the same
/// normaliser as the embedded path, so resets count the same way and nothing is extrapolated.
public struct PrometheusQuery: Sendable, Hashable {
    public enum Feeds: Sendable, Hashable {
        /// A counter, by the policy's name.
        case counter(String)
        /// A histogram's cumulative `le` buckets.
        case histogramBuckets(String)
        /// A histogram's `_sum`.
        case histogramSum(String)
        /// Spanmetrics calls of one span name, and when one counts as failed.
        case spans(String, failedWhen: [SpanFailureCondition])
    }

    public var promql: String
    public var feeds: Feeds

    public init(promql: String, feeds: Feeds) {
        self.promql = promql
        self.feeds = feeds
    }

    /// The queries reading `needs` for `agents`, in a stable order.
    public static func plan(agents: Set<String>, needs: MetricNeeds, settings: PrometheusSettings) -> [PrometheusQuery] {
        let agent = settings.agentLabel
        let version = settings.versionLabel
        let selector = "\(agent)=~\(quoted(agents.sorted().map(regexEscaped).joined(separator: "|")))"
        var queries: [PrometheusQuery] = []
        for name in needs.counters.sorted() {
            queries.append(PrometheusQuery(
                promql: "sum by (\(agent), \(version)) (\(PrometheusNaming.counter(name)){\(selector)})", feeds: .counter(name)
            ))
        }
        for name in needs.histograms.sorted() {
            let base = PrometheusNaming.histogram(name)
            queries.append(PrometheusQuery(
                promql: "sum by (\(agent), \(version), le) (\(base)_bucket{\(selector)})", feeds: .histogramBuckets(name)
            ))
            queries.append(PrometheusQuery(promql: "sum by (\(agent), \(version)) (\(base)_sum{\(selector)})", feeds: .histogramSum(name)))
        }
        for (name, conditions) in needs.spans.sorted(by: { $0.key < $1.key }) {
            let attributes = conditions.compactMap { condition -> String? in
                if case .attribute(let key, _) = condition { return PrometheusNaming.label(key) }
                return nil
            }
            let by = ([agent, version, "status_code"] + attributes.sorted()).joined(separator: ", ")
            queries.append(PrometheusQuery(
                promql: "sum by (\(by)) (\(settings.spanCallsMetric){span_name=\(quoted(name)), \(selector)})",
                feeds: .spans(name, failedWhen: conditions)
            ))
        }
        return queries
    }

    /// The instants Prometheus evaluates a range query at: `through` and every `step` before it,
    /// all after `from` (which the metric source excludes). Returns nil when none fits.
    public static func range(from: Double, through: Double, step: Double) -> (start: Double, end: Double)? {
        guard through > from, step > 0 else { return nil }
        var steps = ((through - from) / step).rounded(.down)
        if through - steps * step <= from { steps -= 1 }
        return steps >= 0 ? (through - steps * step, through) : nil
    }

    /// A PromQL double-quoted string literal.
    static func quoted(_ text: String) -> String {
        "\"" + PrometheusNaming.escaped(text) + "\""
    }

    /// `text` matched literally inside a (RE2) regular expression.
    static func regexEscaped(_ text: String) -> String {
        let special: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"]
        return String(text.flatMap { special.contains($0) ? ["\\", $0] : [$0] })
    }
}
