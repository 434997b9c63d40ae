import BellwetherController
import BellwetherCore
@testable import BellwetherPrometheus
import BellwetherTestSupport
import Foundation
import Synchronization
import Testing

/// A policy's own `metrics.prometheus`: what it overrides of the server's settings, where its
/// authorization comes from, and which source the controller gets for each rollout.
@Suite struct PolicyMetricSourcesTests {
    static func policy(_ prometheus: PrometheusSourceSpec?) -> Policy {
        Policy(
            name: "p", steps: [RolloutStep(cohort: "all", percent: 100)],
            analysis: AnalysisSpec(checks: [Check(name: "c", kind: .rate(metric: "m"))]),
            metrics: prometheus.map { MetricSourceSpec(prometheus: $0) }
        )
    }

    static var server: PrometheusSettings {
        var server = PrometheusSettings(baseURL: URL(string: "http://central:9090")!)
        server.authorization = "Bearer central-secret"
        server.timeoutSeconds = 30
        server.agentLabel = "agent"
        server.spanCallsMetric = "calls_total"
        return server
    }

    @Test func thePolicysFieldsWinAndTheServersFillTheRestButNeverItsAuthorization() throws {
        let spec = PrometheusSourceSpec(url: "https://mimir.eu/prometheus", stepSeconds: 10, versionLabel: "app_version")
        let settings = try PrometheusSettings(spec, over: Self.server) { _ in nil }
        #expect(settings.baseURL.absoluteString == "https://mimir.eu/prometheus")
        #expect(settings.stepSeconds == 10 && settings.versionLabel == "app_version", "the policy's")
        #expect(settings.timeoutSeconds == 30 && settings.agentLabel == "agent" && settings.spanCallsMetric == "calls_total", "the server's")
        #expect(settings.authorization == nil, "the server's header is never sent to another server")

        let alone = try PrometheusSettings(spec, over: nil) { _ in nil }
        #expect(alone.timeoutSeconds == 10 && alone.agentLabel == "service_instance_id", "the defaults without a server setting")
    }

    @Test func theAuthorizationComesFromTheNamedVariableAndItsAbsenceIsAReason() throws {
        let spec = PrometheusSourceSpec(url: "https://mimir.eu/prometheus", authorizationEnv: "MIMIR_AUTH")
        let settings = try PrometheusSettings(spec, over: Self.server) { $0 == "MIMIR_AUTH" ? "Bearer eu-secret" : nil }
        #expect(settings.authorization == "Bearer eu-secret")

        let error = try #require(throws: PrometheusError.self) { try PrometheusSettings(spec, over: nil) { _ in "" } }
        #expect(error.reason == "configuration" && error.description.contains("MIMIR_AUTH, which is not set"), "\(error)")
    }

    @Test func eachRolloutReadsTheSourceItsPolicyNames() async throws {
        let fallback = RecordingSource()
        let sources = PolicyMetricSources(fallback: fallback, server: Self.server, http: TestHTTP.client) { $0 == "SET" ? "Bearer x" : nil }
        #expect(sources.source(for: Self.policy(nil)) is RecordingSource, "no metrics section: the server's source")

        let named = PrometheusSourceSpec(url: "http://eu:9090", timeoutSeconds: 3)
        let first = try #require(sources.source(for: Self.policy(named)) as? PrometheusMetricSource)
        #expect(first.settings.baseURL.absoluteString == "http://eu:9090" && first.settings.timeoutSeconds == 3)
        let again = try #require(sources.source(for: Self.policy(named)) as? PrometheusMetricSource)
        #expect(again.settings == first.settings)

        let unset = sources.source(for: Self.policy(PrometheusSourceSpec(url: "http://eu:9090", authorizationEnv: "UNSET")))
        await #expect(throws: PrometheusError.self) {
            try await unset.observations(agents: ["a"], from: 0, through: 10, needs: MetricNeeds())
        }
        _ = try await sources.observations(agents: ["a"], from: 0, through: 10, needs: MetricNeeds())
        #expect(fallback.reads.withLock { $0 } == 1, "reads without a policy go to the fallback")
    }
}

/// The controller's own source, counting its reads.
final class RecordingSource: MetricSource {
    let reads = Mutex(0)

    func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        reads.withLock { $0 += 1 }
        return []
    }
}
