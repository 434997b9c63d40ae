/// Why Prometheus could not be read. Each one makes the evaluation at hand unreadable, never
/// healthy: the controller records the description as the boundary's problem (shown in rollout
/// status and the log) and applies the policy's `onNoData` when two boundaries in a row fail.
public enum PrometheusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection, refused, reset, DNS: the server could not be reached at all.
    case unreachable(url: String, reason: String)
    /// The query did not answer within the configured timeout.
    case timedOut(url: String, seconds: Double)
    /// An HTTP status other than 200, with Prometheus' own error when it gave one.
    case httpStatus(Int, url: String, message: String)
    /// `"status": "error"` in the answer (a bad query, a query timeout inside Prometheus).
    case queryFailed(errorType: String, message: String, query: String)
    /// An answer that is not Prometheus' API shape.
    case malformedResponse(reason: String)
    /// Every query answered, but no series at all for the rollout's agents.
    case noSeries(agents: Int, agentLabel: String, metrics: [String])
    /// The policy's `metrics.prometheus` cannot be used as written here (its authorization
    /// variable unset, its URL unusable): nothing was asked.
    case misconfigured(String)

    /// The failure's kind, as `bellwether_metric_source_failures_total` counts it.
    public var reason: String {
        switch self {
        case .unreachable: "unreachable"
        case .timedOut: "timeout"
        case .httpStatus: "status"
        case .queryFailed: "query"
        case .malformedResponse: "malformed"
        case .noSeries: "empty"
        case .misconfigured: "configuration"
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "could not reach Prometheus at \(url): \(reason)"
        case .timedOut(let url, let seconds):
            "Prometheus at \(url) did not answer within \(Self.format(seconds))s (prometheusTimeout)"
        case .httpStatus(let status, let url, let message):
            "Prometheus at \(url) answered HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .queryFailed(let errorType, let message, let query):
            "Prometheus refused the query (\(errorType): \(message)): \(query.prefix(300))"
        case .malformedResponse(let reason):
            "Prometheus' answer is not its query API's JSON: \(reason)"
        case .noSeries(let agents, let agentLabel, let metrics):
            "Prometheus has no series of \(metrics.joined(separator: ", ")) for any of the \(agents) agents by label \(agentLabel): "
                + "check that agents' metrics reach it and that prometheusAgentLabel names the label holding service.instance.id"
        case .misconfigured(let problem):
            "the policy's Prometheus cannot be used: \(problem)"
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
