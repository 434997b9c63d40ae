import BellwetherController
import BellwetherCore
import BellwetherHTTPClient
@testable import BellwetherPrometheus
import BellwetherTestSupport
import Foundation
import MetricsTestKit
import Testing

/// Prometheus servers that refuse, hang, reset or trickle (real sockets), read by many
/// evaluations at once: each read fails with the `PrometheusError` of its kind, within its
/// `prometheusTimeout`, and is counted once under the same `reason` as every other failure of
/// that kind (`unreachable` for refused and reset connections, `timeout` for the rest).
@Suite struct PrometheusHostileTests {
    static let reads = 20

    @Test(arguments: [
        (HostileReceiver.Behaviour.refuse, "unreachable"), (.hang, "timeout"), (.reset, "unreachable"),
        (.trickle(every: .milliseconds(20)), "timeout"),
    ])
    func everyReadFailsWithItsReasonAndIsCountedOnce(behaviour: HostileReceiver.Behaviour, reason: String) async throws {
        let receiver = try await HostileReceiver.start(behaviour)
        let telemetry = TestMetrics()
        var settings = PrometheusSettings(baseURL: URL(string: receiver.url)!)
        // Those that end on their own get far longer than they take, so a busy machine cannot
        // turn a refusal or a reset into a timeout; those that end only by the timeout get 0.5 s.
        let endsByItself = if case .refuse = behaviour { true } else if case .reset = behaviour { true } else { false }
        settings.timeoutSeconds = endsByItself ? 60 : 0.5
        let needs = MetricNeeds(AnalysisSpec(checks: [Check(name: "c", kind: .rate(metric: "agent.data.records_processed_total"))]))
        let errors = try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil)) { http in
            let source = PrometheusMetricSource(settings: settings, http: http, telemetry: telemetry)
            return await withTaskGroup(of: PrometheusError?.self) { group in
                for index in 0..<Self.reads {
                    group.addTask {
                        do {
                            _ = try await source.observations(agents: ["agent-\(index)"], from: 0, through: 60, needs: needs)
                            return nil
                        } catch {
                            return error as? PrometheusError
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        let url = receiver.url + "/api/v1/query_range"
        let expected: PrometheusError = switch behaviour {
        case .refuse: .unreachable(url: url, reason: OutboundHTTPError.refused(host: "127.0.0.1:\(receiver.port)").description)
        case .reset: .unreachable(url: url, reason: OutboundHTTPError.reset.description)
        case .hang, .trickle: .timedOut(url: url, seconds: 0.5)
        }
        #expect(errors == Array(repeating: expected, count: Self.reads))
        #expect(errors.first??.reason == reason)
        let counter = try telemetry.expectCounter("bellwether_metric_source_failures_total", [("source", "prometheus"), ("reason", reason)])
        #expect(counter.totalValue == Int64(Self.reads), "each read counted once")
        await receiver.stop()
    }
}
