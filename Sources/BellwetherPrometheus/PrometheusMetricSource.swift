import BellwetherController
import BellwetherCore
import BellwetherHTTPClient
import Foundation
import Metrics

/// Reads agents' telemetry from Prometheus (or Thanos, Mimir, VictoriaMetrics) with PromQL range
/// queries over its HTTP API, for fleets whose telemetry goes through an OpenTelemetry Collector
/// rather than into the controller. A thin adapter: `PrometheusQuery` builds the queries,
/// `PrometheusMatrix` reads the answers, `PrometheusObservations` shapes them; this only sends them.
///
/// Any failure (unreachable, timeout, an HTTP or query error, no series at all) is thrown as a
/// `PrometheusError`, so the evaluation is recorded as unreadable with its reason: Prometheus
/// being down halts a rollout through the policy's `onNoData`, never promotes it.
public struct PrometheusMetricSource: MetricSource {
    public let settings: PrometheusSettings
    private let http: OutboundHTTP
    private let telemetry: (any MetricsFactory)?

    /// - Parameters:
    ///   - http: the process's client; each query gets `settings.timeoutSeconds` in all.
    ///   - telemetry: where failures are counted (`bellwether_metric_source_failures_total` by
    ///     reason); nil counts nothing.
    public init(settings: PrometheusSettings, http: OutboundHTTP, telemetry: (any MetricsFactory)? = nil) {
        self.settings = settings
        self.http = http
        self.telemetry = telemetry
    }

    /// Without the policy's metric names there is nothing to ask Prometheus for; the controller
    /// always calls the variant with `needs`.
    public func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation] {
        try await observations(agents: agents, from: from, through: through, needs: MetricNeeds())
    }

    public func observations(agents: Set<String>, from: Double, through: Double, needs: MetricNeeds) async throws -> [AgentObservation] {
        do throws(PrometheusError) {
            return try await read(agents: agents, from: from, through: through, needs: needs)
        } catch {
            Self.count(error, on: telemetry)
            throw error
        }
    }

    /// One evaluation's failure, once, by its reason.
    static func count(_ error: PrometheusError, on telemetry: (any MetricsFactory)?) {
        guard let telemetry else { return }
        Counter(label: "bellwether_metric_source_failures_total", dimensions: [("source", "prometheus"), ("reason", error.reason)], factory: telemetry)
            .increment()
    }

    private func read(agents: Set<String>, from: Double, through: Double, needs: MetricNeeds) async throws(PrometheusError) -> [AgentObservation] {
        guard !agents.isEmpty, !needs.isEmpty,
              let range = PrometheusQuery.range(from: from, through: through, step: settings.stepSeconds)
        else { return [] }
        let queries = PrometheusQuery.plan(agents: agents, needs: needs, settings: settings)
        // Every query runs to its end, failed or not, so the failure reported is the first
        // failing query's in plan order, whichever finished first.
        let results = await withTaskGroup(of: (Int, Result<[PrometheusSeries], PrometheusError>).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask {
                    do throws(PrometheusError) {
                        return (index, .success(try await rangeQuery(query.promql, start: range.start, end: range.end)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<[PrometheusSeries], PrometheusError>](repeating: .success([]), count: queries.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        var answers: [[PrometheusSeries]] = []
        for result in results { answers.append(try result.get()) }
        return try PrometheusObservations.assemble(zip(queries, answers).map { (query: $0, series: $1) }, agents: agents, settings: settings)
    }

    /// `POST /api/v1/query_range` with a form body (long agent selectors stay out of the URL).
    func rangeQuery(_ promql: String, start: Double, end: Double) async throws(PrometheusError) -> [PrometheusSeries] {
        let url = settings.baseURL.appendingPathComponent("api/v1/query_range")
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        if let authorization = settings.authorization { headers.append(("Authorization", authorization)) }
        let body = Data(Self.form([
            ("query", promql), ("start", Self.number(start)), ("end", Self.number(end)), ("step", Self.number(settings.stepSeconds)),
        ]).utf8)
        let response: OutboundHTTP.Response
        do throws(OutboundHTTPError) {
            // A range over thousands of agents' series is large; the cap only stops a runaway answer.
            response = try await http.post(url, headers: headers, body: body, timeout: .seconds(settings.timeoutSeconds), accepting: 256 << 20)
        } catch {
            switch error {
            case .timedOut: throw .timedOut(url: url.absoluteString, seconds: settings.timeoutSeconds)
            default: throw .unreachable(url: url.absoluteString, reason: error.description)
            }
        }
        guard response.status == 200 else {
            throw .httpStatus(response.status, url: url.absoluteString, message: PrometheusMatrix.errorMessage(response.body))
        }
        return try PrometheusMatrix.parse(response.body, query: promql)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}
