import BellwetherController
import BellwetherCore
import BellwetherHTTPClient
import Foundation
import Metrics
import Synchronization

/// The controller's metric source, plus the Prometheus servers policies name themselves: a rollout
/// whose policy has `metrics.prometheus` reads that server (`source(for:)`), every other rollout
/// reads `fallback` (the embedded store, or the server's `--prometheus-url`). One source is kept
/// per distinct setting; all of them send through the process's one client, whose connections to
/// each server are reused from one evaluation to the next.
public final class PolicyMetricSources: MetricSource {
    public let fallback: any MetricSource
    /// The server's own Prometheus settings, which a policy's inherit where it says nothing.
    public let server: PrometheusSettings?
    private let http: OutboundHTTP
    private let environment: @Sendable (String) -> String?
    private let telemetry: (any MetricsFactory)?
    private let sources = Mutex<[PrometheusSettings: PrometheusMetricSource]>([:])

    /// - Parameters:
    ///   - http: the process's client, which every policy's Prometheus shares.
    ///   - environment: reads the variable a policy's `authorizationEnv` names (the process
    ///     environment by default), at each evaluation, so a rotated secret is picked up.
    ///   - telemetry: where the policies' sources count their failures.
    public init(
        fallback: any MetricSource, server: PrometheusSettings?, http: OutboundHTTP, telemetry: (any MetricsFactory)? = nil,
        environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }
    ) {
        self.fallback = fallback
        self.server = server
        self.http = http
        self.telemetry = telemetry
        self.environment = environment
    }

    public func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        try await fallback.observations(agents: agents, from: from, through: through)
    }

    public func observations(agents: Set<String>, from: Double, through: Double, needs: MetricNeeds) async throws -> [AgentObservation] {
        try await fallback.observations(agents: agents, from: from, through: through, needs: needs)
    }

    public func source(for policy: Policy) -> any MetricSource {
        guard let spec = policy.metrics?.prometheus else { return fallback.source(for: policy) }
        do throws(PrometheusError) {
            let settings = try PrometheusSettings(spec, over: server, environment: environment)
            return sources.withLock { sources in
                if let kept = sources[settings] { return kept }
                let made = PrometheusMetricSource(settings: settings, http: http, telemetry: telemetry)
                sources[settings] = made
                return made
            }
        } catch {
            return UnusableMetricSource(error: error, telemetry: telemetry)
        }
    }
}

extension PrometheusSettings {
    /// A policy's `metrics.prometheus` over the server's settings: what the policy gives wins,
    /// what it leaves out is the server's (or the default). The server's `Authorization` header is
    /// never sent to a policy's server, which may be another host: only `authorizationEnv` sets it.
    public init(_ spec: PrometheusSourceSpec, over server: PrometheusSettings?, environment: (String) -> String?) throws(PrometheusError) {
        guard let url = URL(string: spec.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw .misconfigured("metrics.prometheus.url '\(spec.url)' is not an http(s) URL such as http://prometheus:9090")
        }
        self.init(baseURL: url)
        if let server {
            timeoutSeconds = server.timeoutSeconds
            stepSeconds = server.stepSeconds
            agentLabel = server.agentLabel
            versionLabel = server.versionLabel
            spanCallsMetric = server.spanCallsMetric
        }
        timeoutSeconds = spec.timeoutSeconds ?? timeoutSeconds
        stepSeconds = spec.stepSeconds ?? stepSeconds
        agentLabel = spec.agentLabel ?? agentLabel
        versionLabel = spec.versionLabel ?? versionLabel
        spanCallsMetric = spec.spanMetric ?? spanCallsMetric
        if let variable = spec.authorizationEnv {
            guard let header = environment(variable), !header.isEmpty else {
                throw .misconfigured("metrics.prometheus.authorizationEnv names \(variable), which is not set in the controller's environment: "
                    + "set it to the whole Authorization header, such as `Bearer <token>`, and restart the controller")
            }
            authorization = header
        }
    }
}

/// What a rollout reads when its policy's Prometheus cannot be used: every read fails with the
/// reason, so the step halts through `onNoData` with it in its status, as an unreachable server would.
struct UnusableMetricSource: MetricSource {
    let error: PrometheusError
    let telemetry: (any MetricsFactory)?

    func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        PrometheusMetricSource.count(error, on: telemetry)
        throw error
    }
}
