import Foundation

/// Where the controller reads telemetry at scale, and how series map onto agents and versions.
///
/// The defaults match what the OpenTelemetry Collector writes when agents' resources carry
/// `service.instance.id` and `service.version`: its `prometheus` exporter (with
/// `resource_to_telemetry_conversion` enabled) and its `prometheusremotewrite` exporter both turn
/// them into the labels `service_instance_id` and `service_version`; its spanmetrics connector
/// (with both as dimensions) writes `traces_span_metrics_calls_total` by `span_name` and
/// `status_code`.
public struct PrometheusSettings: Sendable, Hashable {
    /// The server's base URL, such as `http://prometheus:9090` (Thanos, Mimir and
    /// VictoriaMetrics serve the same HTTP API, under a prefix of their own for some).
    public var baseURL: URL
    /// The whole `Authorization` header value, such as `Bearer <token>` or `Basic <base64>`.
    public var authorization: String?
    /// How long one query may take before the evaluation is given up as unreadable.
    public var timeoutSeconds: Double = 10
    /// The label naming the agent a series belongs to.
    public var agentLabel = "service_instance_id"
    /// The label naming the version the agent ran when it produced the series.
    public var versionLabel = "service_version"
    /// The resolution of range queries. Prometheus evaluates at `through`, `through − step`, …;
    /// a step that divides the policy's interval puts an evaluation on every boundary.
    public var stepSeconds: Double = 5
    /// The spanmetrics connector's calls counter: `traces_span_metrics_calls_total` since the
    /// connector's namespace default, `calls_total` for older Collectors.
    public var spanCallsMetric = "traces_span_metrics_calls_total"

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }
}
