import BellwetherCore
import BellwetherPrometheus
import Foundation

/// The Prometheus metric source's settings as one source gives them (`--prometheus-url`,
/// `BELLWETHER_PROMETHEUS_AUTHORIZATION`, or `prometheus…` keys of a `--config` file), each
/// optional. With a URL the control loop reads telemetry from Prometheus instead of the embedded
/// store (docs/scale.md).
public struct PrometheusSourceSettings: Sendable, Hashable {
    public var url: String?
    public var authorization: String?
    /// A duration with its unit, such as `10s`.
    public var timeout: String?
    public var agentLabel: String?
    public var versionLabel: String?
    /// A duration with its unit, such as `5s`.
    public var step: String?
    public var spanMetric: String?

    public init(url: String? = nil, authorization: String? = nil) {
        self.url = url
        self.authorization = authorization
    }

    /// The `--config` keys, each `prometheus` and the setting's name.
    static let fileKeys = [
        "prometheusURL", "prometheusAuthorization", "prometheusTimeout", "prometheusAgentLabel", "prometheusVersionLabel",
        "prometheusStep", "prometheusSpanMetric",
    ]

    /// Takes one `--config` key; false when the key is not one of `fileKeys`.
    mutating func set(_ key: String, _ value: String) -> Bool {
        switch key {
        case "prometheusURL": url = value
        case "prometheusAuthorization": authorization = value
        case "prometheusTimeout": timeout = value
        case "prometheusAgentLabel": agentLabel = value
        case "prometheusVersionLabel": versionLabel = value
        case "prometheusStep": step = value
        case "prometheusSpanMetric": spanMetric = value
        default: return false
        }
        return true
    }

    /// These settings, with `fallback`'s wherever these have none.
    func over(_ fallback: PrometheusSourceSettings) -> PrometheusSourceSettings {
        var merged = PrometheusSourceSettings(url: url ?? fallback.url, authorization: authorization ?? fallback.authorization)
        merged.timeout = timeout ?? fallback.timeout
        merged.agentLabel = agentLabel ?? fallback.agentLabel
        merged.versionLabel = versionLabel ?? fallback.versionLabel
        merged.step = step ?? fallback.step
        merged.spanMetric = spanMetric ?? fallback.spanMetric
        return merged
    }

    /// The typed settings, or nil without a URL (the embedded store is the source then).
    func resolved() throws(ConfigurationError) -> PrometheusSettings? {
        guard let url else {
            let stray = [authorization, timeout, agentLabel, versionLabel, step, spanMetric].contains { $0 != nil }
            if stray { throw ConfigurationError("prometheus settings are given without prometheusURL (--prometheus-url): name the Prometheus server, such as http://prometheus:9090") }
            return nil
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ConfigurationError("--prometheus-url '\(url)' is not an http(s) URL: write one such as http://prometheus:9090")
        }
        var settings = PrometheusSettings(baseURL: parsed)
        settings.authorization = authorization
        if let timeout { settings.timeoutSeconds = try Self.seconds(timeout, key: "prometheusTimeout") }
        if let step { settings.stepSeconds = try Self.seconds(step, key: "prometheusStep") }
        for (key, value) in [("prometheusAgentLabel", agentLabel), ("prometheusVersionLabel", versionLabel), ("prometheusSpanMetric", spanMetric)] {
            guard let value else { continue }
            guard !value.isEmpty, PrometheusNaming.sanitized(value) == value else {
                throw ConfigurationError("\(key) '\(value)' is not a Prometheus name: use letters, digits and underscores, such as service_instance_id")
            }
        }
        settings.agentLabel = agentLabel ?? settings.agentLabel
        settings.versionLabel = versionLabel ?? settings.versionLabel
        settings.spanCallsMetric = spanMetric ?? settings.spanCallsMetric
        return settings
    }

    private static func seconds(_ text: String, key: String) throws(ConfigurationError) -> Double {
        guard let seconds = DurationParser.seconds(text), seconds > 0 else {
            throw ConfigurationError("\(key) '\(text)' is not a duration: \(DurationParser.hint)")
        }
        return seconds
    }
}
