import BellwetherCore
@testable import BellwetherPrometheus
import BellwetherTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import MetricsTestKit
import Testing

/// Every way a Prometheus read fails is thrown with its reason and counted once per read in
/// `bellwether_metric_source_failures_total{source="prometheus", reason=…}`: a real HTTP server
/// answering as a broken Prometheus would, one path prefix per failure, and a port nobody holds.
@Suite struct PrometheusFailureCountTests {
    static func answering(_ status: HTTPResponse.Status, _ body: String) -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { _, _ in Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body))) }
    }

    @Test func eachFailureIsCountedByItsReason() async throws {
        let router = Router()
        router.post("status/api/v1/query_range", use: Self.answering(.serviceUnavailable, #"{"status":"error","error":"overloaded"}"#))
        router.post("query/api/v1/query_range", use: Self.answering(.ok, #"{"status":"error","errorType":"bad_data","error":"parse error"}"#))
        router.post("malformed/api/v1/query_range", use: Self.answering(.ok, "<html>a proxy's login page</html>"))
        router.post("empty/api/v1/query_range", use: Self.answering(.ok, #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#))
        router.post("timeout/api/v1/query_range") { _, _ -> Response in
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok)
        }
        let nobody = try FreePort.pick()
        let telemetry = TestMetrics()
        let needs = MetricNeeds(AnalysisSpec(checks: [Check(name: "c", kind: .rate(metric: "agent.data.records_processed_total"))]))

        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let port = try #require(client.port)
            let cases: [(String, String)] = [
                ("http://127.0.0.1:\(port)/status", "status"), ("http://127.0.0.1:\(port)/query", "query"),
                ("http://127.0.0.1:\(port)/malformed", "malformed"), ("http://127.0.0.1:\(port)/empty", "empty"),
                ("http://127.0.0.1:\(port)/timeout", "timeout"), ("http://127.0.0.1:\(nobody)", "unreachable"),
            ]
            for (url, reason) in cases {
                var settings = PrometheusSettings(baseURL: URL(string: url)!)
                // Only the slow server is given less time than it takes (2 s); the others get plenty.
                settings.timeoutSeconds = reason == "timeout" ? 0.5 : 10
                let source = PrometheusMetricSource(settings: settings, http: TestHTTP.client, telemetry: telemetry)
                let error = await #expect(throws: PrometheusError.self) {
                    try await source.observations(agents: ["a"], from: 0, through: 10, needs: needs)
                }
                #expect(error?.reason == reason, "\(url): \(String(describing: error))")
                let counter = try telemetry.expectCounter("bellwether_metric_source_failures_total", [("source", "prometheus"), ("reason", reason)])
                #expect(counter.totalValue == 1, "\(reason) counted once per read")
            }
        }
    }
}
