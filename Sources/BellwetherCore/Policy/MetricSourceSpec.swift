/// Where a rollout's checks read their telemetry, when not from the controller's own source: a
/// policy for agents whose telemetry lands in another Prometheus (another team's, another
/// region's Thanos or Mimir) names it here, and it overrides the server's `--prometheus-url`
/// settings for that rollout alone.
public struct MetricSourceSpec: Sendable, Hashable, Codable {
    public var prometheus: PrometheusSourceSpec?

    public init(prometheus: PrometheusSourceSpec? = nil) {
        self.prometheus = prometheus
    }
}

/// `metrics.prometheus` of a policy. Each field given overrides the server's setting of the same
/// name; each left out keeps the server's (or the default). The `Authorization` header is never
/// written in a policy, which is stored with every rollout and shown by the API:
/// `authorizationEnv` names the controller's environment variable that holds it.
public struct PrometheusSourceSpec: Sendable, Hashable, Codable {
    /// An http(s) base URL, such as `http://prometheus.eu-west:9090`.
    public var url: String
    public var timeoutSeconds: Double?
    public var stepSeconds: Double?
    public var agentLabel: String?
    public var versionLabel: String?
    public var spanMetric: String?
    /// The environment variable holding the whole `Authorization` header value, such as
    /// `PROMETHEUS_EU_AUTHORIZATION` (`Bearer …`).
    public var authorizationEnv: String?

    public init(
        url: String, timeoutSeconds: Double? = nil, stepSeconds: Double? = nil, agentLabel: String? = nil, versionLabel: String? = nil,
        spanMetric: String? = nil, authorizationEnv: String? = nil
    ) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.stepSeconds = stepSeconds
        self.agentLabel = agentLabel
        self.versionLabel = versionLabel
        self.spanMetric = spanMetric
        self.authorizationEnv = authorizationEnv
    }
}
